/**
 * The simulator's view of `@ocb/time-zones`: zone resolution that answers undefined instead of
 * throwing, and the ms-based conversions the hot paths (seeding, calendarView) use. All zone data
 * and offset arithmetic come from the domain lib.
 */
import {
  floatingToInstant,
  InvalidTimeZoneError,
  InvalidWallTimeError,
  parseDateOnly,
  parseWallTime,
  resolveTimeZone,
  wallToFloatingMs,
  floatingMs,
  zoneOffsetMs,
  type ResolvedTimeZone,
} from '@ocb/time-zones';

/** `windows`: Outlook's id; `iana`: the caller's IANA name, or the Windows zone's primary one. */
export type SimZone = ResolvedTimeZone;

export const UTC_ZONE: SimZone = resolveTimeZone('UTC');

/** Resolves a Windows or IANA zone name; undefined when unknown. */
export function resolveZone(name: string): SimZone | undefined {
  try {
    return resolveTimeZone(name);
  } catch (e) {
    if (e instanceof InvalidTimeZoneError) return undefined;
    throw e;
  }
}

const isUtcName = (iana: string): boolean => iana === 'Etc/UTC' || iana === 'UTC';

/** Offset (ms, wall minus UTC) of `iana` at `utcMs`. */
export function offsetAt(iana: string, utcMs: number): number {
  return isUtcName(iana) ? 0 : zoneOffsetMs(iana, utcMs);
}

/** A floating wall time (wall clock laid on the UTC axis) in `iana` → instant (gap: forward, overlap: earlier). */
export function wallMsToUtc(floating: number, iana: string): number {
  return isUtcName(iana) ? floating : floatingToInstant(iana, floating);
}

/** Floating ms → 'YYYY-MM-DDTHH:mm:ss' (years 0000-9999). */
export function formatWall(floating: number): string {
  return new Date(floating).toISOString().slice(0, 19);
}

/** Instant → wall 'YYYY-MM-DDTHH:mm:ss' in `iana`. */
export function utcToWall(utcMs: number, iana: string): string {
  return formatWall(utcMs + offsetAt(iana, utcMs));
}

/** Parses an offset-less wall time ('YYYY-MM-DD' or with a time) as floating ms; NaN when malformed. */
export function parseWallAsUtc(wall: string): number {
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(wall)) {
      const d = parseDateOnly(wall);
      return floatingMs(d.year, d.month, d.day);
    }
    return wallToFloatingMs(parseWallTime(wall));
  } catch (e) {
    if (e instanceof InvalidWallTimeError) return NaN;
    throw e;
  }
}

/** Normalises an offset-less wall time to 'YYYY-MM-DDTHH:mm:ss'; undefined when malformed. */
export function normalizeWall(wall: string): string | undefined {
  const ms = parseWallAsUtc(wall);
  return Number.isNaN(ms) ? undefined : formatWall(ms);
}

/** Wall clock in `iana` → instant (ms); NaN when malformed. */
export function wallToUtc(wall: string, iana: string): number {
  const f = parseWallAsUtc(wall);
  return Number.isNaN(f) ? NaN : wallMsToUtc(f, iana);
}

/** Graph's dateTime format: seven fractional digits. */
export function graphDateTime(wall: string): string {
  return wall + '.0000000';
}

/**
 * A query-string instant: with Z or an offset it is exact; without one Graph reads it as UTC.
 * NaN when malformed.
 */
export function parseQueryInstant(value: string): number {
  // A '+' of an offset left unencoded in a query string arrives as a space.
  const v = value.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(v)) {
    const t = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(t) ? NaN : t;
  }
  return parseWallAsUtc(v);
}
