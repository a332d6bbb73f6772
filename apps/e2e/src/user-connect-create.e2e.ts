// Journey 2 — a user connects Outlook, creates a weekly meeting with attendees in a non-UTC zone,
// finds it at once in Upcoming Events, opens it, renames the series; the attendee sees it after
// a Refresh and may not edit it.
import type { EventDetail } from '@ocb/service-clients';
import { Platform, uniqueWord, wallTime } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const ORGANIZER = 'diego.siciliani@contoso.com';
const ATTENDEE = 'brian.johnson@contoso.com';
const EXTERNAL = 'guest.e2e@example.org';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The wall time of an instant in an IANA zone, `YYYY-MM-DDTHH:mm:ss`. */
function wallIn(instant: string, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .map((x) => [x.type, x.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

describe(`user: connect, create, find, open, edit; attendee view (${info.database})`, () => {
  const word = uniqueWord('Quokka');
  const title = `${word} design review`;
  const renamed = `${word} architecture review`;
  const start = wallTime(7, 10);
  const end = wallTime(7, 11);
  const weekday = WEEKDAYS[new Date(`${start.slice(0, 10)}T00:00:00Z`).getUTCDay()]!;
  let created: EventDetail;

  beforeAll(() => p.resetFaults());

  it('connects through the authorize round trip and lands on returnUrl', async () => {
    const { hops, finalLocation } = await p.connect(ORGANIZER);
    expect(hops[1]).toMatch(new RegExp(`^${info.simOrigin}/[^/]+/oauth2/v2.0/authorize\\?`));
    const authorize = new URL(hops[1]!);
    expect(authorize.searchParams.get('login_hint')).toBe(ORGANIZER);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toEqual(expect.any(String));
    expect(authorize.searchParams.get('scope')).toMatch(/Calendars\.ReadWrite/);
    expect(authorize.searchParams.get('scope')).toMatch(/offline_access/);
    expect(hops[2]).toMatch(/\/app\/api\/auth\/serviceAction\/callback\?/);
    expect(finalLocation.startsWith('http://localhost:3000/done')).toBe(true);
    const conn = await p.expect<{ connected: boolean; scopes: string[] }>(200, 'auth', 'GET', `/api/auth/users/${encodeURIComponent(ORGANIZER)}/connection`);
    expect(conn.connected).toBe(true);
  });

  it('creates a weekly online meeting with a tenant attendee and an external one in Pacific time', async () => {
    created = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${encodeURIComponent(ORGANIZER)}/events`, {
      title,
      start,
      end,
      timeZone: 'Pacific Standard Time',
      recurrence: { type: 'weekly', interval: 1, daysOfWeek: [weekday], count: 4 },
      location: 'Room 4',
      description: 'Agenda in the doc',
      attendees: [ATTENDEE, { email: EXTERNAL, name: 'Guest', type: 'optional' }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
    });
    expect(created.subject).toBe(title);
    expect(created.isOrganizer).toBe(true);
    expect(created.canEdit).toBe(true);
    expect(created.organizer.email).toBe(ORGANIZER);
    expect(created.attendees.map((a) => a.email.toLowerCase()).sort()).toEqual([ATTENDEE, EXTERNAL].sort());
    expect(created.recurrence).toMatchObject({ type: 'weekly', daysOfWeek: [weekday] });
  });

  it('finds it at once in Upcoming Events by a search word, every occurrence in Pacific time', async () => {
    const items = await p.cachedEvents(ORGANIZER, { q: word.toLowerCase() });
    expect(items.map((e) => e.subject)).toEqual([title, title, title, title]);
    for (const e of items) {
      expect(e.start.timeZone).toBe('Pacific Standard Time');
      expect(e.start.dateTime.slice(11, 16)).toBe('10:00');
      expect(wallIn(e.startUtc, 'America/Los_Angeles').slice(11)).toBe('10:00:00');
      expect(e.endUtc).toMatch(/Z$/);
      expect(e.seriesMasterId).toEqual(expect.any(String));
    }
    expect(items[0]!.start.dateTime.slice(0, 10)).toBe(start.slice(0, 10));
  });

  it('opens the detail: join link, attendees, organizer, recurrence', async () => {
    const [first] = await p.cachedEvents(ORGANIZER, { q: word, limit: 1 });
    const detail = await p.expect<EventDetail>(200, 'sync', 'GET', `/api/users/${encodeURIComponent(ORGANIZER)}/events/${encodeURIComponent(first!.id)}`);
    expect(detail).toMatchObject({
      id: first!.id,
      subject: title,
      isAllDay: false,
      location: 'Room 4',
      description: expect.stringContaining('Agenda in the doc'),
      organizer: { email: ORGANIZER },
      isOrganizer: true,
      canEdit: true,
      type: 'occurrence',
      recurrence: { type: 'weekly', daysOfWeek: [weekday] },
      isOfficeHours: false,
      isCancelled: false,
    });
    expect(detail.joinUrl).toMatch(/^https:\/\//);
    expect(detail.attendees).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: ATTENDEE, type: 'required' }), expect.objectContaining({ email: EXTERNAL, type: 'optional' })]),
    );
  });

  it('renames the whole series from an occurrence (scope=series) and sees the new title', async () => {
    const [first] = await p.cachedEvents(ORGANIZER, { q: word, limit: 1 });
    const edited = await p.expect<EventDetail>(200, 'actions', 'PATCH', `/api/users/${encodeURIComponent(ORGANIZER)}/events/${encodeURIComponent(first!.id)}?scope=series`, {
      title: renamed,
    });
    expect(edited.subject).toBe(renamed);
    const items = await p.cachedEvents(ORGANIZER, { q: word });
    expect(items.map((e) => e.subject)).toEqual([renamed, renamed, renamed, renamed]);
    expect(await p.cachedEvents(ORGANIZER, { q: 'architecture ' + word })).toHaveLength(4);
  });

  it('the attendee sees it after a Refresh and cannot edit it (403 NOT_ORGANIZER)', async () => {
    await p.refresh(ATTENDEE);
    const items = await p.cachedEvents(ATTENDEE, { q: word });
    expect(items.map((e) => e.subject)).toEqual([renamed, renamed, renamed, renamed]);
    expect(items[0]).toMatchObject({ isOrganizer: false, canEdit: false, organizer: { email: ORGANIZER } });

    await p.connect(ATTENDEE);
    const before = await p.stats();
    const r = await p.call('actions', 'PATCH', `/api/users/${encodeURIComponent(ATTENDEE)}/events/${encodeURIComponent(items[0]!.id)}?scope=series`, { title: 'hijacked' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ statusCode: 403, code: 'NOT_ORGANIZER', message: expect.any(String) });
    expect((await p.stats()).writes).toEqual(before.writes);
    const after = await p.cachedEvents(ORGANIZER, { q: word });
    expect(after.map((e) => e.subject)).toEqual([renamed, renamed, renamed, renamed]);
  });
});
