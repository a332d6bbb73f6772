import { Injectable, Logger } from '@nestjs/common';
import { toEventRow, type EventRow, type GraphEvent } from '../events/event-mapper';
import { EventsRepository } from '../events/events.repository';
import { CalendarGraph, type MailboxFetch, type SyncWindow } from '../graph/calendar.graph';

export type ApplyMode = 'full' | 'delta';

/** What a completed fetch means for the cache of one mailbox, before anything is written. */
export interface MailboxPlan {
  userId: string;
  mode: ApplyMode;
  window: SyncWindow | null;
  deltaLink: string;
  upserts: EventRow[];
  removeIds: string[];
  /** Series masters delivered inline (delta may return them). */
  inlineMasters: GraphEvent[];
  /** Series masters to fetch: new series and series whose occurrences changed. */
  seriesNeeded: string[];
  cachedSeries: Map<string, string>;
}

export interface MailboxResult {
  upserted: number;
  removed: number;
}

/**
 * The planning steps of a mailbox's way into the cache: what a completed fetch changes (only rows
 * whose changeKey differs; a full fetch is mark-and-sweep, a delta changes and removals), then the
 * series masters those changes need, fetched for many mailboxes at once.
 */
@Injectable()
export class MailboxPlanner {
  private readonly logger = new Logger(MailboxPlanner.name);

  constructor(
    private readonly events: EventsRepository,
    private readonly graph: CalendarGraph,
  ) {}

  /** What a completed fetch means for the mailbox's cache, before anything is written. */
  async plan(fetch: Extract<MailboxFetch, { ok: true }>, mode: ApplyMode, window: SyncWindow | null): Promise<MailboxPlan> {
    const { userId } = fetch;
    const rows: EventRow[] = [];
    const inlineMasters: GraphEvent[] = [];
    const gone = new Set(fetch.removed);
    for (const item of fetch.items) {
      if (item.type === 'seriesMaster') inlineMasters.push(item);
      else if (item.isCancelled) gone.add(item.id);
      else rows.push(toEventRow(userId, item));
    }
    const cachedSeries = await this.events.seriesChangeKeys(userId);
    let upserts: EventRow[];
    let removeIds: string[];
    if (mode === 'full') {
      const existing = await this.events.changeKeys(userId);
      const seen = new Set(rows.map((r) => r.id));
      upserts = rows.filter((r) => existing.get(r.id) !== r.changeKey);
      removeIds = [...existing.keys()].filter((id) => !seen.has(id));
    } else {
      const existing = await this.events.changeKeys(userId, [...rows.map((r) => r.id), ...gone]);
      upserts = rows.filter((r) => existing.get(r.id) !== r.changeKey);
      removeIds = [...gone].filter((id) => existing.has(id));
    }
    const inline = new Set(inlineMasters.map((m) => m.id));
    const needed = new Set<string>();
    for (const r of upserts) if (r.seriesMasterId) needed.add(r.seriesMasterId);
    for (const r of rows) if (r.seriesMasterId && !cachedSeries.has(r.seriesMasterId)) needed.add(r.seriesMasterId);
    const seriesNeeded = [...needed].filter((id) => !inline.has(id));
    return { userId, mode, window, deltaLink: fetch.deltaLink, upserts, removeIds, inlineMasters, seriesNeeded, cachedSeries };
  }

  /** True when applying the plan writes nothing but (for a full fetch) the new delta link. */
  static isNoop(p: MailboxPlan): boolean {
    return !p.upserts.length && !p.removeIds.length && !p.inlineMasters.length && !p.seriesNeeded.length;
  }

  /** Fetches the series masters several plans need (batched across mailboxes); failures leave them for the next sync. */
  async masters(plans: MailboxPlan[]): Promise<Map<string, GraphEvent>> {
    const wanted = plans.flatMap((p) => p.seriesNeeded.map((id) => ({ userId: p.userId, id })));
    try {
      return await this.graph.seriesMasters(wanted);
    } catch (e) {
      this.logger.warn(`series masters not fetched (${wanted.length}): ${e instanceof Error ? e.message : String(e)}`);
      return new Map();
    }
  }
}
