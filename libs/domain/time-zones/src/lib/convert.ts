import { floatingToInstant, zoneOffsetMs } from './offsets';
import { toIana } from './resolve';
import { formatFloatingMs, parseWallTime, wallToFloatingMs } from './wall-time';

function toMs(instant: Date | number | string): number {
  let t: number;
  if (instant instanceof Date) t = instant.getTime();
  else if (typeof instant === 'number') t = instant;
  else if (typeof instant === 'string') {
    if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(instant.trim())) {
      throw new RangeError(`Instant "${instant}" must carry "Z" or a UTC offset`);
    }
    t = Date.parse(instant);
  } else t = NaN;
  if (!Number.isFinite(t)) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return t;
}

/** `+05:30` / `-08:00` / `+00:00` for an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.round(Math.abs(minutes));
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** UTC offset of `zone` (Windows or IANA) at `instant`, in minutes (local minus UTC). */
export function offsetMinutes(zone: string, instant: Date | number | string): number {
  return zoneOffsetMs(toIana(zone), toMs(instant)) / 60_000;
}

/**
 * Wall-clock time in `zone` -> instant. `wall` is `YYYY-MM-DDTHH:mm[:ss[.fffffff]]` without offset.
 * Non-existent times (spring-forward gap) move forward by the gap length; ambiguous times
 * (fall-back overlap) take the earlier instant.
 */
export function zonedToUtc(wall: string, zone: string): Date {
  return new Date(floatingToInstant(toIana(zone), wallToFloatingMs(parseWallTime(wall))));
}

/** Instant -> wall-clock `YYYY-MM-DDTHH:mm:ss` in `zone`. A string instant must carry Z/offset. */
export function utcToZoned(instant: Date | number | string, zone: string): string {
  const t = toMs(instant);
  return formatFloatingMs(t + zoneOffsetMs(toIana(zone), t));
}

/** Graph's `dateTime` form: `YYYY-MM-DDTHH:mm:ss.fffffff`, wall time in `zone`. */
export function formatGraphDateTime(date: Date, zone: string): string {
  const t = toMs(date);
  const ms = ((t % 1000) + 1000) % 1000;
  return `${utcToZoned(t, zone)}.${String(ms).padStart(3, '0')}0000`;
}
