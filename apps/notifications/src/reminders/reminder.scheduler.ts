import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import type { NotificationsConfig } from '../config/notifications.config';
import { OutboxDispatcher } from '../delivery/outbox-dispatcher.service';
import { ReminderPlanner } from './reminder-planner.service';
import { RemindersMetrics } from './reminders.metrics';
import { WorkLane } from './work-lane';

/** After a failed decision round, wait this long before trying the same due rows again. */
const RETRY_AFTER_FAILURE_MS = 1_000;
/** Timers never wait longer than this (setTimeout's limit is ~24.8 days); a rearm costs one query. */
const MAX_TIMER_MS = 3_600_000;

/**
 * The timers: a poll of sync every REMINDER_PLAN_INTERVAL_SECONDS, one timer on the next due
 * reminder (re-armed whenever the plan changes) and one on the next delivery retry. Planning and
 * delivery run in two lanes so that a slow webhook never delays a due decision. Everything is
 * driven by the injected Clock.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReminderScheduler.name);
  private readonly planLane = new WorkLane((task, e) => this.failed(task, e));
  private readonly deliveryLane = new WorkLane((task, e) => this.failed(task, e));
  private cancelPoll?: () => void;
  private cancelDue?: () => void;
  private cancelDelivery?: () => void;
  private running = false;
  private syncDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly planner: ReminderPlanner,
    private readonly dispatcher: OutboxDispatcher,
    private readonly metrics: RemindersMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.planLane.open();
    this.deliveryLane.open();
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelPoll?.();
    this.cancelDue?.();
    this.cancelDelivery?.();
    await Promise.all([this.planLane.close(), this.deliveryLane.close()]);
  }

  /** Resolves when no planning or delivery work is running or waiting (tests, shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await this.planLane.idle();
      await this.deliveryLane.idle();
      // a plan round may have queued deliveries and vice versa; settle both
      await new Promise((r) => setImmediate(r));
      if (this.settled()) return;
    }
  }

  /** One planning round now (also what the poll timer does). */
  pollNow(): void {
    this.planLane.run('poll', () => this.pollRound());
    this.deliverNow();
  }

  deliverNow(): void {
    this.deliveryLane.run('deliver', () => this.deliveryRound());
  }

  private tick(): void {
    if (!this.running) return;
    this.pollNow();
    this.cancelPoll?.();
    this.cancelPoll = this.clock.setTimer(() => this.tick(), this.config.REMINDER_PLAN_INTERVAL_SECONDS * 1000);
  }

  private settled(): boolean {
    return this.planLane.isIdle() && this.deliveryLane.isIdle();
  }

  private async pollRound(): Promise<void> {
    try {
      const planned = await this.planner.poll();
      if (this.syncDown) this.logger.log(`sync reachable again; ${planned} reminder(s) in the plan window`);
      this.syncDown = false;
    } catch (e) {
      this.metrics.planFailures.inc();
      if (!this.syncDown) {
        this.logger.warn(
          `cannot read due events from sync (${e instanceof Error ? e.message : String(e)}); retrying every ${this.config.REMINDER_PLAN_INTERVAL_SECONDS} s`,
        );
      }
      this.syncDown = true;
    }
    await this.dueRound();
  }

  private async dueRound(): Promise<void> {
    const { queued, failed } = await this.planner.decideDue();
    if (queued) this.deliverNow();
    const next = await this.planner.nextDueAt();
    this.cancelDue?.();
    this.cancelDue = undefined;
    if (!next || !this.running) return;
    const delay = Math.max(Date.parse(next) - this.clock.now(), failed ? RETRY_AFTER_FAILURE_MS : 0);
    if (delay <= 0) this.planLane.run('due', () => this.dueRound());
    else this.cancelDue = this.clock.setTimer(() => this.planLane.run('due', () => this.dueRound()), Math.min(delay, MAX_TIMER_MS));
  }

  private async deliveryRound(): Promise<void> {
    if (!this.dispatcher.enabled) return;
    await this.dispatcher.dispatch();
    const next = await this.dispatcher.nextWakeAt();
    this.cancelDelivery?.();
    this.cancelDelivery = undefined;
    if (!next || !this.running) return;
    const delay = Math.max(Date.parse(next) - this.clock.now(), RETRY_AFTER_FAILURE_MS / 10);
    this.cancelDelivery = this.clock.setTimer(() => this.deliverNow(), Math.min(delay, MAX_TIMER_MS));
  }

  private failed(task: string, e: unknown): void {
    this.logger.error(`${task} round failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
