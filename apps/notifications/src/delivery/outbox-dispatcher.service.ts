import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { toInstant } from '@ocb/persistence';
import type { NotificationsConfig } from '../config/notifications.config';
import { RemindersMetrics } from '../reminders/reminders.metrics';
import { OutboxEntity } from './outbox.entity';
import { OutboxRepository, type Lease } from './outbox.repository';
import { WebhookSigner } from './webhook.signer';
import { DELIVERY_POLICY, retryAfterMs, retryDelayMs, WEBHOOK_SENDER, type DeliveryPolicy, type WebhookSender } from './webhook.sender';

/** The outcome of one attempt. */
interface Attempt {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  retryAfter?: string | null;
}

/**
 * Delivers the outbox to NOTIFY_WEBHOOK_URL. Rows are claimed under a short lease
 * (NOTIFY_LEASE_SECONDS) held by this instance (NOTIFY_INSTANCE_ID) and this incarnation, and
 * renewed by a heartbeat while a delivery is in flight; a restarted process frees its previous
 * incarnation's claims at once, another replica takes them after the lease. On failure it retries
 * on the Standard Webhooks schedule (with jitter, or the receiver's Retry-After on 429/503) until a
 * 2xx or NOTIFY_MAX_ATTEMPTS (then: dead letter). 410 Gone disables the endpoint.
 */
@Injectable()
export class OutboxDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  /** This process's claim identity: the configured instance and a fresh incarnation token. */
  readonly lease: Lease;
  private readonly leaseMs: number;
  private readonly endpointKey: string;
  private recovered = false;
  private readonly inFlight = new Set<string>();
  private cancelHeartbeat?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(DELIVERY_POLICY) private readonly policy: DeliveryPolicy,
    private readonly signer: WebhookSigner,
    private readonly outbox: OutboxRepository,
    private readonly metrics: RemindersMetrics,
  ) {
    this.lease = { owner: config.NOTIFY_INSTANCE_ID, token: randomUUID() };
    this.leaseMs = config.NOTIFY_LEASE_SECONDS * 1000;
    this.endpointKey = createHash('sha256')
      .update(config.NOTIFY_WEBHOOK_URL ?? '')
      .digest('hex');
  }

  get enabled(): boolean {
    return !!this.config.NOTIFY_WEBHOOK_URL;
  }

  onModuleDestroy(): void {
    this.cancelHeartbeat?.();
  }

  /** Delivers everything deliverable now; returns the number of rows attempted. */
  async dispatch(): Promise<number> {
    if (!this.enabled) return 0;
    if (!this.recovered) {
      const freed = await this.outbox.releaseOwn(this.lease, toInstant(this.clock.now()));
      if (freed) this.logger.warn(`took over ${freed} unfinished delivery claim(s) of this instance's previous run (${this.lease.owner})`);
      this.recovered = true;
    }
    if (await this.endpointIsGone()) return 0;
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.outbox.claim(toInstant(now), this.lease, toInstant(now + this.leaseMs), this.policy.batchSize);
      for (const row of claimed) this.inFlight.add(row.id);
      this.armHeartbeat();
      try {
        await Promise.all(claimed.map((row) => this.deliver(row)));
      } finally {
        for (const row of claimed) this.inFlight.delete(row.id);
      }
      total += claimed.length;
      if (claimed.length < this.policy.batchSize || (await this.endpointIsGone())) return total;
    }
  }

  /** When to look again: the earliest retry or expiring lease of a pending row (none while the endpoint is gone). */
  async nextWakeAt(): Promise<string | null> {
    if (await this.endpointIsGone()) return null;
    return this.outbox.nextWakeAt();
  }

  /** Re-enables the endpoint after a 410 (an operator's redelivery); true when it was disabled. */
  async reenableEndpoint(): Promise<boolean> {
    const was = await this.outbox.clearEndpointGone(this.endpointKey);
    this.metrics.endpointGone.set(0);
    if (was) this.logger.log('webhook endpoint re-enabled by a redelivery request');
    return was;
  }

  private async endpointIsGone(): Promise<boolean> {
    const gone = !!(await this.outbox.endpointGone(this.endpointKey));
    this.metrics.endpointGone.set(gone ? 1 : 0);
    return gone;
  }

  /** Keeps the leases of in-flight deliveries alive: renewed every third of the lease. */
  private armHeartbeat(): void {
    if (this.cancelHeartbeat || !this.inFlight.size) return;
    this.cancelHeartbeat = this.clock.setTimer(() => {
      this.cancelHeartbeat = undefined;
      if (!this.inFlight.size) return;
      const now = this.clock.now();
      this.outbox
        .renew(this.lease, [...this.inFlight], toInstant(now + this.leaseMs), toInstant(now))
        .catch((e: unknown) => this.logger.warn(`cannot renew delivery leases: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => this.armHeartbeat());
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
  }

  private async attempt(row: OutboxEntity, attempts: number): Promise<Attempt> {
    try {
      const res = await this.sender.send({
        url: this.config.NOTIFY_WEBHOOK_URL as string,
        body: row.body,
        headers: {
          ...this.signer.headers(row.id, row.body, this.clock.now()),
          'X-Notification-Id': row.id,
          'X-Notification-Attempt': String(attempts),
        },
        timeoutMs: this.policy.timeoutMs,
      });
      if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status, error: null };
      return { ok: false, httpStatus: res.status, error: `webhook answered ${res.status}`, retryAfter: res.retryAfter };
    } catch (e) {
      return { ok: false, httpStatus: null, error: `webhook unreachable: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private async deliver(row: OutboxEntity): Promise<void> {
    const attempts = row.attempts + 1;
    const result = await this.attempt(row, attempts);
    const now = this.clock.now();
    if (result.ok) {
      this.metrics.attempts.inc({ result: 'success' });
      const finished = await this.outbox.finish(row.id, this.lease, { status: 'sent', attempts, now: toInstant(now), error: null, httpStatus: result.httpStatus });
      if (finished) {
        this.metrics.lateness.observe({ delivery: 'webhook' }, Math.max(0, now - Date.parse(row.dueAt)) / 1000);
        this.metrics.outcomes.inc({ outcome: 'sent', reason: 'webhook' });
      }
      return;
    }
    const error = result.error as string;
    this.metrics.attempts.inc({ result: 'failure' });
    if (result.httpStatus === 410) {
      await this.outbox.markEndpointGone(this.endpointKey, `${row.id}: ${error}`, toInstant(now));
      this.metrics.endpointGone.set(1);
      this.metrics.endpointGoneTotal.inc();
      this.logger.error(`the webhook endpoint answered 410 Gone: delivery stopped until a redelivery is requested (notification ${row.id})`);
    }
    if (attempts >= this.config.NOTIFY_MAX_ATTEMPTS) {
      const finished = await this.outbox.finish(row.id, this.lease, { status: 'dead', attempts, now: toInstant(now), error, httpStatus: result.httpStatus });
      if (finished) {
        this.metrics.deadLetters.inc();
        this.metrics.outcomes.inc({ outcome: 'dead', reason: 'max_attempts' });
        this.logger.error(`notification ${row.id} dead-lettered after ${attempts} attempts: ${error}`);
      }
      return;
    }
    const hinted = result.httpStatus === 429 || result.httpStatus === 503 ? retryAfterMs(result.retryAfter, now, this.policy.maxRetryAfterMs) : null;
    // 410: the row waits for the endpoint to be re-enabled, then goes at once
    const delay = result.httpStatus === 410 ? 0 : (hinted ?? retryDelayMs(attempts, this.policy));
    const next = toInstant(now + delay);
    await this.outbox.retryLater(row.id, this.lease, { attempts, nextAttemptAt: next, now: toInstant(now), error, httpStatus: result.httpStatus });
    this.logger.warn(`notification ${row.id} attempt ${attempts} failed (${error}); retry at ${next}${hinted !== null ? ' (Retry-After)' : ''}`);
  }
}
