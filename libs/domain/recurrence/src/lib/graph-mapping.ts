import { parseWallTime, toWindows } from '@ocb/time-zones';
import {
  DAYS_OF_WEEK,
  DayOfWeek,
  PatternedRecurrence,
  RecurrenceForm,
  RecurrencePattern,
  RecurrenceRange,
  WEEK_INDEXES,
  WeekIndex,
} from './types';

/** Graph's placeholder for "no end date". */
export const NO_END_DATE = '0001-01-01';

export function weekdayOf(year: number, month: number, day: number): DayOfWeek {
  return DAYS_OF_WEEK[dayIndex(year, month, day)];
}

function dayIndex(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getUTCDay();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Form -> Graph `patternedRecurrence` for an event starting at `start` (wall time) in `timeZone`
 * (Windows or IANA). `null` for `once`.
 * - weekly without days: the start's weekday; monthly: absoluteMonthly on the start's day of month,
 *   or relativeMonthly (`index` = weekOfMonth, days = daysOfWeek or the start's weekday);
 * - range: `until` -> endDate, `count` -> numbered, else noEnd; startDate = the start's local date;
 *   recurrenceTimeZone = the Windows name of the zone.
 */
export function toGraphRecurrence(
  form: RecurrenceForm | null | undefined,
  event: { start: string; timeZone: string },
): PatternedRecurrence | null {
  if (!form || form.type === 'once') return null;
  const start = parseWallTime(event.start);
  const startDate = `${pad(start.year, 4)}-${pad(start.month)}-${pad(start.day)}`;
  const startWeekday = weekdayOf(start.year, start.month, start.day);
  const interval = form.interval ?? 1;
  const days = form.daysOfWeek?.length ? [...form.daysOfWeek] : [startWeekday];
  let pattern: RecurrencePattern;
  switch (form.type) {
    case 'daily':
      pattern = { type: 'daily', interval };
      break;
    case 'weekly':
      pattern = { type: 'weekly', interval, daysOfWeek: days, firstDayOfWeek: 'sunday' };
      break;
    case 'monthly':
      pattern = form.weekOfMonth
        ? { type: 'relativeMonthly', interval, daysOfWeek: days, index: form.weekOfMonth }
        : { type: 'absoluteMonthly', interval, dayOfMonth: start.day };
      break;
    default:
      throw new RangeError(`Unknown recurrence type "${String((form as { type: unknown }).type)}"`);
  }
  const recurrenceTimeZone = toWindows(event.timeZone);
  let range: RecurrenceRange;
  if (form.until) range = { type: 'endDate', startDate, endDate: form.until, recurrenceTimeZone };
  else if (form.count !== undefined) {
    range = { type: 'numbered', startDate, numberOfOccurrences: form.count, recurrenceTimeZone };
  } else range = { type: 'noEnd', startDate, recurrenceTimeZone };
  return { pattern, range };
}

/**
 * Graph -> form (the inverse of toGraphRecurrence). Yearly patterns, which the form cannot name,
 * become monthly with interval 12 x n (same dates for a series starting on its first occurrence).
 */
export function fromGraphRecurrence(pr: PatternedRecurrence | null | undefined): RecurrenceForm {
  if (!pr) return { type: 'once' };
  const p = pr.pattern;
  const interval = p.interval && p.interval > 0 ? p.interval : 1;
  const days = normalizeDays(p.daysOfWeek);
  const index = normalizeIndex(p.index);
  let form: RecurrenceForm;
  switch (p.type) {
    case 'daily':
      form = { type: 'daily', interval };
      break;
    case 'weekly':
      form = { type: 'weekly', interval, daysOfWeek: days };
      break;
    case 'absoluteMonthly':
      form = { type: 'monthly', interval };
      break;
    case 'relativeMonthly':
      form = { type: 'monthly', interval, daysOfWeek: days, weekOfMonth: index };
      break;
    case 'absoluteYearly':
      form = { type: 'monthly', interval: interval * 12 };
      break;
    case 'relativeYearly':
      form = { type: 'monthly', interval: interval * 12, daysOfWeek: days, weekOfMonth: index };
      break;
    default:
      throw new RangeError(`Unknown recurrence pattern type "${String((p as { type: unknown }).type)}"`);
  }
  const r = pr.range;
  if (r.type === 'endDate' && r.endDate && r.endDate !== NO_END_DATE) form.until = r.endDate;
  else if (r.type === 'numbered' && r.numberOfOccurrences) form.count = r.numberOfOccurrences;
  return form;
}

/** Lower-cases Graph day names ("Monday" is accepted on input; Graph answers "monday"). */
export function normalizeDays(days: readonly string[] | undefined): DayOfWeek[] {
  return (days ?? []).map((d) => d.toLowerCase() as DayOfWeek);
}

function normalizeIndex(index: string | undefined): WeekIndex {
  const lower = (index ?? 'first').toLowerCase() as WeekIndex;
  return WEEK_INDEXES.includes(lower) ? lower : 'first';
}

/**
 * Every field filled as Microsoft returns a series' recurrence (POST/GET /events):
 * pattern `{ type, interval, month: 0, dayOfMonth: 0, daysOfWeek: [], firstDayOfWeek: 'sunday',
 * index: 'first' }` where not applicable, range `{ type, startDate, endDate: '0001-01-01' unless
 * endDate, recurrenceTimeZone (Windows name; default the event's zone), numberOfOccurrences: 0
 * unless numbered }`. Names are lower-cased, keys in Graph's order.
 */
export function normalizeGraphRecurrence(pr: PatternedRecurrence, defaultTimeZone: string): PatternedRecurrence {
  const p = pr.pattern;
  const r = pr.range;
  let zone = r.recurrenceTimeZone || defaultTimeZone;
  try {
    zone = toWindows(zone);
  } catch {
    // keep the caller's spelling; validation is not this function's job
  }
  return {
    pattern: {
      type: p.type,
      interval: p.interval ?? 1,
      month: p.month ?? 0,
      dayOfMonth: p.dayOfMonth ?? 0,
      daysOfWeek: normalizeDays(p.daysOfWeek),
      firstDayOfWeek: (p.firstDayOfWeek?.toLowerCase() as DayOfWeek | undefined) ?? 'sunday',
      index: normalizeIndex(p.index),
    },
    range: {
      type: r.type,
      startDate: r.startDate,
      endDate: r.type === 'endDate' && r.endDate ? r.endDate : NO_END_DATE,
      recurrenceTimeZone: zone,
      numberOfOccurrences: r.type === 'numbered' ? (r.numberOfOccurrences ?? 0) : 0,
    },
  };
}
