import { supportedTimeZones as catalog } from '@ocb/time-zones';
import { call, people, testSimulator, text } from '../testing/simulator-test-kit';

const [adele, alex] = people;

describe('Graph simulator on @ocb/time-zones and @ocb/recurrence', () => {
  it('lists every Windows zone (and IANA with TimeZoneStandard=Iana)', async () => {
    const { sim, clock } = testSimulator();
    const win = await call(sim, 'GET', `/users/${alex.id}/outlook/supportedTimeZones`);
    expect(win.status).toBe(200);
    expect(win.body.value).toEqual(catalog('Windows', new Date(clock.now())));
    expect(win.body.value.length).toBeGreaterThanOrEqual(139);
    expect(win.body.value.map((z: { alias: string }) => z.alias)).toEqual(expect.arrayContaining(['Line Islands Standard Time', 'Chatham Islands Standard Time', 'UTC']));
    const iana = await call(sim, 'GET', `/users/${alex.id}/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')`);
    expect(iana.body.value.length).toBeGreaterThanOrEqual(139);
    expect(iana.body.value[0].alias).toBe(iana.body.value[0].displayName);
  });

  it('accepts zones outside the old table and keeps series on wall-clock time across DST', async () => {
    const { sim } = testSimulator();
    const created = await call(sim, 'POST', `/users/${adele.id}/events`, {
      body: {
        subject: 'Kiritimati sync',
        start: { dateTime: '2026-03-05T09:00:00', timeZone: 'Line Islands Standard Time' },
        end: { dateTime: '2026-03-05T09:30:00', timeZone: 'Line Islands Standard Time' },
      },
    });
    expect(created.status).toBe(201);
    const series = await call(sim, 'POST', `/users/${adele.id}/events`, {
      body: {
        subject: 'Weekly',
        start: { dateTime: '2026-03-02T09:00:00', timeZone: 'Pacific Standard Time' },
        end: { dateTime: '2026-03-02T10:00:00', timeZone: 'Pacific Standard Time' },
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 3, recurrenceTimeZone: 'America/Los_Angeles' } },
      },
    });
    expect(series.body.recurrence.range.recurrenceTimeZone).toBe('Pacific Standard Time');
    const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z';
    const view = await call(sim, 'GET', `/users/${adele.id}/calendarView?${window}&$top=50`);
    const occ = view.body.value.filter((e: { seriesMasterId: string }) => e.seriesMasterId === text(series.body.id));
    // 09:00 PST is 17:00Z; after 2026-03-08 09:00 PDT is 16:00Z.
    expect(occ.map((e: { start: { dateTime: string } }) => e.start.dateTime)).toEqual([
      '2026-03-02T17:00:00.0000000',
      '2026-03-09T16:00:00.0000000',
      '2026-03-16T16:00:00.0000000',
    ]);
    const got = await call(sim, 'GET', `/users/${adele.id}/events/${occ[1].id}`);
    expect(got.body).toMatchObject({ id: occ[1].id, type: 'occurrence', seriesMasterId: series.body.id });
    const again = await call(sim, 'GET', `/users/${adele.id}/calendarView?${window}&$top=50`);
    expect(again.body.value.map((e: { id: string }) => e.id)).toEqual(view.body.value.map((e: { id: string }) => e.id));
  });

  it('skips months without the day of an absolute monthly series, as Outlook does', async () => {
    const { sim } = testSimulator();
    const series = await call(sim, 'POST', `/users/${alex.id}/events`, {
      body: {
        subject: 'Month end',
        start: { dateTime: '2026-01-31T12:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-01-31T13:00:00', timeZone: 'UTC' },
        recurrence: { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'numbered', startDate: '2026-01-31', numberOfOccurrences: 3 } },
      },
    });
    const view = await call(sim, 'GET', `/users/${alex.id}/events/${series.body.id}/instances?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z`);
    expect(view.body.value.map((e: { start: { dateTime: string } }) => e.start.dateTime.slice(0, 10))).toEqual(['2026-01-31', '2026-03-31', '2026-05-31']);
  });
});
