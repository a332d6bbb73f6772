import { formatOffset } from './convert';
import { intlOffsetMs } from './offsets';
import { ianaDescription, WINDOWS_IDS, WINDOWS_TO_PRIMARY_IANA } from './zone-data';

export interface TimeZoneInfo {
  /** Windows id, e.g. "Pacific Standard Time". */
  id: string;
  /** Primary IANA zone (CLDR's golden zone for the Windows id), e.g. "America/Los_Angeles". */
  iana: string;
  /** Outlook-style name: "(UTC-08:00) Pacific Time (Los Angeles)"; "(UTC) Coordinated Universal Time". */
  displayName: string;
  /** Current UTC offset, e.g. "+05:30". */
  utcOffset: string;
}

/**
 * The text part of each display name (no offset prefix), computed once:
 * - `UTC` -> "Coordinated Universal Time", `UTC-11` -> "Coordinated Universal Time-11" (Outlook's);
 * - otherwise Intl's English generic name of the primary zone ("Pacific Time", as of 2025), or CLDR's
 *   description when Intl only knows a "GMT+hh:mm" form;
 * - a name shared by several Windows zones gets the zone's exemplar city: "Pacific Time (Tijuana)".
 */
const NAME_REFERENCE_INSTANT = Date.UTC(2025, 0, 15); // names as of today's rules, not 1970's
const TEXT: ReadonlyMap<string, string> = (() => {
  const base = new Map<string, string>();
  for (const id of WINDOWS_IDS) {
    const iana = WINDOWS_TO_PRIMARY_IANA.get(id) as string;
    const utc = /^UTC([+-]\d{2})?$/.exec(id);
    if (utc) {
      base.set(id, `Coordinated Universal Time${utc[1] ?? ''}`);
      continue;
    }
    const generic =
      new Intl.DateTimeFormat('en-US', { timeZone: iana, timeZoneName: 'longGeneric' })
        .formatToParts(NAME_REFERENCE_INSTANT)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    base.set(id, /^GMT([+-]|$)/.test(generic) || generic === '' ? (ianaDescription(iana) ?? id) : generic);
  }
  const counts = new Map<string, number>();
  for (const text of base.values()) counts.set(text, (counts.get(text) ?? 0) + 1);
  const result = new Map<string, string>();
  for (const [id, text] of base) {
    if ((counts.get(text) ?? 0) < 2) {
      result.set(id, text);
      continue;
    }
    const iana = WINDOWS_TO_PRIMARY_IANA.get(id) as string;
    const city = (ianaDescription(iana) ?? iana.split('/').pop()?.replace(/_/g, ' ') ?? id).split(',')[0].trim();
    result.set(id, `${text} (${city})`);
  }
  // Still ambiguous (two zones with the same exemplar city): disambiguate with the Windows id.
  const seen = new Map<string, number>();
  for (const text of result.values()) seen.set(text, (seen.get(text) ?? 0) + 1);
  for (const [id, text] of result) if ((seen.get(text) ?? 0) > 1) result.set(id, `${text} [${id}]`);
  return result;
})();

function infoAt(id: string, t: number): TimeZoneInfo & { minutes: number } {
  const iana = WINDOWS_TO_PRIMARY_IANA.get(id) as string;
  const minutes = Math.round(intlOffsetMs(iana, t) / 60_000);
  const utcOffset = formatOffset(minutes);
  const prefix = id === 'UTC' ? '(UTC)' : `(UTC${utcOffset})`;
  return { id, iana, displayName: `${prefix} ${TEXT.get(id)}`, utcOffset, minutes };
}

/**
 * Every Windows time zone Outlook accepts (all Windows ids of CLDR's windowsZones), with the
 * offset in force at `at` (default: now), sorted by that offset then display name.
 */
export function listTimeZones(at: Date = new Date()): TimeZoneInfo[] {
  const t = at.getTime();
  return WINDOWS_IDS.map((id) => infoAt(id, t))
    .sort((a, b) => a.minutes - b.minutes || a.displayName.localeCompare(b.displayName, 'en'))
    .map(({ id, iana, displayName, utcOffset }) => ({ id, iana, displayName, utcOffset }));
}

export type TimeZoneStandard = 'Windows' | 'Iana';

export interface SupportedTimeZone {
  alias: string;
  displayName: string;
}

/**
 * What Graph's `/me/outlook/supportedTimeZones(TimeZoneStandard=...)` returns: for 'Windows' the
 * Windows ids with Outlook-style display names; for 'Iana' one IANA name per Windows zone, whose
 * display name is the name itself (as Graph does).
 */
export function supportedTimeZones(standard: TimeZoneStandard = 'Windows', at: Date = new Date()): SupportedTimeZone[] {
  const zones = listTimeZones(at);
  if (standard === 'Windows') return zones.map((z) => ({ alias: z.id, displayName: z.displayName }));
  const seen = new Set<string>();
  const result: SupportedTimeZone[] = [];
  for (const z of zones) {
    if (seen.has(z.iana)) continue;
    seen.add(z.iana);
    result.push({ alias: z.iana, displayName: z.iana });
  }
  return result;
}
