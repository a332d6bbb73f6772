/**
 * The calendar dates Outlook accepts. Outlook stores times as Windows FILETIMEs, which begin on
 * 1601-01-01, and uses 4501-01-01 as its "no date" value (a task without a due date, a series
 * without an end), so an event's dates lie within 1601-01-01 .. 4500-12-31.
 */
export const OUTLOOK_MIN_DATE = '1601-01-01';
export const OUTLOOK_MAX_DATE = '4500-12-31';

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:T|$)/;

/**
 * Whether a `YYYY-MM-DD` date, or the date of a wall time `YYYY-MM-DDTHH:mm...`, is one Outlook
 * accepts. The date is read as written (in the event's own zone), not converted.
 */
export function isOutlookDate(value: string): boolean {
  const m = typeof value === 'string' ? DATE_PREFIX.exec(value) : null;
  if (!m) return false;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return date >= OUTLOOK_MIN_DATE && date <= OUTLOOK_MAX_DATE;
}

/** `null` when `value` is in Outlook's range; else the message naming `field` (for a 400). */
export function outlookDateError(field: string, value: string): string | null {
  if (isOutlookDate(value)) return null;
  return `${field} must be a date from ${OUTLOOK_MIN_DATE} to ${OUTLOOK_MAX_DATE} (the dates Outlook accepts), got ${String(value).slice(0, 10)}`;
}
