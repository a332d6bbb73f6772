/**
 * Working hours of a mailbox (Graph's `mailboxSettings.workingHours`): the days and wall-clock hours a
 * user works, in their own zone. Users without explicit hours get Exchange's default, Monday to
 * Friday 08:00–17:00 in the mailbox's time zone (as findMeetingTimes documents for `work`).
 */
import { DAYS_OF_WEEK } from '@ocb/recurrence';
import type { SimUser, SimWorkingHours } from './types';
import { parseWallAsUtc, resolveZone, wallMsToUtc } from './time';

const DAY = 86_400_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,7})?)?$/;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

export function workingHoursOf(user: SimUser): SimWorkingHours {
  return user.workingHours ?? { daysOfWeek: WEEKDAYS, startTime: '08:00:00', endTime: '17:00:00', timeZone: user.timeZone };
}

export class WorkingHoursError extends Error {}

/** Checks and normalises working hours given by a test or the admin API (times to 'HH:mm:ss'). */
export function parseWorkingHours(input: unknown, fallbackZone: string): SimWorkingHours {
  if (!input || typeof input !== 'object') throw new WorkingHoursError('workingHours must be an object');
  const o = input as Record<string, unknown>;
  const days = o.daysOfWeek;
  if (!Array.isArray(days) || days.some((d) => typeof d !== 'string' || !(DAYS_OF_WEEK as readonly string[]).includes(d.toLowerCase()))) {
    throw new WorkingHoursError(`workingHours.daysOfWeek must list days of the week (${DAYS_OF_WEEK.join(', ')})`);
  }
  const time = (key: 'startTime' | 'endTime'): string => {
    const m = typeof o[key] === 'string' ? TIME.exec(o[key] as string) : null;
    if (!m) throw new WorkingHoursError(`workingHours.${key} must be a time 'HH:mm' or 'HH:mm:ss'`);
    return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
  };
  const zoneValue = o.timeZone;
  const zone = typeof zoneValue === 'object' && zoneValue !== null ? (zoneValue as { name?: unknown }).name : (zoneValue ?? fallbackZone);
  if (typeof zone !== 'string' || !resolveZone(zone)) throw new WorkingHoursError(`workingHours.timeZone '${String(zone)}' is not a known time zone`);
  return { daysOfWeek: (days as string[]).map((d) => d.toLowerCase()), startTime: time('startTime'), endTime: time('endTime'), timeZone: zone };
}

/** The working periods (UTC ms, half-open) that meet [fromMs, toMs), in order. */
export function workingPeriods(hours: SimWorkingHours, fromMs: number, toMs: number): Array<{ start: number; end: number }> {
  const zone = resolveZone(hours.timeZone);
  if (!zone) return [];
  const startOfDay = parseWallAsUtc(`1970-01-01T${hours.startTime}`);
  let endOfDay = parseWallAsUtc(`1970-01-01T${hours.endTime}`);
  if (endOfDay <= startOfDay) endOfDay += DAY; // a night shift ends the next day
  const out: Array<{ start: number; end: number }> = [];
  // Wall dates around the window (zones are at most ±14 h from UTC).
  for (let day = Math.floor(fromMs / DAY) - 1; day * DAY < toMs + DAY; day++) {
    const weekday = DAYS_OF_WEEK[new Date(day * DAY).getUTCDay()];
    if (!hours.daysOfWeek.includes(weekday)) continue;
    const start = wallMsToUtc(day * DAY + startOfDay, zone.iana);
    const end = wallMsToUtc(day * DAY + endOfDay, zone.iana);
    if (start < toMs && end > fromMs) out.push({ start, end });
  }
  return out;
}

/** Graph's JSON of working hours (`workingHours` of scheduleInformation). */
export function workingHoursJson(hours: SimWorkingHours): Record<string, unknown> {
  const zone = resolveZone(hours.timeZone);
  return {
    daysOfWeek: hours.daysOfWeek,
    startTime: `${hours.startTime}.0000000`,
    endTime: `${hours.endTime}.0000000`,
    timeZone: { name: zone?.windows ?? hours.timeZone },
  };
}
