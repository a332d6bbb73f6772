// Journey 7 — bad input: malformed requests to every write route are 4xx in the contract's error
// shape (400s naming the field), and none of them reaches Graph or changes the cache.
import type { EventDetail } from '@ocb/service-clients';
import type { ContractError, Reply, Service } from './support/platform';
import { Platform, describeCall, wallTime } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const USER = 'bianca.booth@contoso.com';
const u = encodeURIComponent(USER);

interface Case {
  name: string;
  service: Service;
  method: string;
  path: () => string;
  body?: unknown;
  status: number;
  /** the field a 400's message names */
  field?: RegExp;
}

const times = { start: wallTime(12, 9), end: wallTime(12, 10), timeZone: 'Central Standard Time' };
const ids = { event: '', officeHours: '' };

const cases: Case[] = [
  // actions: POST events
  { name: 'create without title', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times }, status: 400, field: /title/ },
  { name: 'create with end before start', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times, title: 'x', end: wallTime(12, 8) }, status: 400, field: /end/ },
  { name: 'create with an unknown time zone', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times, title: 'x', timeZone: 'Mars/Olympus' }, status: 400, field: /timeZone/ },
  { name: 'create with a start that is not a date', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times, title: 'x', start: 'tomorrow' }, status: 400, field: /start/ },
  { name: 'create with an attendee that is no address', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times, title: 'x', attendees: ['not-an-email'] }, status: 400, field: /attendees/ },
  {
    name: 'create with until and count',
    service: 'actions',
    method: 'POST',
    path: () => `/api/users/${u}/events`,
    body: { ...times, title: 'x', recurrence: { type: 'weekly', daysOfWeek: ['monday'], until: wallTime(40, 0).slice(0, 10), count: 3 } },
    status: 400,
    field: /recurrence|until|count/,
  },
  { name: 'create with an unknown recurrence type', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times, title: 'x', recurrence: { type: 'yearly' } }, status: 400, field: /recurrence|type/ },
  { name: 'create with isOnlineMeeting not a boolean', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: { ...times, title: 'x', isOnlineMeeting: 'yes' }, status: 400, field: /isOnlineMeeting/ },
  { name: 'create with malformed JSON', service: 'actions', method: 'POST', path: () => `/api/users/${u}/events`, body: '{"title": "x",', status: 400 },
  { name: 'create for an unknown user', service: 'actions', method: 'POST', path: () => `/api/users/nobody.here%40contoso.com/events`, body: { ...times, title: 'x' }, status: 404 },
  // actions: PATCH events
  { name: 'edit with a start that is not a date', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}`, body: { start: 'yesterday' }, status: 400, field: /start/ },
  { name: 'edit with end before start', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}`, body: { start: wallTime(12, 11), end: wallTime(12, 10) }, status: 400, field: /end/ },
  { name: 'edit with an empty title', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}`, body: { title: '' }, status: 400, field: /title/ },
  { name: 'edit with attendees not a list', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}`, body: { attendees: 'bo@contoso.com' }, status: 400, field: /attendees/ },
  { name: 'edit with an unknown scope', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}?scope=everything`, body: { title: 'x' }, status: 400, field: /scope/ },
  { name: 'edit an unknown event', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/AAMkAGUnknownEventId`, body: { title: 'x' }, status: 404 },
  // actions: DELETE events
  { name: 'cancel an unknown event', service: 'actions', method: 'DELETE', path: () => `/api/users/${u}/events/AAMkAGUnknownEventId`, status: 404 },
  // actions: POST office hours
  { name: 'office hours without recurrence', service: 'actions', method: 'POST', path: () => `/api/users/${u}/office-hours`, body: { ...times }, status: 400, field: /recurrence/ },
  { name: 'office hours without time zone', service: 'actions', method: 'POST', path: () => `/api/users/${u}/office-hours`, body: { start: times.start, end: times.end, recurrence: { type: 'daily' } }, status: 400, field: /timeZone/ },
  { name: 'office hours that happen once', service: 'actions', method: 'POST', path: () => `/api/users/${u}/office-hours`, body: { ...times, recurrence: { type: 'once' } }, status: 400, field: /recurrence|type/ },
  { name: 'office hours with weekly days that are no days', service: 'actions', method: 'POST', path: () => `/api/users/${u}/office-hours`, body: { ...times, recurrence: { type: 'weekly', daysOfWeek: ['funday'] } }, status: 400, field: /daysOfWeek|recurrence/ },
  // actions: PATCH office hours
  { name: 'move office hours to a start that is not a date', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/office-hours/${ids.officeHours}`, body: { start: 'yesterday' }, status: 400, field: /start/ },
  { name: 'office hours with a negative interval', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/office-hours/${ids.officeHours}`, body: { recurrence: { type: 'daily', interval: -1 } }, status: 400, field: /interval|recurrence/ },
  { name: 'edit unknown office hours', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/office-hours/AAMkAGUnknownEventId`, body: { description: 'x' }, status: 404 },
  { name: 'edit with a body that is an array', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}`, body: [{ title: 'x' }], status: 400, field: /body: must be a JSON object/ },
  { name: 'edit with JSON nested 5,000 levels deep', service: 'actions', method: 'PATCH', path: () => `/api/users/${u}/events/${ids.event}`, body: `{"title":"x","location":${'['.repeat(5000)}${']'.repeat(5000)}}`, status: 400, field: /nested deeper than 64/ },
  // sync: read API
  { name: 'events from an impossible date', service: 'sync', method: 'GET', path: () => `/api/users/${u}/events?from=2027-02-30`, status: 400, field: /^from: / },
  { name: 'events to an impossible time', service: 'sync', method: 'GET', path: () => `/api/users/${u}/events?to=2027-03-01T24:00:00Z`, status: 400, field: /^to: / },
  { name: 'events searched with a NUL character', service: 'sync', method: 'GET', path: () => `/api/users/${u}/events?q=a%00b`, status: 400, field: /^q: / },
  // sync: refresh
  { name: 'refresh an unknown user', service: 'sync', method: 'POST', path: () => `/api/users/nobody.here%40contoso.com/refresh`, status: 404 },
  // auth: connect
  { name: 'connect with a foreign returnUrl', service: 'auth', method: 'GET', path: () => `/api/auth/connect?user=${u}&returnUrl=${encodeURIComponent('https://evil.example.com/steal')}`, status: 400, field: /returnUrl/ },
  { name: 'connect with a relative returnUrl', service: 'auth', method: 'GET', path: () => `/api/auth/connect?user=${u}&returnUrl=%2Fdone`, status: 400, field: /returnUrl/ },
  { name: 'connect without user', service: 'auth', method: 'GET', path: () => `/api/auth/connect?returnUrl=${encodeURIComponent('http://localhost:3000/done')}`, status: 400, field: /user/ },
];

describe(`bad input on every write route (${info.database})`, () => {
  let writesBefore: Record<string, number>;
  let cacheBefore: EventDetail[];
  const replies = new Map<string, Reply<ContractError>>();

  beforeAll(async () => {
    await p.resetFaults();
    await p.connect(USER);
    const event = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/events`, { ...times, title: 'Bad input target' });
    ids.event = encodeURIComponent(event.id);
    const oh = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/office-hours`, {
      ...times,
      recurrence: { type: 'weekly', daysOfWeek: ['monday'] },
      description: 'Bad input office hours',
    });
    ids.officeHours = encodeURIComponent(oh.id);
    writesBefore = (await p.stats()).writes;
    cacheBefore = await p.cachedEvents(USER, { limit: 200 });
    for (const c of cases) replies.set(c.name, await p.call<ContractError>(c.service, c.method, c.path(), c.body));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = replies.get(c.name)!;
    const call = describeCall(c.method, `${c.service} ${c.path()}`, c.body, r as Reply);
    expect({ call, status: r.status }).toEqual({ call, status: c.status });
    expect(r.body).toMatchObject({ statusCode: c.status, code: expect.stringMatching(/^[A-Z]+(_[A-Z]+)*$/), message: expect.any(String) });
    if (c.status === 400) expect(r.body.code).toBe('VALIDATION_FAILED');
    if (c.status === 404) expect(r.body.code).toBe('NOT_FOUND');
    if (c.field) expect(r.body.message).toMatch(c.field);
  });

  it('no bad request reached Graph as a write, and the cache is unchanged', async () => {
    expect((await p.stats()).writes).toEqual(writesBefore);
    expect(await p.cachedEvents(USER, { limit: 200 })).toEqual(cacheBefore);
  });

  it.each([
    ['an unsupported charset', { 'content-type': 'application/json; charset=klingon' }, '{"title":"x"}', 415, /^Content-Type: unsupported charset/],
    ['an unknown Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'snappy' }, '{"title":"x"}', 415, /^Content-Encoding: unsupported/],
    ['a body that is not gzip under Content-Encoding: gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{"title":"x"}', 400, /^body: not valid gzip/],
  ] as const)('the built services answer %s in the contract shape, and nothing is written', async (_name, headers, body, status, message) => {
    const before = (await p.stats()).writes;
    const r = await fetch(`${info.urls.actions}/api/users/${u}/events/${ids.event}`, { method: 'PATCH', headers: { Authorization: 'Bearer dev-platform-key', ...headers }, body });
    expect(r.status).toBe(status);
    expect(await r.json()).toMatchObject({ statusCode: status, message: expect.stringMatching(message) });
    expect((await p.stats()).writes).toEqual(before);
  });
});
