import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { toInstant } from '@ocb/persistence';
import type { EventDetail, StartingEvent } from '@ocb/service-clients';
import type { NotificationsConfig } from '../config/notifications.config';
import { OutboxEntity } from '../delivery/outbox.entity';
import { DUE_EVENTS_SOURCE, type DueEventsSource } from './due-events.source';
import { eventSnapshot, reminderBody, reminderId, type ReminderEvent } from './reminder-body';
import { ReminderEntity } from './reminder.entity';
import { RemindersMetrics } from './reminders.metrics';
import { RemindersRepository } from './reminders.repository';

/** How far back a restart looks for reminders that fell due while the service was down. */
export const MAX_CATCH_UP_MS = 24 * 3_600_000;
const DECIDE_BATCH = 100;
const DECIDE_CONCURRENCY = 10;
/** Planned reminders missing from the cache re-checked per poll at most. */
const RECHECK_LIMIT = 1000;

export interface DecideResult {
  /** Outbox rows written for the webhook (the dispatcher should run). */
  queued: number;
  /** Decisions that failed (database errors); they stay planned and are retried. */
  failed: number;
}

/**
 * The lead the message states: the configured lead for a reminder decided on time, the time left
 * for one decided late (an event created in Outlook less than the lead before its start says
 * "in 25 minutes", not "in 1 hour"). Whole minutes, at least 1 (an event not yet started).
 */
export function minutesUntil(startUtc: string, nowMs: number, leadMinutes: number): number {
  const left = Math.round((Date.parse(startUtc) - nowMs) / 60_000);
  return Math.max(1, Math.min(leadMinutes, left));
}

/**
 * Plans reminders from sync's cache and decides them at their due time.
 *
 * Poll at T (previous successful poll P, or T on a fresh database): ask sync for occurrences
 * starting in [min(P + lead, T), T + horizon + lead), i.e. due in [P, T + horizon) plus those not
 * started whose due time has passed (created in Outlook less than `lead` before their start: they
 * reach sync's cache within seconds through change notifications, and are reminded at once). Each organizer,
 * non-cancelled occurrence becomes a `planned` ledger row keyed by (event id, start UTC); an
 * existing key is left alone (decided once; the unique key makes concurrent planners agree).
 * All-day events need nothing special: sync's `startUtc` is already midnight in the user's zone,
 * so they are reminded `lead` before that instant.
 *
 * Between polls the ledger follows the cache: a planned reminder whose occurrence the poll no longer
 * finds as planned is re-checked with sync at once (deleted, cancelled, moved: void; moved: the
 * new start planned).
 *
 * Decide at due time: an event that has started is `missed`; otherwise sync is asked again
 * (404 → void deleted, cancelled → void cancelled, moved → void moved and the new start is
 * planned, no longer organizer → void). When sync cannot answer, the planned snapshot is sent:
 * a reminder for a just-cancelled event is judged less harmful than a lost one.
 */
@Injectable()
export class ReminderPlanner {
  private readonly logger = new Logger(ReminderPlanner.name);
  private readonly leadMs: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DUE_EVENTS_SOURCE) private readonly source: DueEventsSource,
    private readonly reminders: RemindersRepository,
    private readonly metrics: RemindersMetrics,
  ) {
    this.leadMs = config.REMINDER_LEAD_MINUTES * 60_000;
  }

  /** Reads the cache and plans what falls due in the horizon (or fell due since the last poll). */
  async poll(): Promise<number> {
    const t = this.clock.now();
    const last = await this.reminders.lastPolledAt();
    const previous = Math.max(last ? Date.parse(last) : t, t - MAX_CATCH_UP_MS);
    // From now, not only from the last poll's horizon: an event created (or moved) less than `lead`
    // before its start is already past its due time when it reaches the cache; planned now, it is
    // decided at once. Keys already in the ledger are left alone, so nothing is planned twice.
    const from = new Date(Math.min(Math.min(previous, t) + this.leadMs, t));
    const to = new Date(t + this.config.REMINDER_PLAN_HORIZON_MINUTES * 60_000 + this.leadMs);
    const events = await this.source.startingBetween(from, to);
    const now = toInstant(t);
    const rows = events.filter((e) => e.isOrganizer && !e.isCancelled).map((e) => this.planned(e, now));
    await this.reminders.plan(rows);
    await this.followCache(from, to, new Set(rows.map((r) => r.id)), now);
    await this.reminders.setLastPolledAt(now);
    return rows.length;
  }

  /**
   * Planned reminders in the window that the cache no longer shows as they were planned (deleted,
   * moved, cancelled in Outlook; the change reached the cache through a change notification) are
   * re-checked now, not only at their due time: the ledger follows the calendar within a poll.
   * Each is confirmed one by one with sync first (a row is voided only on sync's answer).
   */
  private async followCache(from: Date, to: Date, seen: Set<string>, now: string): Promise<void> {
    const planned = await this.reminders.plannedStartingBetween(toInstant(from.getTime()), toInstant(to.getTime()), RECHECK_LIMIT);
    for (const r of planned.filter((x) => !seen.has(x.id))) {
      let detail: EventDetail | null;
      try {
        detail = await this.source.event(r.userId, r.eventId);
      } catch {
        continue; // sync cannot answer: the decision at due time checks again
      }
      await this.voidIfChanged(r, detail, now);
    }
  }

  /** Voids a planned reminder whose event changed (a moved one is planned at its new start); true when void. */
  private async voidIfChanged(r: ReminderEntity, detail: EventDetail | null, now: string): Promise<boolean> {
    const voidReason = this.voidReason(r, detail);
    if (!voidReason) return false;
    if (await this.reminders.transition(r.id, 'planned', 'void', now, voidReason)) this.count('void', voidReason);
    if (voidReason === 'moved' && detail) await this.replan(r, detail, now);
    return true;
  }

  /** Decides every planned reminder whose due time has come. */
  async decideDue(): Promise<DecideResult> {
    const result: DecideResult = { queued: 0, failed: 0 };
    for (;;) {
      const due = await this.reminders.dueRows(toInstant(this.clock.now()), DECIDE_BATCH);
      for (let i = 0; i < due.length; i += DECIDE_CONCURRENCY) {
        const outcomes = await Promise.allSettled(due.slice(i, i + DECIDE_CONCURRENCY).map((r) => this.decide(r)));
        for (const o of outcomes) {
          if (o.status === 'rejected') {
            result.failed++;
            this.logger.error(`reminder decision failed: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}`);
          } else if (o.value) result.queued++;
        }
      }
      if (due.length < DECIDE_BATCH || result.failed) return result;
    }
  }

  nextDueAt(): Promise<string | null> {
    return this.reminders.nextDueAt();
  }

  /** True when an outbox row for the webhook was written by this call. */
  private async decide(r: ReminderEntity): Promise<boolean> {
    const nowMs = this.clock.now();
    const now = toInstant(nowMs);
    if (nowMs >= Date.parse(r.startUtc)) {
      if (await this.reminders.transition(r.id, 'planned', 'missed', now, 'event_started')) this.count('missed', 'event_started');
      return false;
    }
    let detail: EventDetail | null | undefined;
    try {
      detail = await this.source.event(r.userId, r.eventId);
    } catch (e) {
      detail = undefined;
      this.logger.warn(`sync could not re-check event ${r.eventId} (${e instanceof Error ? e.message : String(e)}); sending the planned reminder`);
    }
    let event: ReminderEvent = JSON.parse(r.snapshot) as ReminderEvent;
    if (detail !== undefined) {
      if (await this.voidIfChanged(r, detail, now)) return false;
      if (detail) event = eventSnapshot(detail, r.startUtc);
    }

    const body = reminderBody({
      id: r.id,
      dueAt: r.dueAt,
      leadMinutes: minutesUntil(r.startUtc, nowMs, this.config.REMINDER_LEAD_MINUTES),
      user: { id: r.userId, email: r.userEmail ?? r.userUpn },
      event,
    });
    const webhook = !!this.config.NOTIFY_WEBHOOK_URL;
    const outbox: OutboxEntity = {
      id: r.id,
      userId: r.userId,
      userUpn: r.userUpn,
      userEmail: r.userEmail,
      body: JSON.stringify(body),
      status: webhook ? 'pending' : 'stored',
      attempts: 0,
      nextAttemptAt: now,
      leaseOwner: null,
      leaseToken: null,
      leaseUntil: null,
      lastError: null,
      lastStatus: null,
      dueAt: r.dueAt,
      createdAt: now,
      sentAt: null,
      updatedAt: now,
    };
    const decided = await this.reminders.decide(r.id, webhook ? 'queued' : 'stored', outbox, now);
    if (decided && !webhook) {
      this.count('stored', 'no_webhook');
      this.metrics.lateness.observe({ delivery: 'feed' }, Math.max(0, nowMs - Date.parse(r.dueAt)) / 1000);
    }
    return decided && webhook;
  }

  private voidReason(r: ReminderEntity, detail: EventDetail | null): string | null {
    if (!detail) return 'deleted';
    if (detail.isCancelled) return 'cancelled';
    if (!detail.isOrganizer) return 'not_organizer';
    if (toInstant(detail.startUtc) !== r.startUtc) return 'moved';
    return null;
  }

  /** A moved event: plan its new start at once (the next poll would find it too). */
  private async replan(r: ReminderEntity, detail: EventDetail, now: string): Promise<void> {
    const startUtc = toInstant(detail.startUtc);
    const starting: StartingEvent = { ...detail, user: { id: r.userId, email: r.userEmail, userPrincipalName: r.userUpn } };
    await this.reminders.plan([this.planned(starting, now, startUtc)]);
  }

  private planned(e: StartingEvent, now: string, startUtc = toInstant(e.startUtc)): ReminderEntity {
    return {
      id: reminderId(e.id, startUtc),
      eventId: e.id,
      startUtc,
      dueAt: toInstant(Date.parse(startUtc) - this.leadMs),
      userId: e.user.id,
      userUpn: e.user.userPrincipalName.toLowerCase(),
      userEmail: e.user.email ? e.user.email.toLowerCase() : null,
      snapshot: JSON.stringify(eventSnapshot(e, startUtc)),
      status: 'planned',
      reason: null,
      createdAt: now,
      decidedAt: null,
      updatedAt: now,
    };
  }

  private count(outcome: string, reason: string): void {
    this.metrics.outcomes.inc({ outcome, reason });
  }
}
