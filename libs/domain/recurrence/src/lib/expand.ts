import {
  daysInMonth,
  floatingMs,
  floatingToInstant,
  formatFloatingMs,
  parseDateOnly,
  parseWallTime,
  toIana,
  wallToFloatingMs,
  zoneOffsetMs,
} from '@ocb/time-zones';
import { normalizeDays } from './graph-mapping';
import { DAYS_OF_WEEK, DayOfWeek, PatternedRecurrence, WEEK_INDEXES, WeekIndex } from './types';

export interface RecurringSeries {
  recurrence: PatternedRecurrence;
  /** Wall time of the first occurrence's start, in `timeZone`. */
  start: string;
  /** Wall time of the first occurrence's end, in `timeZone`. */
  end: string;
  /** Windows or IANA name; occurrences keep their wall-clock time in this zone. */
  timeZone: string;
}

export interface Occurrence {
  /** 0-based position in the series (counts occurrences before the window too). */
  index: number;
  /** Actual local start/end `YYYY-MM-DDTHH:mm:ss` (a start in a DST gap reads after the gap). */
  startWall: string;
  endWall: string;
  startUtc: Date;
  endUtc: Date;
  /** The occurrence's start as scheduled by the pattern (no exceptions here, so = startUtc). */
  originalStart: Date;
}

export interface ExpandOptions {
  /** Maximum occurrences returned (default 100 000). */
  limit?: number;
}

const DAY = 86_400_000;
const DEFAULT_LIMIT = 100_000;
const LAST_DAY = floatingMs(9999, 12, 31) / DAY;
/** Slack between a wall time on the floating axis and its instant (offsets stay under 1 day). */
const SLACK = 2 * DAY;

interface Plan {
  iana: string;
  type: PatternedRecurrence['pattern']['type'];
  interval: number;
  /** Day number (days since 1970-01-01 on the floating axis) of the range start. */
  startDay: number;
  /** Inclusive last day, or LAST_DAY. */
  endDay: number;
  count: number;
  timeOfDay: number;
  duration: number;
  days: number[]; // weekday numbers, 0 = Sunday
  firstDayOfWeek: number;
  dayOfMonth: number;
  month: number;
  index: WeekIndex;
}

function toDayNumber(year: number, month: number, day: number): number {
  return floatingMs(year, month, day) / DAY;
}

function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function ymOf(dayNumber: number): { year: number; month: number; day: number } {
  const d = new Date(dayNumber * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dayIndexOf(name: string | undefined, fallback: number): number {
  const i = DAYS_OF_WEEK.indexOf((name ?? '').toLowerCase() as DayOfWeek);
  return i >= 0 ? i : fallback;
}

function plan(series: RecurringSeries): Plan {
  const { pattern, range } = series.recurrence;
  const iana = toIana(series.timeZone);
  const start = parseWallTime(series.start);
  const startF = wallToFloatingMs(start);
  const duration = wallToFloatingMs(parseWallTime(series.end)) - startF;
  if (duration < 0) throw new RangeError('Series end is before its start');
  const interval = pattern.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`Invalid recurrence interval ${interval}`);
  const rangeStart = range.startDate ? parseDateOnly(range.startDate) : start;
  const startDay = toDayNumber(rangeStart.year, rangeStart.month, rangeStart.day);
  let endDay = LAST_DAY;
  if (range.type === 'endDate' && range.endDate && range.endDate !== '0001-01-01') {
    const e = parseDateOnly(range.endDate);
    endDay = toDayNumber(e.year, e.month, e.day);
  }
  const count = range.type === 'numbered' ? Math.max(0, range.numberOfOccurrences ?? 0) : Infinity;
  const startWeekday = weekday(toDayNumber(start.year, start.month, start.day));
  const named = normalizeDays(pattern.daysOfWeek)
    .map((d) => DAYS_OF_WEEK.indexOf(d))
    .filter((d) => d >= 0);
  const days = [...new Set(named.length ? named : [startWeekday])].sort((a, b) => a - b);
  const index = (pattern.index?.toLowerCase() ?? 'first') as WeekIndex;
  return {
    iana,
    type: pattern.type,
    interval,
    startDay,
    endDay,
    count,
    timeOfDay: startF - toDayNumber(start.year, start.month, start.day) * DAY,
    duration,
    days,
    firstDayOfWeek: dayIndexOf(pattern.firstDayOfWeek, 0),
    dayOfMonth: pattern.dayOfMonth || start.day,
    month: pattern.month || start.month,
    index: WEEK_INDEXES.includes(index) ? index : 'first',
  };
}

/** [index, dayNumber] of successive occurrences, in order, starting near `fromDay` (never after it). */
type DayStream = Generator<[number, number]>;

function* dailyDays(p: Plan, fromDay: number): DayStream {
  for (let k = Math.max(0, Math.floor((fromDay - p.startDay) / p.interval)); ; k++) {
    yield [k, p.startDay + k * p.interval];
  }
}

function* weeklyDays(p: Plan, fromDay: number): DayStream {
  const offsets = p.days.map((d) => (d - p.firstDayOfWeek + 7) % 7).sort((a, b) => a - b);
  const startOffset = (weekday(p.startDay) - p.firstDayOfWeek + 7) % 7;
  const week0 = p.startDay - startOffset;
  const inFirstWeek = offsets.filter((o) => o >= startOffset).length;
  let period = Math.max(0, Math.floor(Math.floor((fromDay - week0) / 7) / p.interval));
  let index = period === 0 ? 0 : inFirstWeek + (period - 1) * offsets.length;
  for (;;) {
    const weekStart = week0 + period * p.interval * 7;
    for (const o of offsets) {
      const day = weekStart + o;
      if (day >= p.startDay) yield [index++, day];
    }
    period++;
  }
}

function relativeDay(p: Plan, year: number, month: number): number {
  const first = toDayNumber(year, month, 1);
  const length = daysInMonth(year, month);
  const matches: number[] = [];
  for (let d = 0; d < length; d++) if (p.days.includes(weekday(first + d))) matches.push(first + d);
  if (p.index === 'last') return matches[matches.length - 1];
  return matches[WEEK_INDEXES.indexOf(p.index)];
}

/** Monthly and yearly patterns: one candidate per period (month or year), skipped when missing. */
function* periodicDays(p: Plan, fromDay: number): DayStream {
  const yearly = p.type === 'absoluteYearly' || p.type === 'relativeYearly';
  const relative = p.type === 'relativeMonthly' || p.type === 'relativeYearly';
  const step = yearly ? 12 * p.interval : p.interval;
  const s = ymOf(p.startDay);
  const month0 = yearly ? s.year * 12 + (p.month - 1) : s.year * 12 + (s.month - 1);
  const dayIn = (mi: number): number | undefined => {
    const year = Math.floor(mi / 12);
    const month = (mi % 12) + 1;
    if (relative) return relativeDay(p, year, month);
    return p.dayOfMonth <= daysInMonth(year, month) ? toDayNumber(year, month, p.dayOfMonth) : undefined;
  };
  // Every period after the first has exactly one occurrence unless an absolute day can be missing
  // (29-31, or 29 February): then count period by period.
  const uniform = relative || p.dayOfMonth <= (yearly ? daysInMonth(2001, p.month) : 28);
  const first = dayIn(month0);
  const firstCounts = first !== undefined && first >= p.startDay ? 1 : 0;
  let period = 0;
  let index = 0;
  if (uniform) {
    const f = ymOf(fromDay);
    period = Math.max(0, Math.floor((f.year * 12 + f.month - 1 - month0) / step) - 1);
    index = period === 0 ? 0 : firstCounts + period - 1;
  }
  for (let mi = month0 + period * step; mi < 10_000 * 12; mi += step) {
    const day = dayIn(mi);
    if (day !== undefined && day >= p.startDay) yield [index++, day];
  }
}

function dayStream(p: Plan, fromDay: number): DayStream {
  switch (p.type) {
    case 'daily':
      return dailyDays(p, fromDay);
    case 'weekly':
      return weeklyDays(p, fromDay);
    case 'absoluteMonthly':
    case 'relativeMonthly':
    case 'absoluteYearly':
    case 'relativeYearly':
      return periodicDays(p, fromDay);
    default:
      throw new RangeError(`Unknown recurrence pattern type "${String(p.type)}"`);
  }
}

function occurrenceAt(p: Plan, index: number, day: number): Occurrence {
  const startF = day * DAY + p.timeOfDay;
  const start = floatingToInstant(p.iana, startF);
  const end = floatingToInstant(p.iana, startF + p.duration);
  return {
    index,
    startWall: formatFloatingMs(start + zoneOffsetMs(p.iana, start)),
    endWall: formatFloatingMs(end + zoneOffsetMs(p.iana, end)),
    startUtc: new Date(start),
    endUtc: new Date(end),
    originalStart: new Date(start),
  };
}

/**
 * Occurrences of a series overlapping `[from, to)`, computed in the series' zone: a 09:00 series
 * stays at 09:00 local across DST, so its UTC instants shift. Starts in a DST gap move forward by the
 * gap; ambiguous starts take the earlier instant (see @ocb/time-zones). Jumps straight to the window
 * (daily, weekly, and monthly/yearly patterns whose every period has an occurrence), so a long-running
 * series costs no more than a new one.
 */
export function expandRecurrence(
  series: RecurringSeries,
  window: { from: Date; to: Date },
  opts: ExpandOptions = {},
): Occurrence[] {
  const p = plan(series);
  const from = window.from.getTime();
  const to = window.to.getTime();
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const result: Occurrence[] = [];
  if (!(to > from) || limit <= 0) return result;
  const fromDay = Math.floor((from - p.duration - p.timeOfDay - SLACK) / DAY);
  const lastDay = Math.min(p.endDay, Math.floor((to + SLACK) / DAY));
  for (const [index, day] of dayStream(p, fromDay)) {
    if (index >= p.count || day > lastDay) break;
    const startF = day * DAY + p.timeOfDay;
    if (startF + p.duration < from - SLACK) continue;
    const o = occurrenceAt(p, index, day);
    const s = o.startUtc.getTime();
    const e = o.endUtc.getTime();
    if (s < to && (e > from || (e === s && s >= from))) {
      result.push(o);
      if (result.length >= limit) break;
    }
  }
  return result;
}

/** The next `n` occurrences starting at or after `after`. */
export function nextOccurrences(series: RecurringSeries, after: Date, n: number): Occurrence[] {
  const p = plan(series);
  const t = after.getTime();
  const result: Occurrence[] = [];
  if (n <= 0) return result;
  const fromDay = Math.floor((t - p.timeOfDay - SLACK) / DAY);
  for (const [index, day] of dayStream(p, fromDay)) {
    if (index >= p.count || day > p.endDay) break;
    if (day * DAY + p.timeOfDay < t - SLACK) continue;
    const o = occurrenceAt(p, index, day);
    if (o.startUtc.getTime() >= t) {
      result.push(o);
      if (result.length >= n) break;
    }
  }
  return result;
}
