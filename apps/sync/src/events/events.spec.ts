import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import type { EventDetail, OfficeHoursSeries, Page, StartingEvent, UserRef } from '@ocb/service-clients';
import { OFFICE_HOURS_PROPERTY_ID } from '@ocb/graph-client';
import { api, fullSync, startInProcessSimulator, startSync, type SyncRig } from '../testing/sync-test-kit';

const DAY = 86_400_000;
const wall = (ms: number) => new Date(ms).toISOString().slice(0, 19);

describe.each(testDatabaseKinds())('read API (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;
  let user: { id: string; userPrincipalName: string; mail: string };
  let officeHoursId: string;
  let meetingId: string;

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 4, eventsPerUser: 30, seed: 3 });
    rig = await startSync(kind, sim);
    user = sim.simulator.state.users[0];
    const other = sim.simulator.state.users[1];
    const t0 = Math.floor(Date.now() / DAY) * DAY + 2 * DAY + 15 * 3_600_000;
    const oh = await sim.admin(`users/${user.id}/events`, {
      method: 'POST',
      body: {
        subject: 'Office hours',
        body: { contentType: 'text', content: 'Ask me anything' },
        start: { dateTime: wall(t0), timeZone: 'Pacific Standard Time' },
        end: { dateTime: wall(t0 + 3_600_000), timeZone: 'Pacific Standard Time' },
        categories: ['Office hours'],
        singleValueExtendedProperties: [{ id: OFFICE_HOURS_PROPERTY_ID, value: 'true' }],
        recurrence: {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: [new Date(t0).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toLowerCase()] },
          range: { type: 'numbered', startDate: wall(t0).slice(0, 10), numberOfOccurrences: 8 },
        },
      },
    });
    expect(oh.status).toBe(201);
    officeHoursId = ((await oh.json()) as { id: string }).id;
    const meeting = await sim.admin(`users/${user.id}/events`, {
      method: 'POST',
      body: {
        subject: 'Budget Planning',
        body: { contentType: 'html', content: '<p>Agenda: the <b>Pelican</b> numbers</p>' },
        start: { dateTime: wall(t0 + DAY), timeZone: 'W. Europe Standard Time' },
        end: { dateTime: wall(t0 + DAY + 1_800_000), timeZone: 'W. Europe Standard Time' },
        location: { displayName: 'Room Tangerine' },
        attendees: [{ type: 'optional', emailAddress: { address: other.mail, name: 'Colleague' } }],
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
      },
    });
    expect(meeting.status).toBe(201);
    meetingId = ((await meeting.json()) as { id: string }).id;
    expect((await fullSync(rig)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  it('event detail matches the contract', async () => {
    const r = await api.get<EventDetail>(rig, `users/${user.userPrincipalName.toUpperCase()}/events/${encodeURIComponent(meetingId)}`);
    expect(r.status).toBe(200);
    const d = r.body;
    expect(d).toMatchObject({
      id: meetingId,
      subject: 'Budget Planning',
      isAllDay: false,
      location: 'Room Tangerine',
      organizer: { email: user.mail },
      isOrganizer: true,
      canEdit: true,
      type: 'singleInstance',
      seriesMasterId: null,
      recurrence: null,
      isOfficeHours: false,
      isCancelled: false,
      attendees: [expect.objectContaining({ email: sim.simulator.state.users[1].mail, name: 'Colleague', type: 'optional' })],
    });
    expect(d.description).toMatch(/Pelican/);
    expect(d.description).not.toMatch(/</);
    expect(d.joinUrl).toMatch(/^https:\/\//);
    expect(d.webLink).toMatch(/^https:\/\//);
    expect(d.start.timeZone).toBe('W. Europe Standard Time');
    expect(d.start.dateTime).toMatch(/T15:00:00\.0000000$/);
    expect(d.startUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(Date.parse(d.endUtc) - Date.parse(d.startUtc)).toBe(1_800_000);
    // the attendee's copy: not the organizer, cannot edit
    const copies = await api.get<Page<EventDetail>>(rig, `users/${sim.simulator.state.users[1].id}/events?q=pelican`);
    expect(copies.body.items).toHaveLength(1);
    expect(copies.body.items[0]).toMatchObject({ isOrganizer: false, canEdit: false, subject: 'Budget Planning' });
  });

  it('search is case-insensitive over subject, location, organizer, attendees and body', async () => {
    const ids = async (q: string) => (await api.get<Page<EventDetail>>(rig, `users/${user.id}/events?q=${encodeURIComponent(q)}`)).body.items.map((e) => e.id);
    expect(await ids('BUDGET planning')).toContain(meetingId);
    expect(await ids('tangerine')).toEqual([meetingId]);
    expect(await ids('PELICAN')).toEqual([meetingId]);
    expect(await ids(sim.simulator.state.users[1].mail.toUpperCase())).toContain(meetingId);
    expect(await ids('colleague')).toContain(meetingId);
    expect(await ids('no-such-word-anywhere')).toEqual([]);
    expect(await ids('100%_')).toEqual([]);
  });

  it('upcoming events page by cursor in a stable order (startUtc, then id)', async () => {
    const all: EventDetail[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page<EventDetail> } = await api.get<Page<EventDetail>>(
        rig,
        `users/${user.id}/events?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(7);
      all.push(...r.body.items);
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const sorted = [...all].sort((a, b) => (a.startUtc < b.startUtc ? -1 : a.startUtc > b.startUtc ? 1 : a.id < b.id ? -1 : 1));
    expect(all.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
    const now = new Date().toISOString();
    expect(all.every((e) => e.endUtc > now)).toBe(true);
    const [row] = (await rig.ds.query(
      `SELECT COUNT(*) AS n FROM sync_events WHERE user_id = ${kind === 'postgres' ? '$1' : '?'} AND end_utc > ${kind === 'postgres' ? '$2' : '?'}`,
      [user.id, now],
    )) as Array<{ n: string | number }>;
    expect(all.length).toBe(Number(row.n));
    const windowed = await api.get<Page<EventDetail>>(rig, `users/${user.id}/events?from=${all[3].startUtc}&to=${all[6].startUtc}&limit=200`);
    expect(windowed.body.items.every((e) => e.startUtc < all[6].startUtc && e.endUtc > all[3].startUtc)).toBe(true);
  });

  it('a listed event is its detail: the joined series master gives the same recurrence and office-hours flag', async () => {
    const page = await api.get<Page<EventDetail>>(rig, `users/${user.id}/events?limit=200`);
    expect(page.status).toBe(200);
    const occurrences = page.body.items.filter((e) => e.seriesMasterId);
    expect(occurrences.some((e) => e.seriesMasterId === officeHoursId && e.isOfficeHours && e.recurrence?.type === 'weekly')).toBe(true);
    expect(occurrences.some((e) => e.seriesMasterId !== officeHoursId && e.recurrence !== null)).toBe(true);
    expect(page.body.items.some((e) => !e.seriesMasterId)).toBe(true);
    for (const item of page.body.items) {
      const detail = await api.get<EventDetail>(rig, `users/${user.id}/events/${encodeURIComponent(item.id)}`);
      expect(item).toEqual(detail.body);
    }
  });

  it('bad query parameters are 400 naming the field; unknown user or event 404', async () => {
    const expect400 = async (query: string, field: string) => {
      const r = await api.get(rig, `users/${user.id}/events?${query}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    };
    await expect400('from=yesterday', 'from');
    await expect400('to=2026-13-45T00:00:00', 'to');
    await expect400('from=2027-02-30', 'from: no such day');
    await expect400('to=2027-03-01T24:00:00Z', 'to: no such time');
    await expect400('q=a%00b', 'q: must not contain control characters');
    await expect400('limit=0', 'limit');
    await expect400('limit=abc', 'limit');
    await expect400('cursor=garbage', 'cursor');
    // the query reads itself (ListEventsQuery.fromQuery): the whitelist's and the decorators' rules and words
    await expect400('top=5', 'top: unknown field');
    await expect400(`q=${'x'.repeat(201)}`, 'q must be shorter than or equal to 200 characters');
    await expect400('q=a&q=b', 'q must be a string');
    await expect400('limit=12345', 'limit must be an integer from 1 to 200');
    await expect400(`cursor=${'x'.repeat(4097)}`, 'cursor must be shorter than or equal to 4096 characters');
    await expect400('from=yesterday&sort=asc', 'sort: unknown field');
    expect((await api.get(rig, `users/${user.id}/events?q=${'x'.repeat(200)}&limit=5`)).status).toBe(200);
    await expect400('from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'to');
    expect((await api.get(rig, 'users/ghost@contoso.com/events')).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.get(rig, `users/${user.id}/events/nope`)).status).toBe(404);
    expect((await fetch(`${rig.url}/api/users/${user.id}/events`)).status).toBe(401);
  });

  it('office hours: series with their next occurrences; occurrences flagged in search results', async () => {
    const r = await api.get<OfficeHoursSeries[]>(rig, `users/${user.id}/office-hours`);
    expect(r.status).toBe(200);
    const series = r.body.find((s) => s.id === officeHoursId);
    expect(series).toBeDefined();
    expect(series!.description).toBe('Ask me anything');
    expect(series!.recurrence).toMatchObject({ type: 'weekly', interval: 1, count: 8 });
    expect(series!.start.timeZone).toBe('Pacific Standard Time');
    expect(series!.nextOccurrences.length).toBeGreaterThanOrEqual(3);
    expect(series!.nextOccurrences[0].start.dateTime).toMatch(/T\d{2}:00:00\.0000000$/);
    const occ = await api.get<EventDetail>(rig, `users/${user.id}/events/${encodeURIComponent(series!.nextOccurrences[0].id!)}`);
    expect(occ.body).toMatchObject({ type: 'occurrence', seriesMasterId: officeHoursId, isOfficeHours: true, recurrence: { type: 'weekly' } });
    const master = await api.internalGet<EventDetail>(rig, `users/${user.id}/events/${encodeURIComponent(officeHoursId)}`);
    expect(master.body).toMatchObject({ type: 'seriesMaster', id: officeHoursId, isOfficeHours: true, recurrence: { type: 'weekly' } });
  });

  it('internal routes: user lookup, event, starting occurrences of organizers (internal key only)', async () => {
    expect((await api.get(rig, `internal/users/${user.id}`)).status).toBe(401);
    const u = await api.internalGet<UserRef>(rig, `users/${user.userPrincipalName}`);
    expect(u.body).toEqual({ id: user.id, userPrincipalName: user.userPrincipalName, mail: user.mail, displayName: expect.any(String) });
    expect((await api.internalGet(rig, 'users/ghost@contoso.com')).status).toBe(404);
    const from = new Date(Date.now()).toISOString();
    const to = new Date(Date.now() + 30 * DAY).toISOString();
    const seen: StartingEvent[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: Page<StartingEvent> } = await api.internalGet<Page<StartingEvent>>(
        rig,
        `events/starting?from=${from}&to=${to}&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(25);
    expect(seen.every((e) => e.isOrganizer && !e.isCancelled && e.startUtc >= from && e.startUtc < to)).toBe(true);
    expect(new Set(seen.map((e) => `${e.user.id}|${e.id}`)).size).toBe(seen.length);
    const mine = seen.find((e) => e.id === meetingId);
    expect(mine?.user).toEqual({ id: user.id, email: user.mail, userPrincipalName: user.userPrincipalName });
    expect((await api.internalGet(rig, 'events/starting?from=soon&to=later')).status).toBe(400);
  });
});
