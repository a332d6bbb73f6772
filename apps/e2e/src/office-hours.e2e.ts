// Journey 3 — office hours: create weekly, list with the next occurrences, move them, list again.
import type { EventDetail, OfficeHoursSeries } from '@ocb/service-clients';
import { Platform, uniqueWord, wallTime } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const USER = 'christie.cline@contoso.com';
const ZONE = 'Central Standard Time';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

describe(`office hours: create, list, move, list (${info.database})`, () => {
  const description = `${uniqueWord('Ohs')} drop in with questions`;
  const day = wallTime(3, 0).slice(0, 10);
  const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;
  let created: EventDetail;

  const list = () => p.expect<OfficeHoursSeries[]>(200, 'sync', 'GET', `/api/users/${encodeURIComponent(USER)}/office-hours`);
  const ours = (all: OfficeHoursSeries[]) => all.filter((s) => s.description.includes(description));

  beforeAll(async () => {
    await p.resetFaults();
    await p.connect(USER);
  });

  it('creates weekly office hours (201, a series tagged as office hours)', async () => {
    created = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${encodeURIComponent(USER)}/office-hours`, {
      start: `${day}T14:00:00`,
      end: `${day}T15:00:00`,
      timeZone: ZONE,
      recurrence: { type: 'weekly', interval: 1, daysOfWeek: [weekday] },
      description,
    });
    expect(created.isOfficeHours).toBe(true);
    expect(created.recurrence).toMatchObject({ type: 'weekly', daysOfWeek: [weekday] });
    expect(created.isOrganizer).toBe(true);
  });

  it('lists them with their next occurrences, weekly at 14:00', async () => {
    const mine = ours(await list());
    expect(mine).toHaveLength(1);
    const s = mine[0]!;
    expect(s.recurrence).toMatchObject({ type: 'weekly', daysOfWeek: [weekday] });
    expect(s.start.dateTime.slice(11, 16)).toBe('14:00');
    expect(s.nextOccurrences.length).toBeGreaterThanOrEqual(2);
    expect(s.nextOccurrences[0]!.start.dateTime.slice(0, 16)).toBe(`${day}T14:00`);
    for (const o of s.nextOccurrences) {
      expect(o.start.dateTime.slice(11, 16)).toBe('14:00');
      expect(o.end.dateTime.slice(11, 16)).toBe('15:00');
      expect(o.startUtc).toMatch(/Z$/);
    }
    const gaps = s.nextOccurrences.slice(1).map((o, i) => Date.parse(o.startUtc) - Date.parse(s.nextOccurrences[i]!.startUtc));
    // a week apart (a DST change in between moves the instant by an hour)
    for (const g of gaps) expect(Math.abs(g - 7 * 86_400_000)).toBeLessThanOrEqual(3_600_000);
  });

  it('moves them to 16:00 and the list shows the new time (same series)', async () => {
    const before = ours(await list())[0]!;
    const edited = await p.expect<EventDetail>(200, 'actions', 'PATCH', `/api/users/${encodeURIComponent(USER)}/office-hours/${encodeURIComponent(before.id)}`, {
      start: `${day}T16:00:00`,
      end: `${day}T17:00:00`,
    });
    expect(edited.isOfficeHours).toBe(true);
    expect(edited.start.dateTime.slice(11, 16)).toBe('16:00');
    const mine = ours(await list());
    expect(mine).toHaveLength(1);
    const s = mine[0]!;
    expect(s.id).toBe(before.id);
    expect(s.start.dateTime.slice(11, 16)).toBe('16:00');
    expect(s.nextOccurrences.length).toBeGreaterThanOrEqual(2);
    expect(s.nextOccurrences[0]!.start.dateTime.slice(0, 16)).toBe(`${day}T16:00`);
    for (const o of s.nextOccurrences) expect(o.start.dateTime.slice(11, 16)).toBe('16:00');
  });
});
