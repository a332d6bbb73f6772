/**
 * Time-zone arithmetic for the simulator: Windows and IANA names, wall time <-> UTC. Fast paths
 * for UTC and a per-zone offset cache keep calendarView rendering cheap.
 */

export interface SimZone {
  /** Windows name ("Pacific Standard Time"), or the IANA name when Windows has no exact match. */
  windows: string;
  iana: string;
}

/** Windows zones Outlook accepts that the simulator knows, with their IANA equivalent and label. */
export const WINDOWS_ZONES: ReadonlyArray<{ windows: string; iana: string; displayName: string }> = [
  { windows: 'Dateline Standard Time', iana: 'Etc/GMT+12', displayName: '(UTC-12:00) International Date Line West' },
  { windows: 'UTC-11', iana: 'Etc/GMT+11', displayName: '(UTC-11:00) Coordinated Universal Time-11' },
  { windows: 'Hawaiian Standard Time', iana: 'Pacific/Honolulu', displayName: '(UTC-10:00) Hawaii' },
  { windows: 'Alaskan Standard Time', iana: 'America/Anchorage', displayName: '(UTC-09:00) Alaska' },
  { windows: 'Pacific Standard Time', iana: 'America/Los_Angeles', displayName: '(UTC-08:00) Pacific Time (US & Canada)' },
  { windows: 'US Mountain Standard Time', iana: 'America/Phoenix', displayName: '(UTC-07:00) Arizona' },
  { windows: 'Mountain Standard Time', iana: 'America/Denver', displayName: '(UTC-07:00) Mountain Time (US & Canada)' },
  { windows: 'Central Standard Time', iana: 'America/Chicago', displayName: '(UTC-06:00) Central Time (US & Canada)' },
  { windows: 'Eastern Standard Time', iana: 'America/New_York', displayName: '(UTC-05:00) Eastern Time (US & Canada)' },
  { windows: 'SA Pacific Standard Time', iana: 'America/Bogota', displayName: '(UTC-05:00) Bogota, Lima, Quito, Rio Branco' },
  { windows: 'Atlantic Standard Time', iana: 'America/Halifax', displayName: '(UTC-04:00) Atlantic Time (Canada)' },
  { windows: 'E. South America Standard Time', iana: 'America/Sao_Paulo', displayName: '(UTC-03:00) Brasilia' },
  { windows: 'UTC', iana: 'Etc/UTC', displayName: '(UTC) Coordinated Universal Time' },
  { windows: 'GMT Standard Time', iana: 'Europe/London', displayName: '(UTC+00:00) Dublin, Edinburgh, Lisbon, London' },
  { windows: 'W. Europe Standard Time', iana: 'Europe/Berlin', displayName: '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna' },
  { windows: 'Romance Standard Time', iana: 'Europe/Paris', displayName: '(UTC+01:00) Brussels, Copenhagen, Madrid, Paris' },
  { windows: 'Central European Standard Time', iana: 'Europe/Warsaw', displayName: '(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb' },
  { windows: 'GTB Standard Time', iana: 'Europe/Bucharest', displayName: '(UTC+02:00) Athens, Bucharest' },
  { windows: 'South Africa Standard Time', iana: 'Africa/Johannesburg', displayName: '(UTC+02:00) Harare, Pretoria' },
  { windows: 'Russian Standard Time', iana: 'Europe/Moscow', displayName: '(UTC+03:00) Moscow, St. Petersburg' },
  { windows: 'Arabian Standard Time', iana: 'Asia/Dubai', displayName: '(UTC+04:00) Abu Dhabi, Muscat' },
  { windows: 'India Standard Time', iana: 'Asia/Kolkata', displayName: '(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi' },
  { windows: 'Nepal Standard Time', iana: 'Asia/Kathmandu', displayName: '(UTC+05:45) Kathmandu' },
  { windows: 'SE Asia Standard Time', iana: 'Asia/Bangkok', displayName: '(UTC+07:00) Bangkok, Hanoi, Jakarta' },
  { windows: 'China Standard Time', iana: 'Asia/Shanghai', displayName: '(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi' },
  { windows: 'Singapore Standard Time', iana: 'Asia/Singapore', displayName: '(UTC+08:00) Kuala Lumpur, Singapore' },
  { windows: 'Tokyo Standard Time', iana: 'Asia/Tokyo', displayName: '(UTC+09:00) Osaka, Sapporo, Tokyo' },
  { windows: 'AUS Eastern Standard Time', iana: 'Australia/Sydney', displayName: '(UTC+10:00) Canberra, Melbourne, Sydney' },
  { windows: 'New Zealand Standard Time', iana: 'Pacific/Auckland', displayName: '(UTC+12:00) Auckland, Wellington' },
  { windows: 'Samoa Standard Time', iana: 'Pacific/Apia', displayName: '(UTC+13:00) Samoa' },
];

const byWindows = new Map(WINDOWS_ZONES.map((z) => [z.windows.toLowerCase(), z]));
const byIana = new Map(WINDOWS_ZONES.map((z) => [z.iana.toLowerCase(), z]));
const resolved = new Map<string, SimZone | null>();

/** Resolves a Windows or IANA zone name; undefined when unknown. */
export function resolveZone(name: string): SimZone | undefined {
  const key = name.trim().toLowerCase();
  let hit = resolved.get(key);
  if (hit === undefined) {
    hit = lookup(name.trim(), key);
    resolved.set(key, hit);
  }
  return hit ?? undefined;
}

function lookup(name: string, key: string): SimZone | null {
  if (key === 'utc' || key === 'etc/utc' || key === 'gmt' || key === 'etc/gmt' || key === 'z') {
    return { windows: 'UTC', iana: 'Etc/UTC' };
  }
  const w = byWindows.get(key);
  if (w) return { windows: w.windows, iana: w.iana };
  try {
    const iana = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    const known = byIana.get(iana.toLowerCase()) ?? byIana.get(key);
    return { windows: known ? known.windows : name, iana };
  } catch {
    return null;
  }
}

export const UTC_ZONE: SimZone = { windows: 'UTC', iana: 'Etc/UTC' };

export function isUtc(zone: SimZone): boolean {
  return zone.iana === 'Etc/UTC';
}

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

/** Offset (ms, wall minus UTC) of `iana` at instant `utcMs`. */
export function offsetAt(iana: string, utcMs: number): number {
  if (iana === 'Etc/UTC') return 0;
  let cache = offsetCache.get(iana);
  if (!cache) {
    cache = new Map();
    offsetCache.set(iana, cache);
  }
  // Zone transitions happen on whole hours (UTC) in the zones Outlook offers; cache per hour.
  const bucket = Math.floor(utcMs / HOUR);
  let off = cache.get(bucket);
  if (off === undefined) {
    off = computeOffset(iana, bucket * HOUR);
    if (cache.size > 200_000) cache.clear();
    cache.set(bucket, off);
  }
  return off;
}

function computeOffset(iana: string, utcMs: number): number {
  let f = formatters.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(iana, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - utcMs;
}

/** Wall clock 'YYYY-MM-DDTHH:mm:ss[.fff]' in `iana` → UTC ms (gap times move forward, overlaps take the first). */
export function wallToUtc(wall: string, iana: string): number {
  const asUtc = parseWallAsUtc(wall);
  return wallMsToUtc(asUtc, iana);
}

/** `wallMs` is the wall time read as if it were UTC. */
export function wallMsToUtc(wallMs: number, iana: string): number {
  if (iana === 'Etc/UTC') return wallMs;
  const o1 = offsetAt(iana, wallMs - offsetAt(iana, wallMs));
  const guess = wallMs - o1;
  const o2 = offsetAt(iana, guess);
  if (o1 === o2) return guess;
  // DST gap or overlap: prefer the earlier offset reading that round-trips.
  const alt = wallMs - o2;
  return offsetAt(iana, alt) === o2 ? Math.min(alt, guess) : Math.max(alt, guess);
}

/** UTC ms → wall 'YYYY-MM-DDTHH:mm:ss' in `iana`. */
export function utcToWall(utcMs: number, iana: string): string {
  return new Date(utcMs + offsetAt(iana, utcMs)).toISOString().slice(0, 19);
}

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/** Parses an offset-less wall time as if it were UTC; NaN when malformed. */
export function parseWallAsUtc(wall: string): number {
  const m = WALL_RE.exec(wall);
  if (!m) return NaN;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const v = Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
  const d = new Date(v);
  return d.getUTCDate() === +m[3] && d.getUTCMonth() === +m[2] - 1 ? v : NaN;
}

/** Normalises an offset-less wall time to 'YYYY-MM-DDTHH:mm:ss'. */
export function normalizeWall(wall: string): string | undefined {
  const ms = parseWallAsUtc(wall);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 19);
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
