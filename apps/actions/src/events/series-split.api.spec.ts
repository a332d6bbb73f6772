import { startActions, type ActionsHarness, type Json } from '../testing/actions-test-kit';

let h: ActionsHarness;
let organizer: string;
let attendee: string;

beforeAll(async () => {
  h = await startActions();
  organizer = h.users[0].id;
  attendee = h.users[1].id;
});
afterAll(() => h.close());

async function calendarView(user: string): Promise<Array<Record<string, Json>>> {
  const res = await fetch(`${h.sim.graphBaseUrl}/v1.0/users/${user}/calendarView?startDateTime=2027-03-01T00:00:00Z&endDateTime=2027-07-01T00:00:00Z&$top=200`, {
    headers: { Authorization: `Bearer ${h.sim.simulator.userToken(user)}`, Prefer: 'outlook.timezone="Pacific Standard Time"' },
  });
  return ((await res.json()) as { value: Array<Record<string, Json>> }).value;
}

const weekly = (over: Record<string, unknown> = {}) => ({
  title: 'Design review',
  start: '2027-03-10T10:00:00',
  end: '2027-03-10T11:00:00',
  timeZone: 'Pacific Standard Time',
  recurrence: { type: 'weekly', count: 10 },
  attendees: [h.users[1].mail],
  ...over,
});

async function occurrences(user: string, seriesId: string): Promise<Array<Record<string, Json>>> {
  return (await calendarView(user)).filter((e) => String(e['seriesMasterId']) === seriesId);
}

describe('PATCH ...?scope=following (this and following occurrences)', () => {
  it('on the 5th of 10 weekly occurrences: 4 stay in the series, 6 move to a new series with the change; one cache refresh after both writes', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, weekly());
    expect(created.status).toBe(201);
    const series = created.body.id;
    const fifth = (await occurrences(organizer, String(series)))[4];
    expect(fifth['start'].dateTime).toBe('2027-04-07T10:00:00.0000000');

    const writesBefore = await h.writes();
    const refreshesBefore = h.sync.refreshes.length;
    const writesAtRefresh: number[] = [];
    const refresh = h.sync.refreshUser.bind(h.sync);
    h.sync.refreshUser = async (user: string) => {
      writesAtRefresh.push(await h.writes());
      return refresh(user);
    };
    const r = await h.api('PATCH', `/users/${organizer}/events/${fifth['id']}?scope=following`, { title: 'Design review (new slot)', start: '2027-04-07T11:30:00', end: '2027-04-07T12:30:00' });
    h.sync.refreshUser = refresh;
    expect(r.status).toBe(200);
    expect(r.body.previousSeriesId).toBe(series);
    expect(r.body.id).not.toBe(series);
    expect(r.body.type).toBe('seriesMaster');
    expect(r.body.conflicts).toEqual([]);
    // one create and one PATCH of the old master, and the cache refreshed once, after both
    expect(await h.writes()).toBe(writesBefore + 2);
    expect(writesAtRefresh).toEqual([writesBefore + 2]);
    expect(h.sync.refreshes.slice(refreshesBefore)).toEqual([organizer]);

    const first = await occurrences(organizer, String(series));
    const second = await occurrences(organizer, String(r.body.id));
    expect(first.map((e) => [e['subject'], e['start'].dateTime])).toEqual(
      ['2027-03-10', '2027-03-17', '2027-03-24', '2027-03-31'].map((d) => ['Design review', `${d}T10:00:00.0000000`]),
    );
    expect(second.map((e) => [e['subject'], e['start'].dateTime])).toEqual(
      ['2027-04-07', '2027-04-14', '2027-04-21', '2027-04-28', '2027-05-05', '2027-05-12'].map((d) => ['Design review (new slot)', `${d}T11:30:00.0000000`]),
    );
    const stored = await h.mailbox(organizer);
    expect(stored.find((e) => e['id'] === series)?.['recurrence'].range).toMatchObject({ type: 'endDate', startDate: '2027-03-10', endDate: '2027-04-06' });
    expect(stored.find((e) => e['id'] === r.body.id)?.['recurrence'].range).toMatchObject({ type: 'numbered', startDate: '2027-04-07', numberOfOccurrences: 6 });
    // the attendee sees 4 + 6 as well
    const theirs = (await calendarView(attendee)).filter((e) => e['subject']?.startsWith('Design review'));
    expect(theirs).toHaveLength(10);
  });

  it('office hours stay office hours in both series', async () => {
    const created = await h.api('POST', `/users/${organizer}/office-hours`, { start: '2027-03-11T09:00:00', end: '2027-03-11T10:00:00', timeZone: 'Pacific Standard Time', recurrence: { type: 'weekly', until: '2027-05-13' } });
    expect(created.status).toBe(201);
    const third = (await occurrences(organizer, String(created.body.id)))[2];
    const r = await h.api('PATCH', `/users/${organizer}/events/${third['id']}?scope=following`, { start: '2027-03-25T14:00:00' });
    expect(r.status).toBe(200);
    expect(r.body.isOfficeHours).toBe(true);
    const stored = await h.mailbox(organizer);
    const [before, after] = [created.body.id, r.body.id].map((id) => stored.find((e) => e['id'] === id) as Record<string, Json>);
    for (const e of [before, after]) expect(e['categories']).toContain('Office hours');
    expect(after['recurrence'].range).toMatchObject({ type: 'endDate', startDate: '2027-03-25', endDate: '2027-05-13' });
    expect((await occurrences(organizer, String(r.body.id))).map((e) => e['start'].dateTime.slice(11, 16))).toEqual(Array(8).fill('14:00'));
    const tagged = await h.graphEvent(organizer, String(r.body.id));
    expect(tagged['categories']).toContain('Office hours');
  });

  it('on the first occurrence it edits the whole series; on a single event or with bad input: 400, nothing written', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, weekly({ start: '2027-03-12T10:00:00', end: '2027-03-12T11:00:00', attendees: [] }));
    const [firstOccurrence, second] = await occurrences(organizer, String(created.body.id));
    const all = await h.api('PATCH', `/users/${organizer}/events/${firstOccurrence['id']}?scope=following`, { title: 'Renamed' });
    expect(all.status).toBe(200);
    expect(all.body.id).toBe(created.body.id);
    expect((await occurrences(organizer, String(created.body.id))).every((e) => String(e['subject']) === 'Renamed')).toBe(true);

    const writes = await h.writes();
    const bad = await h.api('PATCH', `/users/${organizer}/events/${second['id']}?scope=following`, { start: '2027-03-19T12:00:00', end: '2027-03-19T11:00:00' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(bad.body.message).toMatch(/^end: /);
    const single = await h.api('POST', `/users/${organizer}/events`, { title: 'Once', start: '2027-03-13T10:00:00', end: '2027-03-13T11:00:00', timeZone: 'UTC' });
    const writesSingle = await h.writes();
    const refused = await h.api('PATCH', `/users/${organizer}/events/${single.body.id}?scope=following`, { title: 'x' });
    expect([refused.status, refused.body.message]).toEqual([400, expect.stringMatching(/^scope: /)]);
    expect(await h.writes()).toBe(writesSingle);
    expect(writesSingle).toBe(writes + 1);
  });
});

describe('DELETE ...?scope=following|series (cancel this and following occurrences, or the series)', () => {
  it('on the 5th of 10 weekly occurrences: the first 4 stay, the rest are gone, the attendee keeps the same 4; the cache is refreshed', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, weekly({ title: 'Cancel from the fifth', start: '2027-03-09T08:00:00', end: '2027-03-09T09:00:00' }));
    expect(created.status).toBe(201);
    const fifth = (await occurrences(organizer, String(created.body.id)))[4];
    const refreshes = h.sync.refreshes.length;
    const r = await h.api('DELETE', `/users/${organizer}/events/${fifth['id']}?scope=following`);
    expect(r.status).toBe(204);
    const left = await occurrences(organizer, String(created.body.id));
    expect(left.map((e) => e['start'].dateTime.slice(0, 10))).toEqual(['2027-03-09', '2027-03-16', '2027-03-23', '2027-03-30']);
    const master = (await h.mailbox(organizer)).find((e) => e['id'] === created.body.id) as Record<string, Json>;
    expect(master['recurrence'].range).toMatchObject({ type: 'endDate', startDate: '2027-03-09', endDate: '2027-04-05' });
    expect((await calendarView(attendee)).filter((e) => String(e['subject']) === 'Cancel from the fifth')).toHaveLength(4);
    expect(h.sync.refreshes.length).toBe(refreshes + 1);
  });

  it('from the first occurrence (following) or with scope=series: the whole series; a single event with a series scope: 400 naming scope, nothing written', async () => {
    const a = await h.api('POST', `/users/${organizer}/events`, weekly({ title: 'Cancel all A', start: '2027-03-08T07:00:00', end: '2027-03-08T07:30:00', attendees: [] }));
    const [firstOfA] = await occurrences(organizer, String(a.body.id));
    expect((await h.api('DELETE', `/users/${organizer}/events/${firstOfA['id']}?scope=following`)).status).toBe(204);
    expect(await occurrences(organizer, String(a.body.id))).toEqual([]);

    const b = await h.api('POST', `/users/${organizer}/events`, weekly({ title: 'Cancel all B', start: '2027-03-08T12:00:00', end: '2027-03-08T12:30:00', attendees: [] }));
    const thirdOfB = (await occurrences(organizer, String(b.body.id)))[2];
    expect((await h.api('DELETE', `/users/${organizer}/events/${thirdOfB['id']}?scope=series`)).status).toBe(204);
    expect(await occurrences(organizer, String(b.body.id))).toEqual([]);

    const single = await h.api('POST', `/users/${organizer}/events`, { title: 'Once more', start: '2027-03-14T10:00:00', end: '2027-03-14T11:00:00', timeZone: 'UTC' });
    const writes = await h.writes();
    const refused = await h.api('DELETE', `/users/${organizer}/events/${single.body.id}?scope=following`);
    expect([refused.status, refused.body.message]).toEqual([400, expect.stringMatching(/^scope: /)]);
    expect((await h.api('DELETE', `/users/${organizer}/events/${single.body.id}?scope=sideways`)).status).toBe(400);
    expect(await h.writes()).toBe(writes);
  });
});
