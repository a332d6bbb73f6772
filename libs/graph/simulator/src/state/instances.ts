/** What calendarView shows of a record: single instances, occurrences and exceptions of a series. */
import type { EventContent, EventRecord, Instance, InstanceFields, OccurrenceOverride } from './records';
import type { SeriesShape } from './series';
import { occurrenceAt, occurrencesIn } from './series';
import { occurrenceId } from './ids';
import { utcToWall } from './time';

/** What calendarView shows of one record in [fromMs, toMs). */
export function instancesOf(rec: EventRecord, fromMs: number, toMs: number): Instance[] {
  if (rec.deleted) return [];
  const c = rec.content;
  if (!c.recurrence) {
    if (c.startMs < toMs && (c.endMs > fromMs || (c.endMs === c.startMs && c.startMs >= fromMs))) {
      return [new ViewInstance(rec, rec.id, 'singleInstance', c, c.startWall, c.endWall, c.startMs, c.endMs, null, rec.changeCount, rec.modifiedMs)];
    }
    return [];
  }
  return seriesInstances(rec, fromMs, toMs, false);
}

/** The instances of a series in [fromMs, toMs); `byOriginalStart`: the one originally scheduled at fromMs. */
export function seriesInstances(rec: EventRecord, fromMs: number, toMs: number, byOriginalStart: boolean): Instance[] {
  const c = rec.content;
  const shape = seriesShape(c);
  if (!shape) return [];
  const out: Instance[] = [];
  const mb = rec.mailbox;
  const exceptions = c.exceptions;
  const overlaps = (s: number, e: number): boolean => s < toMs && (e > fromMs || (e === s && s >= fromMs));
  const push = (originalStart: number, scheduled: { startMs: number; endMs: number; startWall: string; endWall: string } | null, exc: OccurrenceOverride | undefined): void => {
    const id = occurrenceId(mb.index, mb.salt, rec.seq, originalStart);
    if (exc) {
      const f = exc.fields;
      out.push(new ViewInstance(rec, id, 'exception', f, f.startWall, f.endWall, f.startMs, f.endMs, originalStart, exc.changeCount, exc.modifiedMs));
    } else if (!scheduled || scheduled.startMs === c.startMs) {
      out.push(new ViewInstance(rec, id, 'occurrence', c, c.startWall, c.endWall, c.startMs, c.endMs, originalStart, rec.changeCount, rec.modifiedMs));
    } else {
      // The series' content at this occurrence's times (its fields object is built only when asked for).
      const endWall = c.endIana === c.iana ? scheduled.endWall : utcToWall(scheduled.endMs, c.endIana);
      out.push(new ViewInstance(rec, id, 'occurrence', c, scheduled.startWall, endWall, scheduled.startMs, scheduled.endMs, originalStart, rec.changeCount, rec.modifiedMs));
    }
  };
  if (byOriginalStart) {
    // The occurrence (or exception) originally scheduled in [fromMs, toMs).
    const o = occurrenceAt(shape, fromMs);
    const exc = exceptions?.get(fromMs);
    if (o && fromMs < toMs && !exc?.deleted) push(fromMs, o, exc);
    return out;
  }
  // Scheduled occurrences near the window; exceptions may have moved in or out of it.
  const seen = exceptions ? new Set<number>() : null;
  for (const o of occurrencesIn(shape, fromMs - EXCEPTION_MARGIN_MS, toMs + EXCEPTION_MARGIN_MS)) {
    const exc = exceptions?.get(o.startMs);
    seen?.add(o.startMs);
    if (exc?.deleted) continue;
    const s = exc ? exc.fields.startMs : o.startMs;
    const e = exc ? exc.fields.endMs : o.endMs;
    if (overlaps(s, e)) push(o.startMs, o, exc);
  }
  if (exceptions && seen) {
    for (const [originalStart, exc] of exceptions) {
      if (exc.deleted || seen.has(originalStart) || !overlaps(exc.fields.startMs, exc.fields.endMs)) continue;
      if (occurrenceAt(shape, originalStart)) push(originalStart, null, exc);
    }
    out.sort((a, b) => a.startMs - b.startMs);
  }
  return out;
}

/** A calendarView item: `base` (shared, never copied) at the item's own times. */
class ViewInstance implements Instance {
  private own: InstanceFields | undefined = undefined;

  constructor(
    readonly record: EventRecord,
    readonly id: string,
    readonly type: Instance['type'],
    readonly base: InstanceFields,
    readonly startWall: string,
    readonly endWall: string,
    readonly startMs: number,
    readonly endMs: number,
    readonly originalStartMs: number | null,
    readonly changeCount: number,
    readonly modifiedMs: number,
  ) {}

  /** The fields as shown; a copy of `base` with this item's times when they differ. */
  get fields(): InstanceFields {
    if (this.own === undefined) {
      const b = this.base;
      this.own =
        b.startMs === this.startMs && b.endMs === this.endMs && b.startWall === this.startWall && b.endWall === this.endWall
          ? b
          : { ...b, startWall: this.startWall, endWall: this.endWall, startMs: this.startMs, endMs: this.endMs };
    }
    return this.own;
  }
}

/** Exceptions moved up to this far from their original start are found without a full scan. */
const EXCEPTION_MARGIN_MS = 2 * 86_400_000;

export function seriesShape(c: EventContent): SeriesShape | null {
  return c.recurrence ? { recurrence: c.recurrence, startWall: c.startWall, startMs: c.startMs, endMs: c.endMs, iana: c.iana } : null;
}
