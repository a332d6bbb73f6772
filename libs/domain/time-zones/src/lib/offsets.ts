/**
 * UTC offsets of IANA zones, from Node's Intl (ICU tz data) only.
 *
 * Speed: Intl formatting costs ~1.5 µs a call, too slow for the millions of conversions the Graph
 * simulator makes. So for each zone the offsets are tabulated per chunk of 366 days: the chunk is
 * sampled once a day and every change is located to the second by bisection; later look-ups are a
 * scan of a few entries. Assumption (true of the tz database since 1900): a zone does not change
 * offset and change back within one day.
 */

import { floatingMs } from './wall-time';

const SECOND = 1000;
const DAY = 86_400_000;
const CHUNK = 366 * DAY;

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
const PARTS_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{1,6}),? (\d{1,2}):(\d{2}):(\d{2})$/;

function formatterFor(iana: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(iana);
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
    FORMATTERS.set(iana, f);
  }
  return f;
}

/** Offset (ms, local minus UTC) of `iana` at instant `t`, straight from Intl. */
export function intlOffsetMs(iana: string, t: number): number {
  const whole = Math.floor(t / SECOND) * SECOND;
  const text = formatterFor(iana).format(whole);
  const m = PARTS_RE.exec(text);
  if (!m) throw new RangeError(`Instant ${new Date(t).toISOString()} is outside the supported range`);
  // Intl writes years of the era: 1 BC (year 0) and 1 AD both read "1", 5 BC "5". The local
  // year is therefore taken from the instant's own UTC year, give or take one at a year's turn
  // (an offset is under a day): the candidate nearest the instant is the local wall time.
  const utcYear = new Date(whole).getUTCFullYear();
  let best: number | undefined;
  for (const year of [utcYear - 1, utcYear, utcYear + 1]) {
    const offset = floatingMs(year, +m[1], +m[2], +m[4], +m[5], +m[6]) - whole;
    if (best === undefined || Math.abs(offset) < Math.abs(best)) best = offset;
  }
  return best as number;
}

interface Chunk {
  starts: number[];
  offsets: number[];
}

const TABLES = new Map<string, Map<number, Chunk>>();

function buildChunk(iana: string, index: number): Chunk {
  const begin = index * CHUNK;
  const end = begin + CHUNK;
  const starts = [begin];
  const offsets = [intlOffsetMs(iana, begin)];
  let lo = begin;
  let loOffset = offsets[0];
  let t = begin;
  while (t < end) {
    const next = Math.min(t + DAY, end);
    const nextOffset = intlOffsetMs(iana, next);
    if (nextOffset === loOffset) {
      lo = next;
      t = next;
      continue;
    }
    // A change in (lo, next]: bisect to the first second with a different offset.
    let a = lo;
    let b = next;
    while (b - a > SECOND) {
      const mid = a + Math.floor((b - a) / (2 * SECOND)) * SECOND;
      if (intlOffsetMs(iana, mid) === loOffset) a = mid;
      else b = mid;
    }
    const changed = intlOffsetMs(iana, b);
    if (b < end) {
      starts.push(b);
      offsets.push(changed);
    }
    lo = b;
    loOffset = changed;
    t = b; // re-examine (b, next] in case of a second change
  }
  return { starts, offsets };
}

/** Offset (ms, local minus UTC) of the IANA zone `iana` at instant `t` (ms since epoch). */
export function zoneOffsetMs(iana: string, t: number): number {
  let zoneTable = TABLES.get(iana);
  if (!zoneTable) {
    zoneTable = new Map();
    TABLES.set(iana, zoneTable);
  }
  const index = Math.floor(t / CHUNK);
  let chunk = zoneTable.get(index);
  if (!chunk) {
    chunk = buildChunk(iana, index);
    zoneTable.set(index, chunk);
  }
  const { starts, offsets } = chunk;
  for (let i = starts.length - 1; i > 0; i--) if (t >= starts[i]) return offsets[i];
  return offsets[0];
}

/**
 * The instant whose wall time in `iana` is `floating` (the wall time as ms on a UTC axis).
 * Gap (spring forward): the wall time does not exist; it is read with the offset in force before
 * the gap, i.e. moved forward by the gap's length (02:30 in a 1 h gap -> 03:30).
 * Overlap (fall back): the wall time exists twice; the earlier instant is returned.
 */
export function floatingToInstant(iana: string, floating: number): number {
  const before = zoneOffsetMs(iana, floating - DAY);
  const after = zoneOffsetMs(iana, floating + DAY);
  if (before === after) {
    const t = floating - before;
    if (zoneOffsetMs(iana, t) === before) return t;
  }
  const candidates = new Set([before, after, zoneOffsetMs(iana, floating - before), zoneOffsetMs(iana, floating - after)]);
  let best: number | undefined;
  for (const o of candidates) {
    const t = floating - o;
    if (zoneOffsetMs(iana, t) === o && (best === undefined || t < best)) best = t;
  }
  if (best !== undefined) return best;
  // Gap: use the offset before the transition.
  return floating - before;
}
