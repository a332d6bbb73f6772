import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { GraphApiError } from '@ocb/graph-client';
import { toInstant } from '@ocb/persistence';
import type { EntityManager } from 'typeorm';
import { toSeriesRow, type GraphEvent, type SeriesRow } from '../events/event-mapper';
import { EventsRepository } from '../events/events.repository';
import { seriesKey } from '../graph/calendar.graph';
import { describe } from './describe-error';
import { lockMailbox } from './mailbox-lock';
import { MailboxLocks } from './mailbox-locks';
import { MailboxPlanner, type MailboxPlan, type MailboxResult } from './mailbox-planner';
import type { MailboxStateEntity } from './mailbox-state.entity';
import { MailboxStateRepository } from './mailbox-state.repository';

/**
 * The last step of a mailbox's way into the cache: a plan written in one transaction (or several
 * plans in one, all or nothing), so the cache of a mailbox is never half-written, under the
 * mailbox's lock; and what a failed mailbox leaves in its state.
 */
@Injectable()
export class MailboxWriter {
  constructor(
    private readonly events: EventsRepository,
    private readonly states: MailboxStateRepository,
    private readonly locks: MailboxLocks,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Takes the mailboxes' locks, then writes the plans in one transaction (`commitMany`). */
  writeExclusive(plans: MailboxPlan[], masters: Map<string, GraphEvent>): Promise<MailboxResult[]> {
    return this.locks.exclusiveAll(
      plans.map((p) => p.userId),
      () => this.commitMany(plans, masters),
    );
  }

  /** Writes a plan in one transaction. `masters`: fetched series masters by `seriesKey`. */
  async commit(p: MailboxPlan, masters: Map<string, GraphEvent>): Promise<MailboxResult> {
    if (p.mode === 'delta' && MailboxPlanner.isNoop(p)) {
      await this.states.markCurrent([p.userId], toInstant(this.clock.now()));
      return { upserted: 0, removed: 0 };
    }
    return this.events.transaction((m) => this.write(m, p, masters));
  }

  /**
   * Writes several plans in one transaction (a run's group: one commit instead of one per
   * mailbox); all or nothing, so each mailbox is still never half-written. The caller holds the
   * mailboxes' locks (`writeExclusive` takes them).
   */
  async commitMany(plans: MailboxPlan[], masters: Map<string, GraphEvent>): Promise<MailboxResult[]> {
    const results = new Map<MailboxPlan, MailboxResult>();
    const todo = plans.filter((p) => !(p.mode === 'delta' && MailboxPlanner.isNoop(p)));
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

  /** What a mailbox that could not be synced keeps in its state: the error, a throttling deadline, no calendar. */
  async recordFailure(userId: string, error: unknown): Promise<void> {
    const now = this.clock.now();
    const patch: Partial<MailboxStateEntity> = { lastError: describe(error).slice(0, 2000), lastErrorAt: toInstant(now) };
    if (error instanceof GraphApiError && error.kind === 'throttled') patch.throttledUntil = toInstant(now + (error.retryAfterMs ?? 60_000));
    if (error instanceof GraphApiError && error.kind === 'not-found') patch.hasCalendar = false;
    await this.states.save(userId, patch);
  }
}
