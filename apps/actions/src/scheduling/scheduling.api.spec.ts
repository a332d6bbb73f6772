import { startActions, type ActionsHarness, type Json } from '../testing/actions-test-kit';

let h: ActionsHarness;
let organizer: { id: string; mail: string };
let ana: { id: string; mail: string };
let bo: { id: string; mail: string };

beforeAll(async () => {
  h = await startActions();
  [organizer, ana, bo] = h.users.map((u) => ({ id: u.id, mail: u.mail }));
  // PST organizer, IST attendee (Wednesday 10 March 2027: PST is UTC-8, IST UTC+5:30).
  h.sim.simulator.state.findUser(organizer.id)!.timeZone = 'Pacific Standard Time';
  h.sim.simulator.state.findUser(ana.id)!.timeZone = 'India Standard Time';
});
afterAll(() => h.close());

async function busy(user: string, subject: string, start: string, end: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const res = await h.sim.admin(`users/${user}/events`, {
    method: 'POST',
    body: { subject, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' }, ...extra },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Json;
}

async function clear(...users: string[]): Promise<void> {
  for (const u of users) for (const e of await h.mailbox(u)) await h.sim.admin(`users/${u}/events/${e['id']}`, { method: 'DELETE' });
}

async function getScheduleCalls(): Promise<Record<string, number>> {
  const stats = (await (await h.sim.admin('stats')).json()) as { requests: Record<string, Record<string, number>> };
  return stats.requests['POST /me/calendar/getSchedule'] ?? {};
}

const form = (over: Record<string, unknown> = {}) => ({
  title: 'Design review',
  start: '2027-03-10T08:00:00',
  end: '2027-03-10T09:00:00',
  timeZone: 'Pacific Standard Time',
  attendees: [ana.mail, bo.mail],
  ...over,
});

describe('conflicts on create and edit', () => {
  beforeEach(() => clear(organizer.id, ana.id, bo.id));

  it('a create overlapping an attendee busy event reports that attendee and slot, and still creates', async () => {
    // 08:30–09:30 PST = 16:30–17:30 UTC
    await busy(ana.id, 'Ana 1:1', '2027-03-10T16:30:00', '2027-03-10T17:30:00');
    await busy(bo.id, 'Bo later', '2027-03-10T18:00:00', '2027-03-10T19:00:00');
    const r = await h.api('POST', `/users/${organizer.id}/events`, form());
    expect(r.status).toBe(201);
    expect(r.body.id).toBeTruthy();
    expect(r.body.conflicts).toEqual([
      {
        email: ana.mail,
        status: 'busy',
        subject: 'Ana 1:1',
        startUtc: '2027-03-10T16:30:00.000Z',
        endUtc: '2027-03-10T17:30:00.000Z',
        start: { dateTime: '2027-03-10T08:30:00.0000000', timeZone: 'Pacific Standard Time' },
        end: { dateTime: '2027-03-10T09:30:00.0000000', timeZone: 'Pacific Standard Time' },
      },
    ]);
    // the meeting's own copies in Ana's and Bo's calendars are not conflicts
    expect((await h.mailbox(ana.id)).length).toBe(2);
  });

  it('an edit reports the conflicts at the new time (none at a free time); recurring busy time counts', async () => {
    const created = await h.api('POST', `/users/${organizer.id}/events`, form());
    expect(created.body.conflicts).toEqual([]);
    // Bo: a weekly series from 3 March, busy at 20:00–21:00 UTC on Wednesdays
    await busy(bo.id, 'Bo weekly', '2027-03-03T20:00:00', '2027-03-03T21:00:00', {
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'] }, range: { type: 'noEnd', startDate: '2027-03-03' } },
    });
    const moved = await h.api('PATCH', `/users/${organizer.id}/events/${created.body.id}`, { start: '2027-03-10T12:30:00', end: '2027-03-10T13:30:00' });
    expect(moved.status).toBe(200);
    expect(moved.body.conflicts).toEqual([expect.objectContaining({ email: bo.mail, subject: 'Bo weekly', startUtc: '2027-03-10T20:00:00.000Z' })]);
    const free = await h.api('PATCH', `/users/${organizer.id}/events/${created.body.id}`, { start: '2027-03-10T14:00:00', end: '2027-03-10T15:00:00' });
    expect(free.body.conflicts).toEqual([]);
  });

  it('a weekly series is checked by its occurrences', async () => {
    // 08:00 PDT (DST from 14 March) = 15:00 UTC
    await busy(ana.id, 'Only the third week', '2027-03-24T15:00:00', '2027-03-24T15:30:00');
    const r = await h.api('POST', `/users/${organizer.id}/events`, form({ recurrence: { type: 'weekly', count: 4 } }));
    expect(r.status).toBe(201);
    expect(r.body.conflicts).toEqual([expect.objectContaining({ email: ana.mail, startUtc: '2027-03-24T15:00:00.000Z', subject: 'Only the third week' })]);
  });

  it('more than 20 attendees: getSchedule is called per 20 addresses and every one is checked', async () => {
    await busy(bo.id, 'Bo busy', '2027-03-10T16:00:00', '2027-03-10T16:30:00');
    const guests = Array.from({ length: 22 }, (_, i) => `guest${i}@fabrikam.com`);
    const before = await getScheduleCalls();
    const r = await h.api('POST', `/users/${organizer.id}/events`, form({ attendees: [...guests, ana.mail, bo.mail] }));
    expect(r.status).toBe(201);
    expect(r.body.conflicts).toEqual([expect.objectContaining({ email: bo.mail, subject: 'Bo busy' })]);
    const after = await getScheduleCalls();
    expect((after['200'] ?? 0) - (before['200'] ?? 0)).toBe(2);
    expect(after['400'] ?? 0).toBe(before['400'] ?? 0);
  });

  it('office hours warn when they overlap the organizer own events', async () => {
    // the second week: 08:00–10:00 PDT = 15:00–17:00 UTC
    await busy(organizer.id, 'Dentist', '2027-03-17T16:00:00', '2027-03-17T17:00:00');
    const r = await h.api('POST', `/users/${organizer.id}/office-hours`, {
      start: '2027-03-10T08:00:00',
      end: '2027-03-10T10:00:00',
      timeZone: 'Pacific Standard Time',
      recurrence: { type: 'weekly', count: 3 },
    });
    expect(r.status).toBe(201);
    expect(r.body.conflicts).toEqual([expect.objectContaining({ email: h.users[0].userPrincipalName, subject: 'Dentist', startUtc: '2027-03-17T16:00:00.000Z' })]);
  });

  it('a failing free/busy check does not fail the write: conflicts is null', async () => {
    await h.sim.admin('faults', { method: 'PUT', body: { routes: { 'POST /me/calendar/getSchedule': { resetRate: 1 } } } });
    try {
      const r = await h.api('POST', `/users/${organizer.id}/events`, form());
      expect(r.status).toBe(201);
      expect(r.body.conflicts).toBeNull();
    } finally {
      await h.sim.admin('faults', { method: 'PUT', body: { routes: null } });
    }
  }, 20_000);
});

describe('POST /api/users/{user}/availability', () => {
  beforeEach(() => clear(organizer.id, ana.id, bo.id));

  it('the busy time of the organizer and attendees, recurring included, in the asked zone', async () => {
    await busy(organizer.id, 'Own', '2027-03-10T17:00:00', '2027-03-10T17:30:00');
    await busy(ana.id, 'Daily standup', '2027-03-08T16:00:00', '2027-03-08T16:15:00', {
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2027-03-08', numberOfOccurrences: 5 } },
    });
    const r = await h.api('POST', `/users/${organizer.id}/availability`, {
      start: '2027-03-10T07:00:00',
      end: '2027-03-10T12:00:00',
      timeZone: 'America/Los_Angeles',
      attendees: [ana.mail, 'nobody@fabrikam.com'],
      intervalMinutes: 60,
    });
    expect(r.status).toBe(200);
    expect(r.body.timeZone).toBe('Pacific Standard Time');
    const [own, a, nobody] = [0, 1, 2].map((i) => r.body.schedules[i]);
    expect(own).toMatchObject({ isOrganizer: true, availabilityView: '00200', busy: [{ status: 'busy', subject: 'Own', start: { dateTime: '2027-03-10T09:00:00.0000000' } }] });
    expect(a).toMatchObject({ email: ana.mail, isOrganizer: false, error: null, availabilityView: '02000', busy: [{ subject: 'Daily standup', startUtc: '2027-03-10T16:00:00.000Z' }] });
    expect(a.workingHours).toMatchObject({ startTime: '08:00:00.0000000', timeZone: { name: 'India Standard Time' } });
    expect(nobody).toMatchObject({ email: 'nobody@fabrikam.com', busy: [], error: expect.stringContaining('nobody@fabrikam.com') });
  });

  it.each([
    ['20 attendees', { attendees: Array.from({ length: 20 }, (_, i) => `a${i}@contoso.com`) }, /^attendees must have at most 19/],
    ['a bad address', { attendees: ['not-an-address'] }, /^attendees\[0\]/],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, /^timeZone: /],
    ['an end before the start', { end: '2027-03-09T12:00:00' }, /^end: end must be after start/],
    ['a window of 62 days', { end: '2027-05-11T07:00:00' }, /^end: the window must be shorter than 62 days/],
    ['a start with an offset', { start: '2027-03-10T07:00:00Z' }, /^start must be a wall time/],
    ['an interval of 4 minutes', { intervalMinutes: 4 }, /intervalMinutes/],
  ])('400 naming the field for %s, nothing asked of Graph', async (_name, over, message) => {
    const calls = await getScheduleCalls();
    const r = await h.api('POST', `/users/${organizer.id}/availability`, { start: '2027-03-10T07:00:00', end: '2027-03-10T12:00:00', timeZone: 'UTC', attendees: [ana.mail], ...over });
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.body.message).toMatch(message);
    expect(await getScheduleCalls()).toEqual(calls);
  });
});

describe('POST /api/users/{user}/meeting-times', () => {
  beforeEach(() => clear(organizer.id, ana.id, bo.id));
  afterEach(() => h.sim.admin(`users/${ana.id}/working-hours`, { method: 'DELETE' }));

  it('suggestions avoid every required attendee busy time and respect working hours across zones (PST organizer, IST attendee)', async () => {
    // Ana (IST) works 12:00–23:00 IST = 06:30–17:30 UTC; the organizer 08:00–17:00 PST = 16:00–01:00 UTC.
    await h.sim.admin(`users/${ana.id}/working-hours`, { method: 'PUT', body: { daysOfWeek: ['wednesday'], startTime: '12:00', endTime: '23:00', timeZone: 'India Standard Time' } });
    await busy(ana.id, 'Ana busy', '2027-03-10T16:00:00', '2027-03-10T16:30:00');
    const r = await h.api('POST', `/users/${organizer.id}/meeting-times`, {
      start: '2027-03-10T00:00:00',
      end: '2027-03-11T00:00:00',
      timeZone: 'Pacific Standard Time',
      attendees: [ana.mail],
      durationMinutes: 30,
      maxCandidates: 20,
    });
    expect(r.status).toBe(200);
    expect(r.body.emptySuggestionsReason).toBeNull();
    // 16:00–17:30 UTC is the overlap; 16:00–16:30 is Ana's busy half hour.
    expect(r.body.suggestions.map((s: Json) => s.startUtc)).toEqual(['2027-03-10T16:30:00.000Z', '2027-03-10T17:00:00.000Z']);
    expect(r.body.suggestions[0]).toMatchObject({
      start: { dateTime: '2027-03-10T08:30:00.0000000', timeZone: 'Pacific Standard Time' },
      confidence: 100,
      attendees: [{ email: ana.mail, type: 'required', availability: 'free' }],
    });
  });

  it('a slot with a busy required attendee is never offered, even under a low confidence threshold', async () => {
    await busy(bo.id, 'Bo all morning', '2027-03-10T16:00:00', '2027-03-10T20:00:00');
    const r = await h.api('POST', `/users/${organizer.id}/meeting-times`, {
      start: '2027-03-10T08:00:00',
      end: '2027-03-10T12:00:00',
      timeZone: 'Pacific Standard Time',
      attendees: [bo.mail, { email: 'guest@fabrikam.com', type: 'optional' }],
      durationMinutes: 60,
      minimumAttendeePercentage: 0,
      activityDomain: 'unrestricted',
    });
    expect(r.status).toBe(200);
    expect(r.body.suggestions).toEqual([]);
    expect(r.body.emptySuggestionsReason).toBe('attendeesUnavailable');
  });

  it.each([
    ['no duration', { durationMinutes: undefined }, /durationMinutes/],
    ['an unknown activity domain', { activityDomain: 'leisure' }, /activityDomain/],
    ['a bad attendee', { attendees: [{ email: 'x@contoso.com', type: 'boss' }] }, /^attendees\[0\]\.type/],
  ])('400 naming the field for %s', async (_name, over, message) => {
    const r = await h.api('POST', `/users/${organizer.id}/meeting-times`, { start: '2027-03-10T08:00:00', end: '2027-03-10T12:00:00', timeZone: 'UTC', attendees: [ana.mail], durationMinutes: 30, ...over });
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.body.message).toMatch(message);
  });
});
