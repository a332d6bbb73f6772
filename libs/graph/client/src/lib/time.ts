/**
 * Parses a Graph date-time that is UTC by contract (`Prefer: outlook.timezone="UTC"`), e.g.
 * `2026-12-01T18:00:00.0000000` (7 fractional digits, no offset). An explicit `Z` or offset is
 * honoured. Never hands an offset-less string to `new Date()` (which would read it as local time).
 */
export function parseGraphUtc(dateTime: string): Date {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      dateTime.trim(),
    );
  if (!m) throw new RangeError(`not a Graph date-time: '${dateTime}'`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000 + 1e-6) : 0;
  let epoch = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(epoch);
  if (
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new RangeError(`not a valid date-time: '${dateTime}'`);
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return new Date(epoch);
}

/**
 * Retry-After: delay in seconds (possibly fractional) or an HTTP date. Returns ms from `now`, or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed); // HTTP-date (IMF-fixdate) carries "GMT": never offset-less
  if (Number.isNaN(at) || !/GMT|UTC|[+-]\d{4}$/i.test(trimmed)) return undefined;
  return Math.max(0, at - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
