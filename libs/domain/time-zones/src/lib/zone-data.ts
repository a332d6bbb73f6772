import { IANA_ALIAS_MAP, WINDOWS_TO_IANA_MAP } from 'windows-iana';

/**
 * Windows <-> IANA tables, derived once from the CLDR data shipped with `windows-iana`
 * (`WINDOWS_TO_IANA_MAP` = CLDR windowsZones.xml, `IANA_ALIAS_MAP` = CLDR bcp47 timezone.xml).
 * Nothing here is typed by hand.
 */

/** Every Windows zone id in CLDR's windowsZones, in the data's order (by base offset). */
export const WINDOWS_IDS: readonly string[] = [...new Set(WINDOWS_TO_IANA_MAP.map((e) => e.windowsName))];

/** Windows id -> primary IANA zone (the territory "001" entry, CLDR's golden zone). */
export const WINDOWS_TO_PRIMARY_IANA: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const e of WINDOWS_TO_IANA_MAP) {
    if (e.territory === '001' && !map.has(e.windowsName)) map.set(e.windowsName, e.iana[0]);
  }
  // Defensive: a Windows id without a "001" row falls back to its first listed zone.
  for (const e of WINDOWS_TO_IANA_MAP) {
    if (!map.has(e.windowsName)) map.set(e.windowsName, e.iana[0]);
  }
  return map;
})();

/** lower-case Windows id -> Windows id. */
export const WINDOWS_BY_LOWER: ReadonlyMap<string, string> = new Map(WINDOWS_IDS.map((id) => [id.toLowerCase(), id]));

/** IANA name -> its CLDR alias group (all names for the same zone, canonical first). */
const ALIAS_GROUP = new Map<string, { names: readonly string[]; description: string }>();
for (const entry of IANA_ALIAS_MAP) {
  for (const name of entry.alias) {
    if (name === 'Etc/Unknown') continue;
    ALIAS_GROUP.set(name, { names: entry.alias.filter((n) => n !== 'Etc/Unknown'), description: entry.description });
  }
}

/** All names of the zone `iana` (itself included), per CLDR. */
export function ianaAliases(iana: string): readonly string[] {
  return ALIAS_GROUP.get(iana)?.names ?? [iana];
}

/** CLDR's English description of the zone ("Los Angeles, United States"), if any. */
export function ianaDescription(iana: string): string | undefined {
  return ALIAS_GROUP.get(iana)?.description;
}

/**
 * IANA name (every name in the Windows map plus all their CLDR aliases) -> Windows id.
 * Preference: the Windows zone whose golden ("001") zone it is, then the first territory row
 * naming it (data order), so `America/Vancouver` -> Pacific Standard Time and
 * `Etc/GMT+5` -> SA Pacific Standard Time.
 */
export const IANA_TO_WINDOWS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const assign = (iana: string, windows: string) => {
    for (const name of ianaAliases(iana)) if (!map.has(name)) map.set(name, windows);
  };
  for (const e of WINDOWS_TO_IANA_MAP) if (e.territory === '001') for (const z of e.iana) assign(z, e.windowsName);
  for (const e of WINDOWS_TO_IANA_MAP) if (e.territory !== 'ZZ') for (const z of e.iana) assign(z, e.windowsName);
  for (const e of WINDOWS_TO_IANA_MAP) for (const z of e.iana) assign(z, e.windowsName);
  return map;
})();

/** lower-case IANA name -> IANA name as spelled in the data. */
export const IANA_BY_LOWER: ReadonlyMap<string, string> = new Map(
  [...IANA_TO_WINDOWS.keys()].map((name) => [name.toLowerCase(), name]),
);
