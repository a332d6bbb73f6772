/**
 * Graph patternedRecurrence: validation, normalisation to the shape Graph returns, and lazy
 * expansion of occurrence dates inside a window (skipping ahead for open-ended ranges so
 * long-running series cost nothing outside the window).
 */

export type PatternType = 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';

export interface RecurrencePattern {
  type: PatternType;
  interval: number;
  month: number;
  dayOfMonth: number;
  daysOfWeek: string[];
  firstDayOfWeek: string;
  index: string;
}

export interface RecurrenceRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  startDate: string;
  endDate: string;
  recurrenceTimeZone: string;
  numberOfOccurrences: number;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEXES = ['first', 'second', 'third', 'fourth', 'last'];
const PATTERNS: PatternType[] = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
const DAY_MS = 86_400_000;
const NO_DATE = '0001-01-01';

export class RecurrenceError extends Error {}

function dateOk(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(s + 'T00:00:00Z');
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

function matchCase<T extends string>(value: unknown, options: readonly T[], what: string): T {
  const hit = typeof value === 'string' ? options.find((o) => o.toLowerCase() === value.toLowerCase()) : undefined;
  if (!hit) throw new RecurrenceError(`${what} '${String(value)}' is not valid.`);
  return hit;
}

/**
 * Validates a client's recurrence and fills in what Graph fills in (zeros, 'sunday', 'first',
 * '0001-01-01', the event's zone). Throws RecurrenceError with a Graph-like message.
 */
export function normalizeRecurrence(input: unknown, eventZone: string, eventStartDate: string): PatternedRecurrence {
  if (!input || typeof input !== 'object') throw new RecurrenceError('Recurrence must be an object.');
  const { pattern, range } = input as { pattern?: Record<string, unknown>; range?: Record<string, unknown> };
  if (!pattern || typeof pattern !== 'object') throw new RecurrenceError('Recurrence pattern is required.');
  if (!range || typeof range !== 'object') throw new RecurrenceError('Recurrence range is required.');
  const type = matchCase(pattern.type, PATTERNS, 'Recurrence pattern type');
  const interval = pattern.interval === undefined ? 1 : Number(pattern.interval);
  if (!Number.isInteger(interval) || interval < 1 || interval > 999) {
    throw new RecurrenceError('Recurrence pattern interval must be a positive integer.');
  }
  const rawDays = Array.isArray(pattern.daysOfWeek) ? pattern.daysOfWeek : [];
  const daysOfWeek = rawDays.map((d) => matchCase(d, DAYS, 'Day of week'));
  const uniqueDays = DAYS.filter((d) => daysOfWeek.includes(d));
  const dayOfMonth = pattern.dayOfMonth === undefined || pattern.dayOfMonth === null ? 0 : Number(pattern.dayOfMonth);
  const month = pattern.month === undefined || pattern.month === null ? 0 : Number(pattern.month);
  const index = pattern.index === undefined || pattern.index === null ? 'first' : matchCase(pattern.index, INDEXES, 'Recurrence index');
  const firstDayOfWeek =
    pattern.firstDayOfWeek === undefined || pattern.firstDayOfWeek === null ? 'sunday' : matchCase(pattern.firstDayOfWeek, DAYS, 'First day of week');
  if ((type === 'weekly' || type === 'relativeMonthly' || type === 'relativeYearly') && uniqueDays.length === 0) {
    throw new RecurrenceError(`Recurrence pattern of type ${type} requires daysOfWeek.`);
  }
  if ((type === 'absoluteMonthly' || type === 'absoluteYearly') && !(Number.isInteger(dayOfMonth) && dayOfMonth >= 1 && dayOfMonth <= 31)) {
    throw new RecurrenceError(`Recurrence pattern of type ${type} requires dayOfMonth between 1 and 31.`);
  }
  if ((type === 'absoluteYearly' || type === 'relativeYearly') && !(Number.isInteger(month) && month >= 1 && month <= 12)) {
    throw new RecurrenceError(`Recurrence pattern of type ${type} requires month between 1 and 12.`);
  }
  const rangeType = matchCase(range.type, ['endDate', 'noEnd', 'numbered'] as const, 'Recurrence range type');
  const startDate = range.startDate === undefined ? eventStartDate : range.startDate;
  if (!dateOk(startDate)) throw new RecurrenceError('Recurrence range startDate must be a date (YYYY-MM-DD).');
  let endDate = NO_DATE;
  let numberOfOccurrences = 0;
  if (rangeType === 'endDate') {
    if (!dateOk(range.endDate)) throw new RecurrenceError('Recurrence range endDate must be a date (YYYY-MM-DD).');
    if (range.endDate < startDate) throw new RecurrenceError('Recurrence range endDate must not be before startDate.');
    endDate = range.endDate;
  } else if (rangeType === 'numbered') {
    numberOfOccurrences = Number(range.numberOfOccurrences);
    if (!Number.isInteger(numberOfOccurrences) || numberOfOccurrences < 1 || numberOfOccurrences > 999) {
      throw new RecurrenceError('Recurrence range numberOfOccurrences must be between 1 and 999.');
    }
  }
  const recurrenceTimeZone =
    typeof range.recurrenceTimeZone === 'string' && range.recurrenceTimeZone ? range.recurrenceTimeZone : eventZone;
  return {
    pattern: {
      type,
      interval,
      month: type === 'absoluteYearly' || type === 'relativeYearly' ? month : 0,
      dayOfMonth: type === 'absoluteMonthly' || type === 'absoluteYearly' ? dayOfMonth : 0,
      daysOfWeek: type === 'daily' || type === 'absoluteMonthly' || type === 'absoluteYearly' ? [] : uniqueDays,
      firstDayOfWeek,
      index: type === 'relativeMonthly' || type === 'relativeYearly' ? index : 'first',
    },
    range: { type: rangeType, startDate, endDate, recurrenceTimeZone, numberOfOccurrences },
  };
}

function dayNum(date: string): number {
  return Math.floor(Date.parse(date + 'T00:00:00Z') / DAY_MS);
}

function ymd(day: number): { y: number; m: number; d: number } {
  const dt = new Date(day * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth(), d: dt.getUTCDate() };
}

function dayOf(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m, d) / DAY_MS);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
}

const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** The day of month of the n-th (index) weekday among `days` in month m of year y. */
function relativeDay(y: number, m: number, days: number[], index: string): number | undefined {
  const dim = daysInMonth(y, m);
  const first = dayOf(y, m, 1);
  const matches: number[] = [];
  for (let d = 0; d < dim; d++) if (days.includes(weekday(first + d))) matches.push(first + d);
  if (matches.length === 0) return undefined;
  if (index === 'last') return matches[matches.length - 1];
  return matches[INDEXES.indexOf(index)];
}

/**
 * Occurrence dates (as UTC day numbers) of a series, in order, from the range start; stops at the
 * range end, after `numberOfOccurrences`, or past `untilDay` (inclusive bound, for lazy windows).
 * `fromDay` lets open-ended ranges skip whole periods before the window.
 */
export function occurrenceDays(rec: PatternedRecurrence, fromDay: number, untilDay: number): number[] {
  const { pattern, range } = rec;
  const start = dayNum(range.startDate);
  const last = range.type === 'endDate' ? Math.min(dayNum(range.endDate), untilDay) : untilDay;
  const limit = range.type === 'numbered' ? range.numberOfOccurrences : Infinity;
  const canSkip = range.type !== 'numbered';
  const out: number[] = [];
  const days = pattern.daysOfWeek.map((d) => DAYS.indexOf(d)).sort((a, b) => a - b);
  let count = 0;
  const push = (day: number): boolean => {
    if (day < start) return true;
    if (day > last || count >= limit) return false;
    count++;
    if (day >= fromDay) out.push(day);
    return true;
  };
  const iv = pattern.interval;
  switch (pattern.type) {
    case 'daily': {
      let k = canSkip ? Math.max(0, Math.floor((fromDay - start) / iv)) : 0;
      for (; ; k++) if (!push(start + k * iv)) break;
      break;
    }
    case 'weekly': {
      const fdw = DAYS.indexOf(pattern.firstDayOfWeek);
      const week0 = start - ((weekday(start) - fdw + 7) % 7);
      const order = days.map((d) => (d - fdw + 7) % 7).sort((a, b) => a - b);
      let k = canSkip ? Math.max(0, Math.floor((fromDay - week0) / (7 * iv)) - 1) : 0;
      outer: for (; ; k++) {
        const ws = week0 + k * 7 * iv;
        if (ws > last) break;
        for (const o of order) if (!push(ws + o)) break outer;
      }
      break;
    }
    case 'absoluteMonthly':
    case 'relativeMonthly': {
      const s = ymd(start);
      const f = ymd(Math.max(fromDay, start));
      let k = canSkip ? Math.max(0, Math.floor(((f.y - s.y) * 12 + f.m - s.m) / iv) - 1) : 0;
      for (; ; k++) {
        const mi = s.m + k * iv;
        const y = s.y + Math.floor(mi / 12);
        const m = mi % 12;
        if (dayOf(y, m, 1) > last) break;
        const day =
          pattern.type === 'absoluteMonthly'
            ? dayOf(y, m, Math.min(pattern.dayOfMonth, daysInMonth(y, m)))
            : relativeDay(y, m, days, pattern.index);
        if (day !== undefined && !push(day)) break;
      }
      break;
    }
    case 'absoluteYearly':
    case 'relativeYearly': {
      const s = ymd(start);
      const f = ymd(Math.max(fromDay, start));
      let k = canSkip ? Math.max(0, Math.floor((f.y - s.y) / iv) - 1) : 0;
      for (; ; k++) {
        const y = s.y + k * iv;
        const m = pattern.month - 1;
        if (dayOf(y, m, 1) > last) break;
        const day =
          pattern.type === 'absoluteYearly'
            ? dayOf(y, m, Math.min(pattern.dayOfMonth, daysInMonth(y, m)))
            : relativeDay(y, m, days, pattern.index);
        if (day !== undefined && !push(day)) break;
      }
      break;
    }
  }
  return out;
}

export function dayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export { dayNum as dateToDay, DAY_MS };
