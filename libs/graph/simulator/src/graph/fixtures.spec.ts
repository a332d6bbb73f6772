/**
 * Conformance with Microsoft's documented request/response shapes (../../fixtures, sources in its README):
 * every documented request body is accepted, and our answers have the fixtures' keys with the
 * same JSON types and nesting. Doc examples are truncated, so extra keys are allowed except where
 * a fixture is a complete property set (checked exactly). Known differences are listed per fixture.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { call, people, testSimulator, type Call, type Json } from '../testing/simulator-test-kit';

const FIXTURES = resolve(__dirname, '../../fixtures');
const fixture = (name: string): Json => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Json;

type Shape = string | { [k: string]: Shape } | Shape[];

export function shapeOf(v: unknown): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

/** Differences between a fixture's shape and ours; `exact` also reports keys the fixture lacks. */
export function compareShapes(expected: unknown, actual: unknown, opts: { exact?: boolean; ignore?: string[] } = {}, path = ''): string[] {
  const ignore = new Set(opts.ignore ?? []);
  const diffs: string[] = [];
  const walk = (e: unknown, a: unknown, p: string): void => {
    if (ignore.has(p)) return;
    if (e === null) {
      if (a !== null) diffs.push(`${p}: expected null, got ${typeof a}`);
      return;
    }
    if (Array.isArray(e)) {
      if (!Array.isArray(a)) return void diffs.push(`${p}: expected array, got ${a === null ? 'null' : typeof a}`);
      if (e.length && a.length) walk(e[0], a[0], `${p}[]`);
      return;
    }
    if (typeof e === 'object') {
      if (!a || typeof a !== 'object' || Array.isArray(a)) return void diffs.push(`${p}: expected object, got ${a === null ? 'null' : typeof a}`);
      const ao = a as Record<string, unknown>;
      for (const [k, v] of Object.entries(e as object)) {
        const kp = p ? `${p}.${k}` : k;
        if (ignore.has(kp)) continue;
        if (!(k in ao)) diffs.push(`${kp}: missing`);
        else walk(v, ao[k], kp);
      }
      if (opts.exact) for (const k of Object.keys(ao)) if (!(k in (e as object)) && !ignore.has(p ? `${p}.${k}` : k)) diffs.push(`${p ? `${p}.${k}` : k}: not in fixture`);
      return;
    }
    if (typeof a !== typeof e) diffs.push(`${p}: expected ${typeof e}, got ${a === null ? 'null' : typeof a}`);
  };
  walk(expected, actual, path);
  return diffs;
}

const [adele, alex] = people;
const PST = { Prefer: 'outlook.timezone="Pacific Standard Time"' };

function setup() {
  const { sim, clock } = testSimulator();
  const me = sim.userToken(adele.id, ['Calendars.ReadWrite', 'User.Read']);
  return { sim, clock, me };
}

describe('Graph fixture conformance', () => {
  it('finds the fixtures in the repository, each named with its source in their README', () => {
    expect(existsSync(join(FIXTURES, 'README.md'))).toBe(true);
    const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(60);
    expect(files.filter((f) => !readme.includes(f))).toEqual([]);
  });

  describe('documented POST /me/events bodies are accepted and answered in the documented shape', () => {
    const cases: Array<[string, string, string[]]> = [
      ['user-post-events-request-1.json', 'user-post-events-response-1.json', []],
      // Examples 2 and 4 predate transactionId in the documented response.
      ['user-post-events-request-2.json', 'user-post-events-response-2.json', ['transactionId']],
      // Older doc example: written before transactionId was documented.
      ['user-post-events-request-3.json', 'user-post-events-response-3.json', ['transactionId']],
      ['user-post-events-request-4.json', 'user-post-events-response-4.json', ['transactionId']],
      ['user-post-events-v2024-request-1.json', 'user-post-events-v2024-response-1.json', []],
    ];
    it.each(cases)('%s', async (req, res, ignore) => {
      const { sim, me } = setup();
      const answer = await call(sim, 'POST', '/me/events', { token: me, body: fixture(req), headers: PST });
      expect(answer.status).toBe(201);
      const expected = fixture(res);
      expect(compareShapes(expected, answer.body, { exact: true, ignore })).toEqual([]);
    });
  });

  it('accepts the documented PATCH body (event-update) and answers in its shape', async () => {
    const { sim, me } = setup();
    const created = await call(sim, 'POST', '/me/events', { token: me, body: fixture('user-post-events-request-1.json') });
    const res = await call(sim, 'PATCH', `/me/events/${created.body.id}`, { token: me, body: fixture('event-update-request-1.json') });
    expect(res.status).toBe(200);
    expect(compareShapes(fixture('event-update-response-1.json'), res.body)).toEqual([]);
    expect(res.body.categories).toEqual(['Red category']);
  });

  it('GET event with $select answers like event-get-response-1/2', async () => {
    const { sim, me } = setup();
    const created = await call(sim, 'POST', '/me/events', { token: me, body: fixture('user-post-events-request-2.json') });
    const got1 = await call(sim, 'GET', `/me/events/${created.body.id}?$select=subject,body,bodyPreview,organizer,attendees,start,end,location,hideAttendees`, { token: me, headers: PST });
    // proposedNewTime appears only on attendees who proposed a new time.
    expect(compareShapes(fixture('event-get-response-1.json'), got1.body, { exact: true, ignore: ['attendees[].proposedNewTime'] })).toEqual([]);
    const got2 = await call(sim, 'GET', `/me/events/${created.body.id}?$select=subject,body,bodyPreview,organizer,attendees,start,end,location,locations`, { token: me });
    expect(compareShapes(fixture('event-get-response-2.json'), got2.body, { exact: true, ignore: ['locations[].address', 'locations[].coordinates'] })).toEqual([]);
  });

  it('calendarView, calendar/calendarView and instances answer in the documented shapes', async () => {
    const { sim, me } = setup();
    await call(sim, 'POST', '/me/events', { token: me, body: { ...fixture('user-post-events-request-1.json'), start: { dateTime: '2026-03-04T12:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-03-04T14:00:00', timeZone: 'Pacific Standard Time' } } });
    const w = 'startDateTime=2026-03-01T00:00:00-08:00&endDateTime=2026-03-31T00:00:00-08:00';
    const cv = await call(sim, 'GET', `/me/calendarView?${w}`, { token: me });
    expect(compareShapes(fixture('user-list-calendarview-response-1.json'), cv.body)).toEqual([]);
    const ccv = await call(sim, 'GET', `/me/calendar/calendarView?${w}`, { token: me });
    expect(compareShapes(fixture('calendar-list-calendarview-response-1.json'), ccv.body)).toEqual([]);
    const body = await call(sim, 'GET', `/me/calendarView?${w}`, { token: me, headers: { Prefer: 'outlook.body-content-type="text"' } });
    expect(body.headers.get('Preference-Applied')).toBe('outlook.body-content-type="text"');
    expect(compareShapes(fixture('group-list-calendarview-response-1.json').value?.[0] ?? {}, body.body.value[0])).toEqual([]);
    const series = await call(sim, 'POST', '/me/events', { token: me, body: { ...fixture('user-post-events-request-3.json'), recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['Monday'] }, range: { type: 'endDate', startDate: '2026-03-02', endDate: '2026-04-30' } }, start: { dateTime: '2026-03-02T12:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-03-02T14:00:00', timeZone: 'Pacific Standard Time' } } });
    const inst = await call(sim, 'GET', `/me/events/${series.body.id}/instances?startDateTime=2026-03-01T09:00:00.0000000&endDateTime=2026-03-30T09:00:00.0000000&$select=subject,bodyPreview,seriesMasterId,type,recurrence,start,end`, { token: me });
    expect(inst.body.value.length).toBe(4);
    expect(compareShapes(fixture('event-list-instances-response-1.json'), inst.body, { exact: true, ignore: ['@odata.nextLink'] })).toEqual([]);
  });

  it('calendarView/delta pages answer like the delta fixtures', async () => {
    const { sim, me } = setup();
    for (const d of ['03', '04', '05']) {
      await call(sim, 'POST', '/me/events', { token: me, body: { subject: d, location: { displayName: 'Home' }, start: { dateTime: `2026-03-${d}T10:00:00`, timeZone: 'UTC' }, end: { dateTime: `2026-03-${d}T11:00:00`, timeZone: 'UTC' } } });
    }
    const max2 = { Prefer: 'odata.maxpagesize=2' };
    const p1 = await call(sim, 'GET', '/me/calendarView/delta?startdatetime=2026-03-01T00:00:00Z&enddatetime=2026-03-30T00:00:00Z', { token: me, headers: max2 });
    expect(compareShapes(fixture('delta-query-events-response-1.json'), p1.body)).toEqual([]);
    expect(compareShapes(fixture('event-delta-response-1.json'), p1.body)).toEqual([]);
    const p2 = await call(sim, 'GET', String(p1.body['@odata.nextLink']), { token: me, headers: max2 });
    expect(compareShapes(fixture('delta-query-events-response-3.json'), p2.body)).toEqual([]);
    const id = p1.body.value[0].id;
    await call(sim, 'DELETE', `/me/events/${id}`, { token: me });
    await call(sim, 'PATCH', `/me/events/${p1.body.value[1].id}`, { token: me, body: { subject: 'changed' } });
    const p3: Call = await call(sim, 'GET', String(p2.body['@odata.deltaLink']), { token: me, headers: max2 });
    // The removed entry comes first in the fixture; the changed event's location has no address here.
    const removedFirst = { ...p3.body, value: [...p3.body.value].sort((a: object) => ('@removed' in a ? -1 : 1)) };
    expect(compareShapes(fixture('delta-query-events-response-4.json'), removedFirst, { ignore: ['value[].location.address', 'value[].location.coordinates'] })).toEqual([]);
  });

  it('users list and supportedTimeZones answer in the documented shapes', async () => {
    const { sim } = setup();
    const users = await call(sim, 'GET', '/users');
    // mailNickname, otherMails and proxyAddresses are not in v1.0's default user property set.
    expect(compareShapes(fixture('user-list-response-1.json'), users.body, { ignore: ['value[].mailNickname', 'value[].otherMails', 'value[].proxyAddresses'] })).toEqual([]);
    const counted = await call(sim, 'GET', "/users?$filter=startswith(displayName,'a')&$count=true&$top=1", { headers: { ConsistencyLevel: 'eventual' } });
    expect(compareShapes(fixture('user-list-response-4.json'), counted.body, { ignore: ['value[].mailNickname', 'value[].otherMails', 'value[].proxyAddresses'] })).toEqual([]);
    const me = sim.userToken(alex.id, ['Calendars.Read']);
    const win = await call(sim, 'GET', '/me/outlook/supportedTimeZones', { token: me });
    expect(compareShapes(fixture('outlookuser-supportedtimezones-response-1.json'), win.body, { exact: true })).toEqual([]);
    expect(win.body.value.map((z: { alias: string }) => z.alias)).toContain('Pacific Standard Time');
    const iana = await call(sim, 'GET', `/users/${alex.id}/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')`);
    expect(compareShapes(fixture('outlookuser-supportedtimezones-response-2.json'), iana.body, { exact: true })).toEqual([]);
    expect(iana.body.value.map((z: { alias: string }) => z.alias)).toContain('America/Los_Angeles');
  });

  it('documented $batch bodies are accepted and answered in the documented shape', async () => {
    const { sim, me } = setup();
    for (const name of ['json-batching-request-1.json', 'json-batching-request-2.json', 'json-batching-request-3.json']) {
      const res = await call(sim, 'POST', '/$batch', { token: me, body: fixture(name) });
      expect(res.status).toBe(200);
      expect(res.body.responses).toHaveLength(fixture(name).requests.length);
      expect(compareShapes(fixture('json-batching-response-1.json'), res.body, { ignore: ['responses[].headers.Cache-Control', 'responses[].headers.x-ms-resource-unit', 'responses[].headers.OData-Version', 'responses[].body.@odata.context', 'responses[].body.@odata.nextLink', 'responses[].body.value'] })).toEqual([]);
    }
    const chain = await call(sim, 'POST', '/$batch', { token: me, body: fixture('json-batching-request-2.json') });
    const statuses = Object.fromEntries((chain.body.responses as unknown as Array<{ id: string; status: number }>).map((r) => [r.id, r.status]));
    expect(statuses).toEqual({ '1': 400, '2': 424, '4': 424, '3': 424 });
  });

  it('error bodies match the documented errors', async () => {
    const { sim, clock, me } = setup();
    const missing = await call(sim, 'GET', '/me/calendarView', { token: me });
    // This 2015 sample predates client-request-id in innerError.
    expect(compareShapes(fixture('graph-error-calendarview-missing-window.json'), missing.body, { exact: true, ignore: ['error.innerError.client-request-id'] })).toEqual([]);
    const notFound = await call(sim, 'PATCH', '/me/events/AAMkAGI1AAAt9AHjAAA=', { token: me, body: { subject: 'x' } });
    expect(notFound.status).toBe(404);
    expect(compareShapes(fixture('graph-error-item-not-found.json'), notFound.body, { exact: true })).toEqual([]);
    expect(notFound.body.error.code).toBe('ErrorItemNotFound');
    const denied = await call(sim, 'GET', `/users/${alex.userPrincipalName}/calendarview?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-02T00:00:00Z`, { token: me });
    expect(compareShapes(fixture('graph-error-access-denied.json'), denied.body, { exact: true })).toEqual([]);
    expect(denied.body.error).toMatchObject({ code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' });
    await clock.advance(2 * 3600_000);
    const expired = await call(sim, 'GET', '/me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-02T00:00:00Z', { token: me });
    expect(compareShapes(fixture('graph-error-invalid-authentication-token.json'), expired.body, { exact: true })).toEqual([]);
    expect(expired.body.error.message).toBe('Access token has expired or is not yet valid.');

    const fresh = sim.appToken();
    sim.faults = { latencyMs: 10 };
    const calls = Array.from({ length: 5 }, () => call(sim, 'GET', `/users/${alex.id}/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-02T00:00:00Z`, { token: fresh }));
    await clock.advance(50);
    const results = await Promise.all(calls);
    const throttled = results.find((r) => r.status === 429);
    expect(throttled).toBeDefined();
    expect(compareShapes(fixture('graph-error-application-throttled.json'), throttled?.body, { exact: true })).toEqual([]);
    sim.faults = { latencyMs: 0, maxRequestsPerSecond: 1 };
    await clock.advance(5000);
    await call(sim, 'GET', `/users/${adele.id}`, { token: fresh });
    const tooMany = await call(sim, 'GET', `/users/${adele.id}`, { token: fresh });
    expect(tooMany.status).toBe(429);
    // The 2020 sample's innerError carried code/status/message; Graph now sends date/request-id/client-request-id.
    expect(compareShapes(fixture('throttling-response-1.json'), tooMany.body, { ignore: ['error.innerError.code', 'error.innerError.message', 'error.innerError.status'] })).toEqual([]);
  });
});
