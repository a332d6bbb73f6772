import { outlookDateError, parseDateOnly, parseWallTime, wallToFloatingMs } from '@ocb/time-zones';
import { DAYS_OF_WEEK, RECURRENCE_TYPES, RecurrenceForm, WEEK_INDEXES } from './types';

export interface FieldError {
  field: string;
  message: string;
}

function isPositiveInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/**
 * Checks an event's times and recurrence form; returns every problem found (empty when valid),
 * with field paths such as `end`, `recurrence.until`.
 * `officeHours`: the series must recur (a missing recurrence or type `once` is an error).
 */
export function validateRecurrence(
  form: RecurrenceForm | null | undefined,
  event: { start: string; end: string; officeHours?: boolean },
): FieldError[] {
  const errors: FieldError[] = [];
  let startMs: number | undefined;
  let startDate: string | undefined;
  try {
    const start = parseWallTime(event.start);
    startMs = wallToFloatingMs(start);
    startDate = event.start.slice(0, 10);
    const outside = outlookDateError('start', event.start);
    if (outside) errors.push({ field: 'start', message: outside });
  } catch (e) {
    errors.push({ field: 'start', message: (e as Error).message });
  }
  try {
    const endMs = wallToFloatingMs(parseWallTime(event.end));
    const outside = outlookDateError('end', event.end);
    if (outside) errors.push({ field: 'end', message: outside });
    else if (startMs !== undefined && endMs <= startMs) errors.push({ field: 'end', message: 'end must be after start' });
  } catch (e) {
    errors.push({ field: 'end', message: (e as Error).message });
  }

  if (form === null || form === undefined) {
    if (event.officeHours) errors.push({ field: 'recurrence', message: 'office hours must recur (daily, weekly or monthly)' });
    return errors;
  }
  if (typeof form !== 'object') {
    errors.push({ field: 'recurrence', message: 'recurrence must be an object' });
    return errors;
  }
  const type = form.type;
  if (!RECURRENCE_TYPES.includes(type)) {
    errors.push({ field: 'recurrence.type', message: `type must be one of ${RECURRENCE_TYPES.join(', ')}` });
  } else if (type === 'once' && event.officeHours) {
    errors.push({ field: 'recurrence.type', message: 'office hours must recur (daily, weekly or monthly)' });
  }

  if (form.interval !== undefined && !isPositiveInteger(form.interval)) {
    errors.push({ field: 'recurrence.interval', message: 'interval must be an integer of at least 1' });
  }
  if (form.until !== undefined && form.count !== undefined) {
    errors.push({ field: 'recurrence', message: 'give at most one of until and count' });
  }
  if (form.count !== undefined && !isPositiveInteger(form.count)) {
    errors.push({ field: 'recurrence.count', message: 'count must be an integer of at least 1' });
  }
  if (form.until !== undefined) {
    let parsed = false;
    try {
      parseDateOnly(form.until);
      parsed = true;
    } catch {
      errors.push({ field: 'recurrence.until', message: 'until must be a date YYYY-MM-DD' });
    }
    const outside = parsed ? outlookDateError('until', form.until) : null;
    if (outside) errors.push({ field: 'recurrence.until', message: outside });
    else if (parsed) {
      if (startDate !== undefined && form.until < startDate) {
        errors.push({ field: 'recurrence.until', message: `until must not be before the start date ${startDate}` });
      }
    }
  }

  if (form.weekOfMonth !== undefined) {
    if (!WEEK_INDEXES.includes(form.weekOfMonth)) {
      errors.push({ field: 'recurrence.weekOfMonth', message: `weekOfMonth must be one of ${WEEK_INDEXES.join(', ')}` });
    } else if (type !== 'monthly') {
      errors.push({ field: 'recurrence.weekOfMonth', message: 'weekOfMonth applies to monthly recurrence only' });
    }
  }
  if (form.daysOfWeek !== undefined) {
    const days = form.daysOfWeek as unknown;
    if (!Array.isArray(days) || days.length === 0) {
      errors.push({ field: 'recurrence.daysOfWeek', message: 'daysOfWeek must be a non-empty list of day names' });
    } else {
      days.forEach((d, i) => {
        if (!DAYS_OF_WEEK.includes(d)) {
          errors.push({
            field: `recurrence.daysOfWeek[${i}]`,
            message: `"${String(d)}" is not a day; use ${DAYS_OF_WEEK.join(', ')}`,
          });
        }
      });
      if (new Set(days).size !== days.length) {
        errors.push({ field: 'recurrence.daysOfWeek', message: 'daysOfWeek must not repeat a day' });
      }
      const allowed = type === 'weekly' || (type === 'monthly' && form.weekOfMonth !== undefined);
      if (!allowed) {
        errors.push({
          field: 'recurrence.daysOfWeek',
          message: 'daysOfWeek applies to weekly recurrence, or monthly with weekOfMonth',
        });
      }
    }
  }
  return errors;
}
