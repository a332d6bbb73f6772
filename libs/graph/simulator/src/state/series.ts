/**
 * Recurring series through `@ocb/recurrence`: validation of a client's Graph `patternedRecurrence`
 * (Graph's 400s, which the domain lib leaves to its callers), normalisation to the shape Graph
 * returns (`normalizeGraphRecurrence`) and occurrence expansion (`expandRecurrence`,
 * `nextOccurrences`) in the series' zone.
 */
import {
  DAYS_OF_WEEK,
  expandRecurrence,
  nextOccurrences,
  normalizeGraphRecurrence,
  WEEK_INDEXES,
  type PatternedRecurrence,
  type RecurrencePatternType,
  type RecurringSeries,
} from '@ocb/recurrence';
import { parseDateOnly } from '@ocb/time-zones';
import { utcToWall } from './time';

export type { PatternedRecurrence };

const PATTERNS: readonly RecurrencePatternType[] = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
const RANGES = ['endDate', 'noEnd', 'numbered'] as const;
/** Occurrences one window may hold (a daily series over ~270 years). */
const EXPAND_LIMIT = 100_000;

export class RecurrenceError extends Error {}

function dateOk(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  try {
    parseDateOnly(s);
    return true;
  } catch {
    return false;
  }
}

function matchCase<T extends string>(value: unknown, options: readonly T[], what: string): T {
  const hit = typeof value === 'string' ? options.find((o) => o.toLowerCase() === value.toLowerCase()) : undefined;
  if (!hit) throw new RecurrenceError(`${what} '${String(value)}' is not valid.`);
  return hit;
}

/**
 * Validates a client's recurrence (Graph's rules and messages) and returns it as Graph answers it:
 * fields that do not apply to the pattern zeroed, then `normalizeGraphRecurrence` fills in Graph's
 * defaults. Throws RecurrenceError.
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
  const named = rawDays.map((d) => matchCase(d, DAYS_OF_WEEK, 'Day of week'));
  const days = DAYS_OF_WEEK.filter((d) => named.includes(d));
  const dayOfMonth = pattern.dayOfMonth === undefined || pattern.dayOfMonth === null ? 0 : Number(pattern.dayOfMonth);
  const month = pattern.month === undefined || pattern.month === null ? 0 : Number(pattern.month);
  const index = pattern.index === undefined || pattern.index === null ? 'first' : matchCase(pattern.index, WEEK_INDEXES, 'Recurrence index');
  const firstDayOfWeek =
    pattern.firstDayOfWeek === undefined || pattern.firstDayOfWeek === null ? 'sunday' : matchCase(pattern.firstDayOfWeek, DAYS_OF_WEEK, 'First day of week');
  const relative = type === 'relativeMonthly' || type === 'relativeYearly';
  const absolute = type === 'absoluteMonthly' || type === 'absoluteYearly';
  const yearly = type === 'absoluteYearly' || type === 'relativeYearly';
  if ((type === 'weekly' || relative) && days.length === 0) throw new RecurrenceError(`Recurrence pattern of type ${type} requires daysOfWeek.`);
  if (absolute && !(Number.isInteger(dayOfMonth) && dayOfMonth >= 1 && dayOfMonth <= 31)) {
    throw new RecurrenceError(`Recurrence pattern of type ${type} requires dayOfMonth between 1 and 31.`);
  }
  if (yearly && !(Number.isInteger(month) && month >= 1 && month <= 12)) {
    throw new RecurrenceError(`Recurrence pattern of type ${type} requires month between 1 and 12.`);
  }
  const rangeType = matchCase(range.type, RANGES, 'Recurrence range type');
  const startDate = range.startDate === undefined ? eventStartDate : range.startDate;
  if (!dateOk(startDate)) throw new RecurrenceError('Recurrence range startDate must be a date (YYYY-MM-DD).');
  let endDate: string | undefined;
  let numberOfOccurrences: number | undefined;
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
  const recurrenceTimeZone = typeof range.recurrenceTimeZone === 'string' && range.recurrenceTimeZone ? range.recurrenceTimeZone : undefined;
  return normalizeGraphRecurrence(
    {
      pattern: {
        type,
        interval,
        month: yearly ? month : 0,
        dayOfMonth: absolute ? dayOfMonth : 0,
        daysOfWeek: type === 'weekly' || relative ? days : [],
        firstDayOfWeek,
        index: relative ? index : 'first',
      },
      range: { type: rangeType, startDate, endDate, recurrenceTimeZone, numberOfOccurrences },
    },
    eventZone,
  );
}

/** What a series needs for expansion: its recurrence and first occurrence (instants and zone). */
export interface SeriesShape {
  recurrence: PatternedRecurrence;
  startWall: string;
  startMs: number;
  endMs: number;
  /** IANA zone the series keeps its wall-clock times in (the start's zone). */
  iana: string;
}

function seriesOf(s: SeriesShape): RecurringSeries {
  // The end as a wall time in the start's zone (an event may end in another zone).
  return { recurrence: s.recurrence, start: s.startWall, end: utcToWall(Math.max(s.endMs, s.startMs), s.iana), timeZone: s.iana };
}

/** One occurrence as scheduled by the pattern (exceptions are the caller's business). */
export interface ScheduledOccurrence {
  /** Original start = start (UTC ms). */
  startMs: number;
  endMs: number;
  startWall: string;
  endWall: string;
}

/** Occurrences overlapping [fromMs, toMs), in order. */
export function occurrencesIn(s: SeriesShape, fromMs: number, toMs: number): ScheduledOccurrence[] {
  if (!(toMs > fromMs)) return [];
  return expandRecurrence(seriesOf(s), { from: new Date(fromMs), to: new Date(toMs) }, { limit: EXPAND_LIMIT }).map((o) => ({
    startMs: o.startUtc.getTime(),
    endMs: o.endUtc.getTime(),
    startWall: o.startWall,
    endWall: o.endWall,
  }));
}

/** The occurrence whose (original) start is exactly `startMs`, if the pattern has one. */
export function occurrenceAt(s: SeriesShape, startMs: number): ScheduledOccurrence | undefined {
  const [o] = nextOccurrences(seriesOf(s), new Date(startMs), 1);
  if (!o || o.startUtc.getTime() !== startMs) return undefined;
  return { startMs, endMs: o.endUtc.getTime(), startWall: o.startWall, endWall: o.endWall };
}
