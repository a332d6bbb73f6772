import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { toInstant } from '@ocb/persistence';
import type { NotificationsConfig } from '../config/notifications.config';
import { RemindersMetrics } from '../reminders/reminders.metrics';
import { OutboxEntity } from './outbox.entity';
import { OutboxRepository } from './outbox.repository';
import { DELIVERY_POLICY, retryDelayMs, signatureOf, WEBHOOK_SENDER, type DeliveryPolicy, type WebhookSender } from './webhook.sender';

/**
 * Delivers the outbox to NOTIFY_WEBHOOK_URL: claims rows under a lease (so replicas never send
 * the same row at the same time), POSTs the signed body, and on failure retries with
 * exponential backoff and jitter until a 2xx or NOTIFY_MAX_ATTEMPTS (then: dead letter).
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);
  /** This process's lease owner id. */
  readonly owner = randomUUID();

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(DELIVERY_POLICY) private readonly policy: DeliveryPolicy,
    private readonly outbox: OutboxRepository,
    private readonly metrics: RemindersMetrics,
  ) {}

  get enabled(): boolean {
    return !!this.config.NOTIFY_WEBHOOK_URL;
  }

  /** Delivers everything deliverable now; returns the number of rows attempted. */
  async dispatch(): Promise<number> {
    if (!this.enabled) return 0;
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.outbox.claim(toInstant(now), this.owner, toInstant(now + this.policy.leaseMs), this.policy.batchSize);
      await Promise.all(claimed.map((row) => this.deliver(row)));
      total += claimed.length;
      if (claimed.length < this.policy.batchSize) return total;
    }
  }

  nextWakeAt(): Promise<string | null> {
    return this.outbox.nextWakeAt();
  }

  private async deliver(row: OutboxEntity): Promise<void> {
    const url = this.config.NOTIFY_WEBHOOK_URL as string;
    const attempts = row.attempts + 1;
    let error: string;
    try {
      const { status } = await this.sender.send({
        url,
        body: row.body,
        headers: {
          'X-Signature': signatureOf(row.body, this.config.NOTIFY_WEBHOOK_SECRET),
          'X-Notification-Id': row.id,
          'X-Notification-Attempt': String(attempts),
        },
        timeoutMs: this.policy.timeoutMs,
      });
      if (status >= 200 && status < 300) {
        const now = this.clock.now();
        this.metrics.attempts.inc({ result: 'success' });
        if (await this.outbox.finish(row.id, this.owner, 'sent', attempts, toInstant(now), null)) {
          this.metrics.lateness.observe({ delivery: 'webhook' }, Math.max(0, now - Date.parse(row.dueAt)) / 1000);
          this.metrics.outcomes.inc({ outcome: 'sent', reason: 'webhook' });
        }
        return;
      }
      error = `webhook answered ${status}`;
    } catch (e) {
      error = `webhook unreachable: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.metrics.attempts.inc({ result: 'failure' });
    const now = this.clock.now();
    if (attempts >= this.config.NOTIFY_MAX_ATTEMPTS) {
      if (await this.outbox.finish(row.id, this.owner, 'dead', attempts, toInstant(now), error)) {
        this.metrics.deadLetters.inc();
        this.metrics.outcomes.inc({ outcome: 'dead', reason: 'max_attempts' });
        this.logger.error(`notification ${row.id} dead-lettered after ${attempts} attempts: ${error}`);
      }
      return;
    }
    const next = now + retryDelayMs(attempts, this.policy);
    await this.outbox.retryLater(row.id, this.owner, attempts, toInstant(next), toInstant(now), error);
    this.logger.warn(`notification ${row.id} attempt ${attempts} failed (${error}); retry at ${toInstant(next)}`);
  }
}
