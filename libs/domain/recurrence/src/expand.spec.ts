import * as fc from 'fast-check';
import { RRule, Weekday } from 'rrule';
import { formatFloatingMs, parseWallTime, wallToFloatingMs, zonedToUtc } from '@ocb/time-zones';
import {
  DAYS_OF_WEEK,
  DayOfWeek,
  expandRecurrence,
  nextOccurrences,
  PatternedRecurrence,
  RecurrencePattern,
  RecurrenceRange,
  WEEK_INDEXES,
  WeekIndex,
} from './index';
import type { RecurringSeries } from './index';

const LA = 'America/Los_Angeles';
const iso = (d: Date) => d.toISOString();
const window = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

function series(
  pattern: RecurrencePattern,
  range: Partial<RecurrenceRange>,
  start: string,
  end: string,
  timeZone: string,
): RecurringSeries {
  return {
    recurrence: { pattern, range: { type: 'noEnd', startDate: start.slice(0, 10), ...range } },
    start,
    end,
    timeZone,
  };
}

describe('expandRecurrence: explicit cases', () => {
  it('weekly 09:00 America/Los_Angeles stays 09:00 local across 2026-03-08 (UTC 17:00 -> 16:00)', () => {
    const s = series({ type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, {}, '2026-02-23T09:00:00', '2026-02-23T10:00:00', LA);
    const occ = expandRecurrence(s, window('2026-02-20T00:00:00Z', '2026-03-20T00:00:00Z'));
    expect(occ.map((o) => iso(o.startUtc))).toEqual([
      '2026-02-23T17:00:00.000Z',
      '2026-03-02T17:00:00.000Z',
      '2026-03-09T16:00:00.000Z',
      '2026-03-16T16:00:00.000Z',
    ]);
    expect(occ.map((o) => o.startWall)).toEqual([
      '2026-02-23T09:00:00',
      '2026-03-02T09:00:00',
      '2026-03-09T09:00:00',
      '2026-03-16T09:00:00',
    ]);
    expect(occ.map((o) => o.index)).toEqual([0, 1, 2, 3]);
    expect(occ[2].endWall).toBe('2026-03-09T10:00:00');
    expect(iso(occ[2].endUtc)).toBe('2026-03-09T17:00:00.000Z');
    expect(iso(occ[2].originalStart)).toBe(iso(occ[2].startUtc));
  });

  it('applies the DST rules of @ocb/time-zones to occurrences (gap moves forward, overlap takes the first)', () => {
    const s = series({ type: 'daily', interval: 1 }, {}, '2026-03-07T02:30:00', '2026-03-07T03:00:00', 'Pacific Standard Time');
    const [, gap] = expandRecurrence(s, window('2026-03-07T00:00:00Z', '2026-03-09T00:00:00Z'));
    expect(gap.startWall).toBe('2026-03-08T03:30:00');
    expect(iso(gap.startUtc)).toBe('2026-03-08T10:30:00.000Z');
    const fall = series({ type: 'daily', interval: 1 }, {}, '2026-10-31T01:30:00', '2026-10-31T02:00:00', LA);
    const [, overlap] = expandRecurrence(fall, window('2026-10-31T00:00:00Z', '2026-11-02T00:00:00Z'));
    expect(iso(overlap.startUtc)).toBe('2026-11-01T08:30:00.000Z');
  });

  it('weekly interval 2 with firstDayOfWeek decides which weeks count', () => {
    // Start Sunday 2026-01-04; days Sunday+Saturday, every 2 weeks.
    const base = { type: 'weekly' as const, interval: 2, daysOfWeek: ['sunday', 'saturday'] as DayOfWeek[] };
    const w = window('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    const sunday = expandRecurrence(series({ ...base, firstDayOfWeek: 'sunday' }, {}, '2026-01-04T12:00', '2026-01-04T13:00', 'UTC'), w);
    expect(sunday.map((o) => o.startWall.slice(0, 10))).toEqual(['2026-01-04', '2026-01-10', '2026-01-18', '2026-01-24']);
    const monday = expandRecurrence(series({ ...base, firstDayOfWeek: 'monday' }, {}, '2026-01-04T12:00', '2026-01-04T13:00', 'UTC'), w);
    expect(monday.map((o) => o.startWall.slice(0, 10))).toEqual(['2026-01-04', '2026-01-17', '2026-01-18', '2026-01-31']);
  });

  it('absoluteMonthly on the 31st skips months without that day', () => {
    const s = series({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, {}, '2026-01-31T10:00', '2026-01-31T11:00', 'UTC');
    const occ = expandRecurrence(s, window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'));
    expect(occ.map((o) => o.startWall.slice(0, 10))).toEqual([
      '2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31', '2026-12-31',
    ]);
    expect(occ.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('relativeMonthly: second Tuesday, last Friday, first weekday', () => {
    const w = window('2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z');
    const second = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' }, {}, '2026-01-13T09:00', '2026-01-13T10:00', 'UTC');
    expect(expandRecurrence(second, w).map((o) => o.startWall.slice(0, 10))).toEqual(['2026-01-13', '2026-02-10', '2026-03-10', '2026-04-14']);
    const last = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' }, {}, '2026-01-30T09:00', '2026-01-30T10:00', 'UTC');
    expect(expandRecurrence(last, w).map((o) => o.startWall.slice(0, 10))).toEqual(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24']);
    const weekdays: DayOfWeek[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
    const firstWeekday = series({ type: 'relativeMonthly', interval: 1, daysOfWeek: weekdays, index: 'first' }, {}, '2026-01-01T09:00', '2026-01-01T10:00', 'UTC');
    expect(expandRecurrence(firstWeekday, w).map((o) => o.startWall.slice(0, 10))).toEqual(['2026-01-01', '2026-02-02', '2026-03-02', '2026-04-01']);
  });

  it('yearly: absolute (29 February only in leap years) and relative (fourth Thursday of November)', () => {
    const w = window('2026-01-01T00:00:00Z', '2037-01-01T00:00:00Z');
    const leap = series({ type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }, {}, '2028-02-29T09:00', '2028-02-29T10:00', 'UTC');
    expect(expandRecurrence(leap, w).map((o) => o.startWall.slice(0, 10))).toEqual(['2028-02-29', '2032-02-29', '2036-02-29']);
    const thanksgiving = series(
      { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' },
      { type: 'numbered', numberOfOccurrences: 3 },
      '2026-11-26T12:00', '2026-11-26T15:00', LA,
    );
    expect(expandRecurrence(thanksgiving, w).map((o) => o.startWall.slice(0, 10))).toEqual(['2026-11-26', '2027-11-25', '2028-11-23']);
  });

  it('range endDate is an inclusive local date; numbered counts from the first occurrence', () => {
    const until = series({ type: 'daily', interval: 1 }, { type: 'endDate', endDate: '2026-01-05' }, '2026-01-01T23:30', '2026-01-02T00:30', 'Asia/Kolkata');
    const occ = expandRecurrence(until, window('2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    expect(occ.map((o) => o.startWall)).toEqual([
      '2026-01-01T23:30:00', '2026-01-02T23:30:00', '2026-01-03T23:30:00', '2026-01-04T23:30:00', '2026-01-05T23:30:00',
    ]);
    const numbered = series({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'] }, { type: 'numbered', numberOfOccurrences: 5 }, '2026-01-07T09:00', '2026-01-07T10:00', 'UTC');
    const later = expandRecurrence(numbered, window('2026-01-13T00:00:00Z', '2026-03-01T00:00:00Z'));
    expect(later.map((o) => [o.index, o.startWall.slice(0, 10)])).toEqual([
      [2, '2026-01-14'], [3, '2026-01-19'], [4, '2026-01-21'],
    ]);
  });

  it('includes occurrences that started before the window and are still running; honours limit', () => {
    const s = series({ type: 'daily', interval: 1 }, {}, '2026-01-01T22:00', '2026-01-02T02:00', 'UTC');
    const occ = expandRecurrence(s, window('2026-01-05T01:00:00Z', '2026-01-05T23:00:00Z'));
    expect(occ.map((o) => o.startWall)).toEqual(['2026-01-04T22:00:00', '2026-01-05T22:00:00']);
    expect(expandRecurrence(s, window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), { limit: 3 })).toHaveLength(3);
    expect(expandRecurrence(s, window('2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z'))).toEqual([]);
  });

  it('jumps to the window: a daily series started in 1990 costs nothing extra', () => {
    const s = series({ type: 'daily', interval: 1 }, {}, '1990-01-01T09:00', '1990-01-01T09:30', 'Europe/Berlin');
    const started = performance.now();
    let occ: ReturnType<typeof expandRecurrence> = [];
    for (let i = 0; i < 200; i++) occ = expandRecurrence(s, window('2026-06-01T00:00:00Z', '2026-06-08T00:00:00Z'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(occ).toHaveLength(7);
    const days = (Date.UTC(2026, 5, 1) - Date.UTC(1990, 0, 1)) / 86_400_000;
    expect(occ[0].index).toBe(days);
    expect(iso(occ[0].startUtc)).toBe('2026-06-01T07:00:00.000Z');
    const weekly = series({ type: 'weekly', interval: 3, daysOfWeek: ['tuesday', 'friday'] }, {}, '1990-01-02T09:00', '1990-01-02T09:30', 'UTC');
    const w = expandRecurrence(weekly, window('2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z'));
    expect(w.length).toBeGreaterThan(0);
    // Index from the jump equals the index counted from the start.
    const all = expandRecurrence(weekly, window('1990-01-01T00:00:00Z', '2026-07-01T00:00:00Z'));
    expect(all.slice(-w.length)).toEqual(w);
  });

  it('nextOccurrences gives the next n starting at or after the instant', () => {
    const s = series({ type: 'weekly', interval: 1, daysOfWeek: ['tuesday', 'thursday'] }, {}, '2026-01-06T10:00', '2026-01-06T11:00', LA);
    const next = nextOccurrences(s, new Date('2026-03-10T18:00:00Z'), 3);
    expect(next.map((o) => o.startWall)).toEqual(['2026-03-12T10:00:00', '2026-03-17T10:00:00', '2026-03-19T10:00:00']);
    expect(nextOccurrences(s, new Date('2026-03-10T17:00:00Z'), 1)[0].startWall).toBe('2026-03-10T10:00:00');
    const numbered = series({ type: 'daily', interval: 1 }, { type: 'numbered', numberOfOccurrences: 2 }, '2026-01-01T10:00', '2026-01-01T11:00', 'UTC');
    expect(nextOccurrences(numbered, new Date('2025-01-01T00:00:00Z'), 5)).toHaveLength(2);
    const never = series({ type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 30 }, {}, '2026-01-01T10:00', '2026-01-01T11:00', 'UTC');
    expect(nextOccurrences(never, new Date('2026-01-01T00:00:00Z'), 1)).toEqual([]);
  });

  it('rejects bad series', () => {
    const w = window('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(() => expandRecurrence(series({ type: 'daily', interval: 0 }, {}, '2026-01-01T10:00', '2026-01-01T11:00', 'UTC'), w)).toThrow(RangeError);
    expect(() => expandRecurrence(series({ type: 'daily', interval: 1 }, {}, '2026-01-01T10:00', '2026-01-01T09:00', 'UTC'), w)).toThrow(/end is before/);
    expect(() => expandRecurrence(series({ type: 'daily', interval: 1 }, {}, '2026-01-01T10:00', '2026-01-01T11:00', 'Mars/Olympus'), w)).toThrow(/Unknown time zone/);
  });
});

// ---------------------------------------------------------------------------------------------
// Independent oracle: rrule on floating wall time (dates on a UTC axis, no tzid), then each wall
// time converted to UTC in the series' zone.

const RR_DAYS: Weekday[] = [RRule.SU, RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA];
const rrDay = (d: DayOfWeek) => RR_DAYS[DAYS_OF_WEEK.indexOf(d)];
const setPos = (i: WeekIndex) => (i === 'last' ? -1 : WEEK_INDEXES.indexOf(i) + 1);

function oracle(s: RecurringSeries, from: Date, to: Date): Array<[number, string, string]> {
  const { pattern: p, range: r } = s.recurrence as PatternedRecurrence;
  const startF = wallToFloatingMs(parseWallTime(s.start));
  const duration = wallToFloatingMs(parseWallTime(s.end)) - startF;
  const options: Partial<ConstructorParameters<typeof RRule>[0]> = {
    dtstart: new Date(startF),
    interval: p.interval,
    wkst: rrDay(p.firstDayOfWeek ?? 'sunday'),
  };
  switch (p.type) {
    case 'daily':
      Object.assign(options, { freq: RRule.DAILY });
      break;
    case 'weekly':
      Object.assign(options, { freq: RRule.WEEKLY, byweekday: (p.daysOfWeek ?? []).map(rrDay) });
      break;
    case 'absoluteMonthly':
      Object.assign(options, { freq: RRule.MONTHLY, bymonthday: [p.dayOfMonth] });
      break;
    case 'relativeMonthly':
      Object.assign(options, { freq: RRule.MONTHLY, byweekday: (p.daysOfWeek ?? []).map(rrDay), bysetpos: [setPos(p.index ?? 'first')] });
      break;
    case 'absoluteYearly':
      Object.assign(options, { freq: RRule.YEARLY, bymonth: [p.month], bymonthday: [p.dayOfMonth] });
      break;
    case 'relativeYearly':
      Object.assign(options, {
        freq: RRule.YEARLY,
        bymonth: [p.month],
        byweekday: (p.daysOfWeek ?? []).map(rrDay),
        bysetpos: [setPos(p.index ?? 'first')],
      });
      break;
  }
  if (r.type === 'numbered') options.count = r.numberOfOccurrences;
  if (r.type === 'endDate') options.until = new Date(`${r.endDate}T23:59:59.999Z`);
  const bound = to.getTime() + 2 * 86_400_000;
  const walls = new RRule(options).all((d) => d.getTime() <= bound);
  const result: Array<[number, string, string]> = [];
  walls.forEach((d, index) => {
    if (d.getTime() > bound) return;
    const start = zonedToUtc(formatFloatingMs(d.getTime()), s.timeZone);
    const end = zonedToUtc(formatFloatingMs(d.getTime() + duration), s.timeZone);
    if (start < to && (end > from || (end.getTime() === start.getTime() && start >= from))) {
      result.push([index, iso(start), iso(end)]);
    }
  });
  return result;
}

const ZONES = ['Pacific Standard Time', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/Santiago'];
const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);
const dayArb = fc.constantFrom(...DAYS_OF_WEEK);

const patternArb: fc.Arbitrary<(startDay: number) => RecurrencePattern> = fc.oneof(
  fc.record({ interval: fc.integer({ min: 1, max: 5 }) }).map(({ interval }) => () => ({ type: 'daily' as const, interval })),
  fc
    .record({ interval: fc.integer({ min: 1, max: 4 }), days: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 4 }), first: dayArb })
    .map(({ interval, days, first }) => () => ({ type: 'weekly' as const, interval, daysOfWeek: days, firstDayOfWeek: first })),
  fc
    .record({ interval: fc.integer({ min: 1, max: 3 }), day: fc.option(fc.integer({ min: 1, max: 31 })) })
    .map(({ interval, day }) => (startDay: number) => ({
      type: 'absoluteMonthly' as const,
      interval,
      dayOfMonth: day ?? new Date(startDay).getUTCDate(),
    })),
  fc
    .record({ interval: fc.integer({ min: 1, max: 3 }), days: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 3 }), index: fc.constantFrom(...WEEK_INDEXES) })
    .map(({ interval, days, index }) => () => ({ type: 'relativeMonthly' as const, interval, daysOfWeek: days, index })),
  fc
    .record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map(({ month, day }) => () => ({ type: 'absoluteYearly' as const, interval: 1, month, dayOfMonth: day })),
  fc
    .record({ month: fc.integer({ min: 1, max: 12 }), days: fc.uniqueArray(dayArb, { minLength: 1, maxLength: 2 }), index: fc.constantFrom(...WEEK_INDEXES) })
    .map(({ month, days, index }) => () => ({ type: 'relativeYearly' as const, interval: 1, month, daysOfWeek: days, index })),
);

const rangeArb = fc.oneof(
  fc.constant((_start: number): Partial<RecurrenceRange> => ({ type: 'noEnd' })),
  fc.integer({ min: 0, max: 500 }).map((days) => (start: number): Partial<RecurrenceRange> => ({
    type: 'endDate',
    endDate: new Date(start + days * DAY).toISOString().slice(0, 10),
  })),
  fc.integer({ min: 1, max: 40 }).map((n) => (): Partial<RecurrenceRange> => ({ type: 'numbered', numberOfOccurrences: n })),
);

describe('expandRecurrence agrees with an rrule-based implementation', () => {
  it('on random patterns, ranges, zones and windows', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 0, max: 95 }).map((q) => q * 15),
        fc.oneof(fc.integer({ min: 1, max: 12 }).map((q) => q * 15), fc.integer({ min: 1, max: 50 }).map((h) => h * 60)),
        patternArb,
        rangeArb,
        fc.constantFrom(...ZONES),
        fc.oneof(fc.integer({ min: -20, max: 60 }), fc.integer({ min: -20, max: 600 })),
        fc.integer({ min: 1, max: 60 }),
        (startDayOffset, minuteOfDay, durationMinutes, makePattern, makeRange, zone, windowOffsetDays, windowDays) => {
          const startDay = BASE + startDayOffset * DAY;
          const startF = startDay + minuteOfDay * 60_000;
          const s = series(
            makePattern(startDay),
            makeRange(startDay),
            formatFloatingMs(startF),
            formatFloatingMs(startF + durationMinutes * 60_000),
            zone,
          );
          const from = new Date(startDay + windowOffsetDays * DAY + 7 * 3_600_000);
          const to = new Date(from.getTime() + windowDays * DAY);
          const actual = expandRecurrence(s, { from, to }).map((o): [number, string, string] => [o.index, iso(o.startUtc), iso(o.endUtc)]);
          expect(actual).toEqual(oracle(s, from, to));
          if (actual.length > 0) nonEmpty++;
        },
      ),
      { numRuns: 250 },
    );
    // The comparison is not vacuous: a good share of windows hold occurrences (yearly ones rarely do).
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it('nextOccurrences matches the oracle too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        patternArb,
        fc.constantFrom(...ZONES),
        fc.integer({ min: -10, max: 300 }),
        fc.integer({ min: 1, max: 6 }),
        (startDayOffset, makePattern, zone, afterDays, n) => {
          const startDay = BASE + startDayOffset * DAY;
          const s = series(makePattern(startDay), {}, formatFloatingMs(startDay + 9 * 3_600_000), formatFloatingMs(startDay + 10 * 3_600_000), zone);
          const after = new Date(startDay + afterDays * DAY);
          const next = nextOccurrences(s, after, n);
          // 30 years: n ≤ 6 occurrences of a 29 February yearly pattern span up to 24 years
          const expected = oracle(s, after, new Date(after.getTime() + 30 * 366 * DAY)).filter(([, start]) => start >= iso(after)).slice(0, n);
          expect(next.map((o) => [o.index, iso(o.startUtc), iso(o.endUtc)])).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
