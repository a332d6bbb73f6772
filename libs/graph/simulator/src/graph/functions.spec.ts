/**
 * OData function segments in every form Graph accepts: the bare name (as Microsoft's docs write
 * `/me/calendarView/delta`), the call (`delta()`, what the Kiota-based SDK always sends), and the
 * namespace-qualified call (`microsoft.graph.delta()`); enum arguments with or without their type.
 */
import { matchFunction, matchRoute } from './router';
import { call, people, testSimulator } from '../testing/simulator-test-kit';

const [adele, alex] = people;
const WINDOW = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';

describe('OData function segments', () => {
  it('matches a function by name alone, called, and with the microsoft.graph namespace; never another name', () => {
    for (const s of ['delta', 'delta()', 'Delta()', 'microsoft.graph.delta', 'microsoft.graph.delta()', 'Microsoft.Graph.DELTA()', 'delta( )']) {
      expect(matchFunction('delta', s)).toEqual(new Map());
    }
    expect(matchFunction('supportedTimeZones', "supportedTimeZones(TimeZoneStandard='Iana')")).toEqual(new Map([['timezonestandard', "'Iana'"]]));
    for (const s of ['deltas', 'delta(', 'other.delta()', 'microsoft.graph.delta(x)', 'ab12', '']) expect(matchFunction('delta', s)).toBeUndefined();
  });

  it('routes every form of calendarView/delta (and calendar/calendarView, events) to the same delta round', async () => {
    const { sim } = testSimulator();
    const created = await call(sim, 'POST', `/users/${alex.id}/events`, {
      token: sim.userToken(alex.id, ['Calendars.ReadWrite']),
      body: { subject: 'Delta form', start: { dateTime: '2026-03-10T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-10T11:00:00', timeZone: 'UTC' } },
    });
    expect(created.status).toBe(201);
    const forms = ['delta', 'delta()', 'microsoft.graph.delta()', 'microsoft.graph.delta', 'Delta()', 'delta%28%29'];
    const bases = [`/users/${alex.id}/calendarView`, `/users/${alex.id}/calendar/calendarView`, `/users/${alex.id}/events`, `/users/${alex.id}/calendar/events`, '/me/calendarView'];
    const me = sim.userToken(alex.id, ['Calendars.Read']);
    for (const base of bases) {
      for (const form of forms) {
        const res = await call(sim, 'GET', `${base}/${form}?${WINDOW}`, base.startsWith('/me') ? { token: me } : {});
        expect({ url: `${base}/${form}`, status: res.status }).toEqual({ url: `${base}/${form}`, status: 200 });
        expect(res.body.value.map((e: { subject: string }) => e.subject)).toContain('Delta form');
        expect(res.body['@odata.deltaLink']).toContain('$deltatoken=');
        // the round goes on from its link whatever form started it
        const next = await call(sim, 'GET', String(res.body['@odata.deltaLink']), base.startsWith('/me') ? { token: me } : {});
        expect(next.status).toBe(200);
        expect(next.body.value).toEqual([]);
      }
    }
    // one stats key per route, whatever the spelling
    expect(Object.keys(sim.stats().requests).filter((k) => /delta/i.test(k)).sort()).toEqual([
      'GET /me/calendarView/delta',
      'GET /users/{id}/calendar/calendarView/delta',
      'GET /users/{id}/calendar/events/delta',
      'GET /users/{id}/calendarView/delta',
      'GET /users/{id}/events/delta',
    ]);
  });

  it('refuses arguments a function does not take, and unknown functions, as Graph does (400)', async () => {
    const { sim } = testSimulator();
    for (const path of [`/users/${alex.id}/calendarView/delta(x=1)`, `/users/${alex.id}/calendarView/other.delta()`, `/users/${alex.id}/calendarView/deltas()`]) {
      const res = await call(sim, 'GET', `${path}?${WINDOW}`);
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 400, code: 'BadRequest' });
    }
  });

  it('routes supportedTimeZones bare, called, namespaced, and with TimeZoneStandard typed or not', async () => {
    const { sim } = testSimulator();
    const windows = (await call(sim, 'GET', `/users/${adele.id}/outlook/supportedTimeZones`)).body.value as unknown as Array<{ alias: string }>;
    const iana = (await call(sim, 'GET', `/users/${adele.id}/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')`)).body.value as unknown as Array<{ alias: string }>;
    expect(windows.map((z) => z.alias)).toContain('Pacific Standard Time');
    expect(iana.map((z) => z.alias)).toContain('America/Los_Angeles');
    const cases: Array<[string, unknown]> = [
      ['supportedTimeZones()', windows],
      ['microsoft.graph.supportedTimeZones()', windows],
      ['supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard%27Windows%27)', windows],
      ["supportedTimeZones(TimeZoneStandard='Iana')", iana],
      ["microsoft.graph.supportedTimeZones(TimeZoneStandard='Iana')", iana],
      ["supportedTimeZones(timeZoneStandard='iana')", iana],
    ];
    for (const [segment, expected] of cases) {
      const res = await call(sim, 'GET', `/users/${adele.id}/outlook/${segment}`);
      expect({ segment, status: res.status }).toEqual({ segment, status: 200 });
      expect(res.body.value).toEqual(expected);
    }
    const unknown = await call(sim, 'GET', `/users/${adele.id}/outlook/supportedTimeZones(TimeZoneStandard='Martian')`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('ErrorInvalidParameter');
    const wrongType = await call(sim, 'GET', `/users/${adele.id}/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.dayOfWeek'Iana')`);
    expect(wrongType.status).toBe(400);
  });

  it('keeps event ids apart from functions: GET events/{id} still reads the event', () => {
    const m = matchRoute('GET', ['users', alex.id, 'events', 'AAMkAGI2TG93AAA=']);
    expect('route' in m && m.params.eventId).toBe('AAMkAGI2TG93AAA=');
    const d = matchRoute('GET', ['users', alex.id, 'events', 'delta()']);
    expect('key' in d && d.key).toBe('GET /users/{id}/events/delta');
  });
});
