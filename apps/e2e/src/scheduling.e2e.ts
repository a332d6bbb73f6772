// Journey 9 — scheduling help: an attendee's busy time shows in availability, a create over it answers
// with the conflict (and is still made), suggested slots avoid it, and "this and following" splits a
// weekly series into 4 + 6 that sync's cache (where reminders come from) shows at once.
import type { EventDetail } from '@ocb/service-clients';
import { Platform, uniqueWord, wallTime } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const ORGANIZER = 'debra.berg@contoso.com';
const ATTENDEE = 'brian.johnson@contoso.com';
const u = encodeURIComponent(ORGANIZER);

interface Busy {
  startUtc: string;
  endUtc: string;
  subject: string | null;
}
interface Availability {
  schedules: Array<{ email: string; isOrganizer: boolean; busy: Busy[]; error: string | null }>;
}
interface Suggestions {
  suggestions: Array<{ startUtc: string; endUtc: string; attendees: Array<{ email: string; availability: string }> }>;
  emptySuggestionsReason: string | null;
}

const overlaps = (a: { startUtc: string; endUtc: string }, b: { startUtc: string; endUtc: string }) => a.startUtc < b.endUtc && b.startUtc < a.endUtc;

describe(`scheduling: availability, conflicts, suggestions, this and following (${info.database})`, () => {
  const word = uniqueWord('Sched');
  // Five days out, in the small hours UTC (the seeded tenant's events are office-hour events).
  const day = wallTime(5, 0).slice(0, 10);
  const window = { start: `${day}T01:00:00`, end: `${day}T07:00:00`, timeZone: 'UTC' };

  beforeAll(async () => {
    await p.resetFaults();
    await p.connect(ORGANIZER);
    await p.adminOk('POST', `/users/${encodeURIComponent(ATTENDEE)}/events`, {
      subject: `${word} attendee busy`,
      start: { dateTime: `${day}T03:00:00`, timeZone: 'UTC' },
      end: { dateTime: `${day}T04:00:00`, timeZone: 'UTC' },
    });
  });

  // The attendee's busy event was written behind the services' back: bring their cache up to date.
  afterAll(() => p.expect(200, 'sync', 'POST', `/api/users/${encodeURIComponent(ATTENDEE)}/refresh`));

  it('availability shows the attendee busy (and an unknown address as unknown)', async () => {
    const a = await p.expect<Availability>(200, 'actions', 'POST', `/api/users/${u}/availability`, { ...window, attendees: [ATTENDEE, `${word.toLowerCase()}@fabrikam.com`] });
    const [organizer, attendee, unknown] = a.schedules;
    expect(organizer!.isOrganizer).toBe(true);
    expect(attendee!.busy).toContainEqual(expect.objectContaining({ subject: `${word} attendee busy`, startUtc: `${day}T03:00:00.000Z`, endUtc: `${day}T04:00:00.000Z` }));
    expect(unknown!.error).toBeTruthy();
  });

  it('a create over that time answers 201 with the conflict', async () => {
    const created = await p.expect<EventDetail & { conflicts: Array<{ email: string; subject: string | null; startUtc: string }> }>(201, 'actions', 'POST', `/api/users/${u}/events`, {
      title: `${word} review`,
      start: `${day}T03:30:00`,
      end: `${day}T04:30:00`,
      timeZone: 'UTC',
      attendees: [ATTENDEE],
    });
    expect(created.conflicts).toContainEqual(expect.objectContaining({ email: ATTENDEE, subject: `${word} attendee busy`, startUtc: `${day}T03:00:00.000Z` }));
    expect(created.conflicts.some((c) => c.subject === `${word} review`)).toBe(false);
  });

  it('suggested slots avoid the attendee busy time', async () => {
    const a = await p.expect<Availability>(200, 'actions', 'POST', `/api/users/${u}/availability`, { ...window, attendees: [ATTENDEE] });
    const busy = a.schedules.flatMap((s) => s.busy);
    const s = await p.expect<Suggestions>(200, 'actions', 'POST', `/api/users/${u}/meeting-times`, {
      ...window,
      attendees: [ATTENDEE],
      durationMinutes: 60,
      activityDomain: 'unrestricted',
      maxCandidates: 20,
    });
    expect(s.suggestions.length).toBeGreaterThan(0);
    for (const slot of s.suggestions) for (const b of busy) expect(overlaps(slot, b)).toBe(false);
  });

  it('"this and following" on the 5th of 10 weekly occurrences: 4 + 6 in the cache, the change only in the second series', async () => {
    const start = wallTime(2, 0).slice(0, 10);
    const series = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/events`, {
      title: `${word} weekly`,
      start: `${start}T05:00:00`,
      end: `${start}T05:30:00`,
      timeZone: 'UTC',
      recurrence: { type: 'weekly', count: 10 },
    });
    const cached = (await p.cachedEvents(ORGANIZER, { q: `${word} weekly`, limit: 50 })).filter((e) => e.seriesMasterId === series.id);
    expect(cached).toHaveLength(10);
    const fifth = cached[4]!;
    const edited = await p.expect<EventDetail & { previousSeriesId: string }>(200, 'actions', 'PATCH', `/api/users/${u}/events/${encodeURIComponent(fifth.id)}?scope=following`, {
      title: `${word} weekly (later)`,
      start: `${fifth.start.dateTime.slice(0, 10)}T06:00:00`,
      end: `${fifth.start.dateTime.slice(0, 10)}T06:30:00`,
    });
    expect(edited.previousSeriesId).toBe(series.id);
    // the answer came after sync's refresh: the cache already holds both series
    const after = await p.cachedEvents(ORGANIZER, { q: `${word} weekly`, limit: 50 });
    const first = after.filter((e) => e.seriesMasterId === series.id);
    const second = after.filter((e) => e.seriesMasterId === edited.id);
    expect(first.map((e) => [e.subject, e.startUtc.slice(11, 16)])).toEqual(Array(4).fill([`${word} weekly`, '05:00']));
    expect(second.map((e) => [e.subject, e.startUtc.slice(11, 16)])).toEqual(Array(6).fill([`${word} weekly (later)`, '06:00']));
    expect(second[0]!.startUtc.slice(0, 10)).toBe(fifth.startUtc.slice(0, 10));
  });
});
