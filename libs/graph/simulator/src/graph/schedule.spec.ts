import { call, type Json, people, testSimulator } from '../testing/simulator-test-kit';
import { parseIsoDuration } from './meeting-times.routes';

const [adele, alex, nobox] = people;
const ira = { id: '11111111-0000-4000-8000-000000000004', userPrincipalName: 'ira@contoso.com', mail: 'ira@contoso.com', displayName: 'Ira Iyer', givenName: 'Ira', surname: 'Iyer', hasMailbox: true, timeZone: 'India Standard Time' };

const at = (dateTime: string, timeZone = 'UTC') => ({ dateTime, timeZone });

function setup() {
  const t = testSimulator();
  t.sim.seed({ tenant: { users: [...people, ira] } });
  return t;
}

async function event(sim: ReturnType<typeof setup>['sim'], user: string, body: Record<string, unknown>) {
  const r = await call(sim, 'POST', `/users/${user}/events`, { body });
  expect(r.status).toBe(201);
  return r.body;
}

describe('getSchedule', () => {
  it('answers availabilityView, items (recurring occurrences too), working hours and per-item errors', async () => {
    const { sim } = setup();
    // A weekly series from Monday 2 March: its second occurrence (9 March) must count.
    await event(sim, alex.id, {
      subject: 'Weekly sync',
      start: at('2026-03-02T10:00:00'),
      end: at('2026-03-02T11:00:00'),
      location: { displayName: 'Room 4' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 4 } },
    });
    await event(sim, alex.id, { subject: 'Maybe', showAs: 'tentative', start: at('2026-03-09T12:00:00'), end: at('2026-03-09T12:30:00') });
    await event(sim, alex.id, { subject: 'Away', showAs: 'oof', start: at('2026-03-09T13:00:00'), end: at('2026-03-09T14:00:00') });
    await event(sim, alex.id, { subject: 'Free lunch', showAs: 'free', start: at('2026-03-09T09:00:00'), end: at('2026-03-09T10:00:00') });
    await event(sim, alex.id, { subject: 'Secret', sensitivity: 'private', start: at('2026-03-09T15:00:00'), end: at('2026-03-09T16:00:00') });
    const r = await call(sim, 'POST', `/users/${adele.id}/calendar/getSchedule`, {
      body: { Schedules: [alex.mail, 'ghost@fabrikam.com', nobox.mail], StartTime: at('2026-03-09T09:00:00'), EndTime: at('2026-03-09T17:00:00'), availabilityViewInterval: 60 },
    });
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toMatch(/Collection\(microsoft\.graph\.scheduleInformation\)$/);
    const [a, ghost, box] = r.body.value;
    expect(a.scheduleId).toBe(alex.mail);
    //                        9 10 11 12 13 14 15 16
    expect(a.availabilityView).toBe('02013020');
    expect(a.scheduleItems).toEqual([
      { isPrivate: false, status: 'busy', subject: 'Weekly sync', location: 'Room 4', start: at('2026-03-09T10:00:00.0000000'), end: at('2026-03-09T11:00:00.0000000') },
      { isPrivate: false, status: 'tentative', subject: 'Maybe', location: '', start: at('2026-03-09T12:00:00.0000000'), end: at('2026-03-09T12:30:00.0000000') },
      { isPrivate: false, status: 'oof', subject: 'Away', location: '', start: at('2026-03-09T13:00:00.0000000'), end: at('2026-03-09T14:00:00.0000000') },
      { isPrivate: true, status: 'busy', start: at('2026-03-09T15:00:00.0000000'), end: at('2026-03-09T16:00:00.0000000') },
    ]);
    expect(a.workingHours).toEqual({ daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' } });
    for (const [item, id] of [[ghost, 'ghost@fabrikam.com'], [box, nobox.mail]] as Array<[Json, string]>) {
      expect(item).toMatchObject({ scheduleId: id, availabilityView: '', scheduleItems: [], error: { responseCode: 'ErrorMailRecipientNotFound' } });
      expect(item.error.message).toContain(id);
    }
  });

  it('writes times in the Prefer zone and defaults the interval to 30 minutes', async () => {
    const { sim } = setup();
    await event(sim, alex.id, { subject: 'x', start: at('2026-03-09T17:00:00'), end: at('2026-03-09T18:00:00') });
    const r = await call(sim, 'POST', `/me/calendar/getSchedule`, {
      token: sim.userToken(adele.id),
      headers: { Prefer: 'outlook.timezone="Pacific Standard Time"' },
      body: { schedules: [alex.mail], startTime: at('2026-03-09T08:00:00', 'Pacific Standard Time'), endTime: at('2026-03-09T11:00:00', 'Pacific Standard Time') },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('preference-applied')).toBe('outlook.timezone="Pacific Standard Time"');
    // 17:00 UTC is 10:00 PDT on 9 March (DST began on the 8th).
    expect(r.body.value[0].availabilityView).toBe('000022');
    expect(r.body.value[0].scheduleItems[0].start).toEqual(at('2026-03-09T10:00:00.0000000', 'Pacific Standard Time'));
  });

  it.each([
    ['21 schedules', { schedules: Array.from({ length: 21 }, (_, i) => `u${i}@contoso.com`) }, /maximum of 20/],
    ['no schedules', { schedules: [] }, /Schedules/],
    ['a window of 62 days', { endTime: at('2026-05-11T09:00:00') }, /shorter than 62 days/],
    ['an end before the start', { endTime: at('2026-03-08T09:00:00') }, /later than the StartTime/],
    ['an interval of 4 minutes', { availabilityViewInterval: 4 }, /between 5 and 1440/],
    ['an interval of 1441 minutes', { availabilityViewInterval: 1441 }, /between 5 and 1440/],
    ['a bad start', { startTime: at('yesterday') }, /StartTime\.dateTime/],
    ['an unknown zone', { startTime: at('2026-03-09T09:00:00', 'Mars/Olympus') }, /TimeZone value is not supported/],
  ])('400 for %s', async (_name, over, message) => {
    const { sim } = setup();
    const r = await call(sim, 'POST', `/users/${adele.id}/calendar/getSchedule`, {
      body: { schedules: [alex.mail], startTime: at('2026-03-09T09:00:00'), endTime: at('2026-03-09T17:00:00'), ...over },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });

  it('accepts 20 schedules and a window just under 62 days; app-only needs Calendars.Read, delegated its own mailbox', async () => {
    const { sim } = setup();
    const twenty = await call(sim, 'POST', `/users/${adele.id}/calendar/getSchedule`, {
      body: { schedules: Array.from({ length: 20 }, () => alex.mail), startTime: at('2026-03-09T00:00:00'), endTime: at('2026-05-09T23:59:00'), availabilityViewInterval: 1440 },
    });
    expect(twenty.status).toBe(200);
    expect(twenty.body.value).toHaveLength(20);
    const body = { schedules: [alex.mail], startTime: at('2026-03-09T09:00:00'), endTime: at('2026-03-09T10:00:00') };
    const noRole = await call(sim, 'POST', `/users/${adele.id}/calendar/getSchedule`, { body, token: sim.appToken(['User.Read.All']) });
    expect(noRole.status).toBe(403);
    const other = await call(sim, 'POST', `/users/${alex.id}/calendar/getSchedule`, { body, token: sim.userToken(adele.id) });
    expect(other.status).toBe(403);
    // a read: not counted as a write
    expect(sim.stats().writes['POST /users/{id}/calendar/getSchedule'] ?? 0).toBe(0);
  });
});

describe('findMeetingTimes', () => {
  /** Wednesday 4 March 2026: PST is UTC-8, IST UTC+5:30. */
  const day = { start: at('2026-03-04T00:00:00', 'Pacific Standard Time'), end: at('2026-03-05T00:00:00', 'Pacific Standard Time') };

  async function find(sim: ReturnType<typeof setup>['sim'], body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return call(sim, 'POST', '/me/findMeetingTimes', { token: sim.userToken(adele.id), body, headers });
  }

  it('suggests only times inside both zones working hours and free for the required attendee', async () => {
    const { sim } = setup();
    // Ira works 12:00–23:00 IST (06:30–17:30 UTC); Adele 08:00–17:00 PST (16:00–01:00 UTC): overlap 16:00–17:30 UTC.
    const put = await call(sim, 'PUT', `https://graph.microsoft.com/_sim/users/${ira.id}/working-hours`, { token: null, body: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '12:00', endTime: '23:00', timeZone: 'India Standard Time' } });
    expect(put.status).toBe(200);
    await event(sim, ira.id, { subject: 'Busy', start: at('2026-03-04T16:00:00'), end: at('2026-03-04T16:30:00') });
    const r = await find(sim, { attendees: [{ type: 'required', emailAddress: { address: ira.mail, name: 'Ira' } }], meetingDuration: 'PT1H', timeConstraint: { activityDomain: 'work', timeSlots: [day] }, returnSuggestionReasons: true });
    expect(r.status).toBe(200);
    expect(r.body.emptySuggestionsReason).toBe('');
    expect(r.body.meetingTimeSuggestions).toEqual([
      {
        confidence: 100,
        order: 1,
        organizerAvailability: 'free',
        suggestionReason: expect.stringContaining('all attendees are available'),
        attendeeAvailability: [{ attendee: { type: 'required', emailAddress: { name: 'Ira', address: ira.mail } }, availability: 'free' }],
        locations: [],
        meetingTimeSlot: { start: at('2026-03-04T16:30:00.0000000'), end: at('2026-03-04T17:30:00.0000000') },
      },
    ]);
    // unrestricted: any hour, still never over Ira's busy half hour
    const any = await find(sim, { attendees: [{ emailAddress: { address: ira.mail } }], meetingDuration: 'PT30M', maxCandidates: 100, timeConstraint: { activityDomain: 'unrestricted', timeSlots: [day] } }, { Prefer: 'outlook.timezone="Pacific Standard Time"' });
    const starts = any.body.meetingTimeSuggestions.map((s: { meetingTimeSlot: { start: { dateTime: string } } }) => s.meetingTimeSlot.start.dateTime);
    expect(starts).toHaveLength(47);
    expect(starts).not.toContain('2026-03-04T08:00:00.0000000');
    expect(starts[0]).toBe('2026-03-04T00:00:00.0000000');
  });

  it('says why there is no suggestion; the organizer busy blocks unless optional; unknown attendees are 49%', async () => {
    const { sim } = setup();
    await event(sim, adele.id, { subject: 'All day at work', start: at('2026-03-04T08:00:00', 'Pacific Standard Time'), end: at('2026-03-04T17:00:00', 'Pacific Standard Time') });
    const base = { meetingDuration: 'PT30M', timeConstraint: { timeSlots: [day] } };
    const busy = await find(sim, { ...base, attendees: [{ emailAddress: { address: alex.mail } }] });
    expect(busy.body).toMatchObject({ emptySuggestionsReason: 'organizerUnavailable', meetingTimeSuggestions: [] });
    const optional = await find(sim, { ...base, isOrganizerOptional: true, maxCandidates: 2, attendees: [{ emailAddress: { address: alex.mail } }] });
    expect(optional.body.meetingTimeSuggestions).toHaveLength(2);
    expect(optional.body.meetingTimeSuggestions[0].organizerAvailability).toBe('busy');
    const guest = await find(sim, { ...base, isOrganizerOptional: true, minimumAttendeePercentage: 100, attendees: [{ emailAddress: { address: 'guest@fabrikam.com' } }] });
    expect(guest.body).toMatchObject({ emptySuggestionsReason: 'attendeesUnavailableOrUnknown', meetingTimeSuggestions: [] });
    const guest49 = await find(sim, { ...base, isOrganizerOptional: true, minimumAttendeePercentage: 40, maxCandidates: 1, attendees: [{ emailAddress: { address: 'guest@fabrikam.com' } }] });
    expect(guest49.body.meetingTimeSuggestions[0]).toMatchObject({ confidence: 49, attendeeAvailability: [{ availability: 'unknown' }] });
  });

  it('is delegated only and checks its input', async () => {
    const { sim } = setup();
    const app = await call(sim, 'POST', `/users/${adele.id}/findMeetingTimes`, { body: {} });
    expect(app.status).toBe(403);
    for (const [body, message] of [
      [{ meetingDuration: 'an hour' }, /MeetingDuration/],
      [{ maxCandidates: -1 }, /MaxCandidates/],
      [{ minimumAttendeePercentage: 101 }, /MinimumAttendeePercentage/],
      [{ timeConstraint: { activityDomain: 'leisure' } }, /ActivityDomain/],
      [{ attendees: [{ emailAddress: {} }] }, /Attendees\[0\]/],
    ] as const) {
      const r = await find(sim, body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
  });

  it('parses ISO 8601 durations', () => {
    expect(parseIsoDuration('PT1H')).toBe(3_600_000);
    expect(parseIsoDuration('PT2H30M')).toBe(9_000_000);
    expect(parseIsoDuration('P1DT1M')).toBe(86_460_000);
    expect(parseIsoDuration('PT')).toBeNaN();
    expect(parseIsoDuration('PT0M')).toBeNaN();
    expect(parseIsoDuration('1H')).toBeNaN();
  });
});
