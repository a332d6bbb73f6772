import { Inject, Injectable, Logger } from '@nestjs/common';
import { lockMailbox } from './mailbox-lock';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { GraphApiError } from '@ocb/graph-client';
import type { EntityManager } from 'typeorm';
import { toInstant } from '@ocb/persistence';
import type { SyncConfig } from '../config/sync.config';
import { toEventRow, toSeriesRow, type EventRow, type GraphEvent, type SeriesRow } from '../events/event-mapper';
import { EventsRepository } from '../events/events.repository';
import { CalendarGraph, seriesKey, type MailboxFetch, type SyncWindow } from '../graph/calendar.graph';
import type { MailboxStateEntity } from './mailbox-state.entity';
import { MailboxStateRepository } from './mailbox-state.repository';
import { SYNC_TUNING, type SyncTuning } from './sync-tuning';

const DAY = 86_400_000;

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
 * Turns one mailbox's fetch into cache writes: a full fetch is applied as mark-and-sweep (what was
 * not seen goes), a delta as changes and removals. Only rows whose changeKey differs are written,
 * all in one transaction per mailbox, so the cache of a mailbox is never half-written. Writes of
 * one mailbox are serialised (a refresh and a run never interleave on the same mailbox).
 */
@Injectable()
export class MailboxSyncService {
  private readonly logger = new Logger(MailboxSyncService.name);
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly events: EventsRepository,
    private readonly states: MailboxStateRepository,
    private readonly graph: CalendarGraph,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
    @Inject(SYNC_TUNING) private readonly tuning: SyncTuning,
  ) {}

  /** The rolling window: whole UTC days from SYNC_WINDOW_PAST_DAYS back to SYNC_WINDOW_FUTURE_DAYS ahead. */
  window(now = this.clock.now()): SyncWindow {
    const today = Math.floor(now / DAY) * DAY;
    return { from: new Date(today - this.config.SYNC_WINDOW_PAST_DAYS * DAY), to: new Date(today + (this.config.SYNC_WINDOW_FUTURE_DAYS + 1) * DAY) };
  }

  /** A stored delta link is used while its window is recent enough; otherwise the mailbox is fetched in full. */
  hasFreshDelta(state: MailboxStateEntity | null | undefined, now = this.clock.now()): state is MailboxStateEntity & { deltaLink: string } {
    if (!state?.deltaLink || !state.deltaEstablishedAt) return false;
    return now - Date.parse(state.deltaEstablishedAt) < this.tuning.deltaMaxAgeMs;
  }

  startPath(userId: string, window = this.window()): string {
    return this.graph.deltaStartPath(userId, window);
  }

  /** Runs `work` once no other write of the same mailbox is in progress. */
  async exclusive<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(userId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(work);
    this.locks.set(userId, mine);
    try {
      return await mine;
    } finally {
      if (this.locks.get(userId) === mine) this.locks.delete(userId);
    }
  }

  /** Runs `work` while holding the locks of all `userIds` (taken in sorted order: no deadlock between callers). */
  async exclusiveAll<T>(userIds: string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(userIds)].sort();
    const take = (i: number): Promise<T> => (i < sorted.length ? this.exclusive(sorted[i], () => take(i + 1)) : work());
    return take(0);
  }

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
  isNoop(p: MailboxPlan): boolean {
    return !p.upserts.length && !p.removeIds.length && !p.inlineMasters.length && !p.seriesNeeded.length;
  }

  /** Writes a plan in one transaction. `masters`: fetched series masters by `seriesKey`. */
  async commit(p: MailboxPlan, masters: Map<string, GraphEvent>): Promise<MailboxResult> {
    if (p.mode === 'delta' && this.isNoop(p)) {
      await this.states.markCurrent([p.userId], toInstant(this.clock.now()));
      return { upserted: 0, removed: 0 };
    }
    return this.events.transaction((m) => this.write(m, p, masters));
  }

  /**
   * Writes several plans in one transaction (a run's group: one commit instead of one per
   * mailbox); all or nothing, so each mailbox is still never half-written. Callers hold the
   * mailboxes' locks (`exclusiveAll`).
   */
  async commitMany(plans: MailboxPlan[], masters: Map<string, GraphEvent>): Promise<MailboxResult[]> {
    const results = new Map<MailboxPlan, MailboxResult>();
    const todo = plans.filter((p) => !(p.mode === 'delta' && this.isNoop(p)));
    const current = plans.filter((p) => !todo.includes(p)).map((p) => p.userId);
    if (current.length) await this.states.markCurrent(current, toInstant(this.clock.now()));
    if (todo.length) {
      await this.events.transaction(async (m) => {
        for (const p of todo) results.set(p, await this.write(m, p, masters));
      });
    }
    return plans.map((p) => results.get(p) ?? { upserted: 0, removed: 0 });
  }

  private async write(m: EntityManager, p: MailboxPlan, masters: Map<string, GraphEvent>): Promise<MailboxResult> {
    await lockMailbox(m, p.userId);
    const now = this.clock.now();
    const seriesRows: SeriesRow[] = [];
    for (const s of p.inlineMasters) seriesRows.push(toSeriesRow(p.userId, s));
    for (const id of p.seriesNeeded) {
      const s = masters.get(seriesKey(p.userId, id));
      if (s) seriesRows.push(toSeriesRow(p.userId, s));
    }
    const changedSeries = seriesRows.filter((s) => p.cachedSeries.get(s.id) !== s.changeKey);
    const officeHoursSeries = new Set(seriesRows.filter((s) => s.isOfficeHours).map((s) => s.id));
    const upserts = officeHoursSeries.size
      ? p.upserts.map((r) => (r.seriesMasterId && officeHoursSeries.has(r.seriesMasterId) ? { ...r, isOfficeHours: true } : r))
      : p.upserts;
    const stamp = toInstant(now);
    const removed = await this.events.deleteEvents(m, p.userId, p.removeIds);
    const upserted = await this.events.upsertEvents(m, upserts, now);
    await this.events.upsertSeries(m, changedSeries, now);
    const orphans = await this.events.orphanSeriesIds(m, p.userId);
    await this.events.deleteSeries(m, p.userId, orphans);
    const state: Partial<MailboxStateEntity> = { deltaLink: p.deltaLink, lastError: null, lastErrorAt: null, throttledUntil: null, hasCalendar: true };
    if (p.mode === 'full') {
      Object.assign(state, { lastFullSyncAt: stamp, deltaEstablishedAt: stamp });
      if (p.window) Object.assign(state, { windowStart: toInstant(p.window.from), windowEnd: toInstant(p.window.to) });
    } else state.lastDeltaSyncAt = stamp;
    await this.states.save(p.userId, state, m);
    return { upserted, removed };
  }

  /** Fetches the series masters several plans need (batched across mailboxes); failures leave them for the next sync. */
  async mastersFor(plans: MailboxPlan[]): Promise<Map<string, GraphEvent>> {
    const wanted = plans.flatMap((p) => p.seriesNeeded.map((id) => ({ userId: p.userId, id })));
    try {
      return await this.graph.seriesMasters(wanted);
    } catch (e) {
      this.logger.warn(`series masters not fetched (${wanted.length}): ${e instanceof Error ? e.message : String(e)}`);
      return new Map();
    }
  }

  countEvents(userId: string): Promise<number> {
    return this.events.countEvents(userId);
  }

  async recordFailure(userId: string, error: unknown): Promise<void> {
    const now = this.clock.now();
    const patch: Partial<MailboxStateEntity> = { lastError: describe(error).slice(0, 2000), lastErrorAt: toInstant(now) };
    if (error instanceof GraphApiError && error.kind === 'throttled') patch.throttledUntil = toInstant(now + (error.retryAfterMs ?? 60_000));
    if (error instanceof GraphApiError && error.kind === 'not-found') patch.hasCalendar = false;
    await this.states.save(userId, patch);
  }

  /** Fetches and applies one mailbox on its own (refresh): delta from the stored link when fresh, else the full window. */
  async syncOne(userId: string): Promise<MailboxResult> {
    return this.exclusive(userId, async () => {
      const state = await this.states.get(userId);
      if (this.hasFreshDelta(state)) {
        const fetch = await this.graph.deltaOne(userId, state.deltaLink);
        if (fetch.ok) return this.applyOne(fetch, 'delta', null);
        if (fetch.error.kind !== 'sync-reset') throw fetch.error;
        this.logger.log(`delta link of ${userId} expired: fetching the window again`);
      }
      const window = this.window();
      const fetch = await this.graph.deltaOne(userId, this.startPath(userId, window));
      if (!fetch.ok) throw fetch.error;
      return this.applyOne(fetch, 'full', window);
    });
  }

  private async applyOne(fetch: Extract<MailboxFetch, { ok: true }>, mode: ApplyMode, window: SyncWindow | null): Promise<MailboxResult> {
    const plan = await this.plan(fetch, mode, window);
    const masters = plan.seriesNeeded.length ? await this.mastersFor([plan]) : new Map<string, GraphEvent>();
    return this.commit(plan, masters);
  }
}

export function describe(error: unknown): string {
  if (error instanceof GraphApiError) return `${error.status} ${error.code || error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
