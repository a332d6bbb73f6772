import { InvalidWallTimeError } from './errors';

/** A calendar date-time with no zone, as Graph's `dateTime` without `timeZone`. */
export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const OFFSET_SUFFIX_RE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Days in `month` (1-12) of `year` (proleptic Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses `YYYY-MM-DDTHH:mm[:ss[.f{1,7}]]` (Graph sends 7 fraction digits; sub-millisecond digits
 * are dropped). A trailing `Z` or `±hh:mm` is rejected: the zone is always given separately.
 */
export function parseWallTime(input: string): WallTime {
  if (typeof input !== 'string') throw new InvalidWallTimeError(String(input), 'expected a string');
  const m = WALL_RE.exec(input);
  if (!m) {
    if (/T\d{2}:\d{2}/.test(input) && OFFSET_SUFFIX_RE.test(input)) {
      throw new InvalidWallTimeError(
        input,
        'a wall-clock time must not carry "Z" or a UTC offset; give the local time and the time zone separately',
      );
    }
    throw new InvalidWallTimeError(input, 'expected YYYY-MM-DDTHH:mm[:ss[.fffffff]]');
  }
  const wall: WallTime = {
    year: +m[1],
    month: +m[2],
    day: +m[3],
    hour: +m[4],
    minute: +m[5],
    second: m[6] ? +m[6] : 0,
    millisecond: m[7] ? +(m[7] + '00').slice(0, 3) : 0,
  };
  if (wall.month < 1 || wall.month > 12) throw new InvalidWallTimeError(input, 'month out of range');
  if (wall.day < 1 || wall.day > daysInMonth(wall.year, wall.month)) {
    throw new InvalidWallTimeError(input, 'day out of range for the month');
  }
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) throw new InvalidWallTimeError(input, 'time out of range');
  return wall;
}

/** Parses a `YYYY-MM-DD` date; throws InvalidWallTimeError when malformed or not a real date. */
export function parseDateOnly(input: string): { year: number; month: number; day: number } {
  const m = typeof input === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(input) : null;
  if (!m) throw new InvalidWallTimeError(String(input), 'expected YYYY-MM-DD');
  const d = { year: +m[1], month: +m[2], day: +m[3] };
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month)) {
    throw new InvalidWallTimeError(input, 'not a calendar date');
  }
  return d;
}

/**
 * The wall time as milliseconds on a "floating" UTC axis (the instant it would be if the zone
 * were UTC). Calendar arithmetic on wall times is exact on this axis.
 */
export function wallToFloatingMs(w: WallTime): number {
  return floatingMs(w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond);
}

/** Date.UTC without its 0-99 => 1900-1999 year quirk. */
export function floatingMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  d.setUTCFullYear(year);
  return d.getTime();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats floating milliseconds as `YYYY-MM-DDTHH:mm:ss`. */
export function formatFloatingMs(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** Formats a WallTime as `YYYY-MM-DDTHH:mm:ss`. */
export function formatWallTime(w: WallTime): string {
  return formatFloatingMs(wallToFloatingMs(w));
}

/** Formats a date as `YYYY-MM-DD`. */
export function formatDateOnly(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}
