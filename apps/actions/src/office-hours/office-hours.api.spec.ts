import { testDatabaseKinds } from '@ocb/testing';
import { OFFICE_HOURS_PROPERTY_ID } from '@ocb/graph-client';
import { startActions, type ActionsHarness, type Json } from '../testing/actions-test-kit';

describe.each(testDatabaseKinds())('office hours (%s)', (kind) => {
  let h: ActionsHarness;
  let user: string;

  beforeAll(async () => {
    h = await startActions({ kind });
    user = h.users[0].id;
  });
  afterAll(() => h?.close());

  const form = (over: Record<string, unknown> = {}) => ({
    start: '2027-03-02T15:00:00',
    end: '2027-03-02T16:00:00',
    timeZone: 'Europe/Berlin',
    recurrence: { type: 'weekly', daysOfWeek: ['tuesday'] },
    description: 'Ask me anything',
    ...over,
  });

  /** The event as Graph has it, with the office hours property expanded. */
  async function tagged(id: string): Promise<Record<string, Json>> {
    const expand = encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${OFFICE_HOURS_PROPERTY_ID}')`);
    const res = await fetch(`${h.sim.graphBaseUrl}/v1.0/users/${user}/events/${id}?$expand=${expand}`, {
      headers: { Authorization: `Bearer ${h.sim.simulator.userToken(user)}` },
    });
    return (await res.json()) as Record<string, Json>;
  }

  it('creates a tagged recurring series (201), the cache refreshed first', async () => {
    const before = h.sync.calls.length;
    const r = await h.api('POST', `/users/${user}/office-hours`, form());
    expect(r.status).toBe(201);
    expect(h.sync.calls.slice(before)).toEqual([`refresh:${user}`, `event:${user}:${r.body.id}`]);
    expect(r.body).toMatchObject({
      subject: 'Office hours',
      type: 'seriesMaster',
      isOfficeHours: true,
      description: 'Ask me anything',
      startUtc: '2027-03-02T14:00:00.000Z',
      recurrence: { type: 'weekly', daysOfWeek: ['tuesday'] },
    });
    const event = await tagged(String(r.body.id));
    expect(event['categories']).toEqual(['Office hours']);
    expect(event['singleValueExtendedProperties']).toEqual([{ id: OFFICE_HOURS_PROPERTY_ID, value: 'true' }]);
    expect(event['recurrence'].range).toMatchObject({ type: 'noEnd', startDate: '2027-03-02', recurrenceTimeZone: 'W. Europe Standard Time' });
  });

  it('must recur, and takes only the office hours form (400, nothing written)', async () => {
    const writes = await h.writes();
    for (const [body, message] of [
      [form({ recurrence: { type: 'once' } }), /^recurrence\.type: office hours must recur/],
      [{ ...form(), recurrence: undefined }, /^recurrence must be an object/],
      [form({ attendees: ['ana@contoso.com'] }), /^attendees: unknown field$/],
      [form({ end: '2027-03-02T14:00:00' }), /^end: end must be after start/],
      [form({ recurrence: { type: 'monthly', until: '2027-12-31', count: 3 } }), /^recurrence: give at most one of until and count/],
    ] as const) {
      const r = await h.api('POST', `/users/${user}/office-hours`, body);
      expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(r.body.message).toMatch(message);
    }
    expect(await h.writes()).toBe(writes);
  });

  it('edits the series (also from one of its occurrences), keeping the tags and the id', async () => {
    const created = await h.api('POST', `/users/${user}/office-hours`, form({ title: 'Open door', recurrence: { type: 'daily', count: 5 } }));
    const edited = await h.api('PATCH', `/users/${user}/office-hours/${created.body.id}`, { description: 'Room 12', start: '2027-03-02T16:00:00', end: '2027-03-02T17:30:00' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: created.body.id, subject: 'Open door', description: 'Room 12', startUtc: '2027-03-02T15:00:00.000Z', isOfficeHours: true });

    const view = await fetch(`${h.sim.graphBaseUrl}/v1.0/users/${user}/calendarView?startDateTime=2027-03-01T00:00:00Z&endDateTime=2027-03-10T00:00:00Z`, {
      headers: { Authorization: `Bearer ${h.sim.simulator.userToken(user)}` },
    }).then(async (r) => ((await r.json()) as { value: Array<Record<string, Json>> }).value.filter((e) => e['seriesMasterId'] === created.body.id));
    expect(view).toHaveLength(5);
    const fromOccurrence = await h.api('PATCH', `/users/${user}/office-hours/${view[2]['id']}`, { recurrence: { type: 'weekly', daysOfWeek: ['tuesday', 'thursday'], until: '2027-06-30' } });
    expect(fromOccurrence.status).toBe(200);
    expect(fromOccurrence.body).toMatchObject({ id: created.body.id, recurrence: { type: 'weekly', daysOfWeek: ['tuesday', 'thursday'], until: '2027-06-30' } });
    const event = await tagged(String(created.body.id));
    expect(event['singleValueExtendedProperties']).toEqual([{ id: OFFICE_HOURS_PROPERTY_ID, value: 'true' }]);
    expect(event['categories']).toEqual(['Office hours']);

    const once = await h.api('PATCH', `/users/${user}/office-hours/${created.body.id}`, { recurrence: { type: 'once' } });
    expect([once.status, once.body.message]).toEqual([400, expect.stringMatching(/^recurrence\.type: office hours must recur/)]);
  });

  it('edits only office hours of the user', async () => {
    const plain = await h.api('POST', `/users/${user}/events`, { title: 'Plain', start: '2027-03-02T10:00', end: '2027-03-02T11:00', timeZone: 'UTC', recurrence: { type: 'daily', count: 2 } });
    const r = await h.api('PATCH', `/users/${user}/office-hours/${plain.body.id}`, { description: 'x' });
    expect([r.status, r.body.code]).toEqual([404, 'NOT_FOUND']);
    const other = await h.api('POST', `/users/${h.users[1].id}/office-hours`, form());
    const notMine = await h.api('PATCH', `/users/${user}/office-hours/${other.body.id}`, { description: 'x' });
    expect([notMine.status, notMine.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('an Idempotency-Key makes a retried create return the first series', async () => {
    const body = form({ title: 'Idempotent hours' });
    const first = await h.api('POST', `/users/${user}/office-hours`, body, { 'Idempotency-Key': 'oh-1' });
    const again = await h.api('POST', `/users/${h.users[0].userPrincipalName}/office-hours`, body, { 'Idempotency-Key': 'oh-1' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect((await h.mailbox(user)).filter((e) => String(e['subject']) === 'Idempotent hours')).toHaveLength(1);
    // The same key on the events route is another request.
    const reused = await h.api('POST', `/users/${user}/events`, { ...body, title: 'Idempotent hours' }, { 'Idempotency-Key': 'oh-1' });
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });
});
