import { InvalidTimeZoneError } from './errors';
import { intlOffsetMs } from './offsets';
import {
  IANA_BY_LOWER,
  IANA_TO_WINDOWS,
  ianaAliases,
  WINDOWS_BY_LOWER,
  WINDOWS_IDS,
  WINDOWS_TO_PRIMARY_IANA,
} from './zone-data';

export interface ResolvedTimeZone {
  /** Windows id, as Outlook spells it ("Pacific Standard Time"). */
  windows: string;
  /** IANA name: the caller's own for an IANA input, the primary zone for a Windows input. */
  iana: string;
}

const RESOLVED = new Map<string, ResolvedTimeZone | null>();

/** Intl's spelling of a zone it knows, or undefined. */
function intlZoneName(name: string): string | undefined {
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    const lower = name.toLowerCase();
    return Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === lower) ?? canonical;
  } catch {
    return undefined;
  }
}

/** Sample instants (fixed, so results do not depend on the clock): mid-January and mid-July. */
const SAMPLES = [2024, 2025, 2026, 2027].flatMap((y) => [Date.UTC(y, 0, 15), Date.UTC(y, 6, 15)]);

/** For a zone Intl knows but CLDR's Windows map does not: the Windows zone with the same offsets. */
function windowsByOffsets(iana: string): string | undefined {
  const signature = SAMPLES.map((t) => intlOffsetMs(iana, t)).join(',');
  for (const id of WINDOWS_IDS) {
    const primary = WINDOWS_TO_PRIMARY_IANA.get(id) as string;
    if (SAMPLES.map((t) => intlOffsetMs(primary, t)).join(',') === signature) return id;
  }
  return undefined;
}

function lookup(name: string): ResolvedTimeZone | null {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  const windows = WINDOWS_BY_LOWER.get(lower);
  if (windows) return { windows, iana: WINDOWS_TO_PRIMARY_IANA.get(windows) as string };
  const known = IANA_BY_LOWER.get(lower);
  if (known) return { windows: IANA_TO_WINDOWS.get(known) as string, iana: known };
  if (!trimmed.includes('/') && !/^[a-z0-9+-]+$/i.test(trimmed)) return null;
  const intlName = intlZoneName(trimmed);
  if (!intlName) return null;
  for (const alias of ianaAliases(intlName)) {
    const w = IANA_TO_WINDOWS.get(alias);
    if (w) return { windows: w, iana: intlName };
  }
  const byOffsets = windowsByOffsets(intlName);
  return byOffsets ? { windows: byOffsets, iana: intlName } : null;
}

/**
 * Resolves a Windows id (case-insensitive) or an IANA name (case-insensitive, CLDR aliases and
 * anything Node's Intl knows, e.g. "UTC", "Etc/GMT+5") to both spellings.
 * @throws InvalidTimeZoneError
 */
export function resolveTimeZone(name: string): ResolvedTimeZone {
  if (typeof name !== 'string' || name.trim() === '') throw new InvalidTimeZoneError(String(name));
  let hit = RESOLVED.get(name);
  if (hit === undefined) {
    hit = lookup(name);
    if (RESOLVED.size > 10_000) RESOLVED.clear();
    RESOLVED.set(name, hit);
  }
  if (!hit) throw new InvalidTimeZoneError(name);
  return hit;
}

export function isValidTimeZone(name: string): boolean {
  try {
    resolveTimeZone(name);
    return true;
  } catch {
    return false;
  }
}

/** IANA name for a Windows or IANA input (see resolveTimeZone). */
export function toIana(name: string): string {
  return resolveTimeZone(name).iana;
}

/** Windows id for a Windows or IANA input (see resolveTimeZone). */
export function toWindows(name: string): string {
  return resolveTimeZone(name).windows;
}
