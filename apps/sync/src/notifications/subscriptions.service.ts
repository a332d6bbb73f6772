import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { GraphApiError } from '@ocb/graph-client';
import { toInstant } from '@ocb/persistence';
import type { SubscriptionsState } from '@ocb/service-clients';
import type { SyncConfig } from '../config/sync.config';
import { describe } from '../sync/describe-error';
import { CHANGE_QUEUE, type ChangeQueue } from './change-queue';
import { GraphSubscriptions } from './graph-subscriptions';
import { NotificationMetrics } from './notification-metrics';
import type { SubscriptionEntity } from './subscription.entity';
import { SubscriptionsRepository } from './subscriptions.repository';

export const NOTIFICATION_PATH = 'api/notifications/graph';
export const LIFECYCLE_PATH = 'api/notifications/graph/lifecycle';

const CACHE_MS = 30_000;

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

function sameHash(secret: string | null | undefined, stored: string): boolean {
  if (typeof secret !== 'string') return false;
  const a = Buffer.from(hash(secret), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export type { SubscriptionView } from '@ocb/service-clients';

/**
 * One Graph subscription per mailbox once its first full fetch is done: created with a fresh
 * random clientState (stored hashed), renewed when less than half its lifetime is left, deleted for
 * users who left; lifecycle events handled as Microsoft asks (reauthorizationRequired: renew;
 * subscriptionRemoved: create again and catch up by delta; missed: delta).
 */
@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger(SubscriptionsService.name);
  private reconciling: Promise<void> | null = null;
  /** Rows by subscription id, read at most once per CACHE_MS (a storm must not cost a query per item). */
  private readonly cache = new Map<string, { row: SubscriptionEntity | null; until: number }>();
  /** When each mailbox's lastNotificationAt was last written. */
  private readonly stamped = new Map<string, number>();

  constructor(
    private readonly rows: SubscriptionsRepository,
    private readonly graph: GraphSubscriptions,
    private readonly metrics: NotificationMetrics,
    @Inject(CHANGE_QUEUE) private readonly queue: ChangeQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
  ) {}

  get enabled(): boolean {
    return !!this.config.NOTIFICATIONS_PUBLIC_URL;
  }

  private get lifetimeMs(): number {
    return this.config.SYNC_SUBSCRIPTION_MINUTES * 60_000;
  }

  private url(path: string): string {
    return `${(this.config.NOTIFICATIONS_PUBLIC_URL ?? '').replace(/\/+$/, '')}/${path}`;
  }

  /** Creates, renews and removes subscriptions so that each synced mailbox has a live one (one pass at a time). */
  reconcile(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.reconciling ??= this.pass().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async pass(): Promise<void> {
    const rows = await this.rows.all();
    const known = await this.rows.knownUsers();
    const byUser = new Map(rows.map((r) => [r.userId, r]));
    for (const row of rows) {
      if (!known.has(row.userId)) await this.drop(row);
      else if (Date.parse(row.expiresAt) - this.clock.now() < this.lifetimeMs / 2) await this.renew(row);
    }
    for (const userId of await this.rows.subscribable()) if (!byUser.has(userId)) await this.create(userId);
    this.metrics.setActive((await this.rows.all()).length);
  }

  /** A new subscription for a mailbox (replacing any row it had). */
  async create(userId: string): Promise<void> {
    const clientState = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    try {
      const created = await this.graph.create({
        userId,
        notificationUrl: this.url(NOTIFICATION_PATH),
        lifecycleNotificationUrl: this.url(LIFECYCLE_PATH),
        clientState,
        expiresAt: new Date(now + this.lifetimeMs),
      });
      this.cache.delete(created.id);
      await this.rows.save({
        userId,
        subscriptionId: created.id,
        clientStateHash: hash(clientState),
        expiresAt: toInstant(Date.parse(created.expirationDateTime)),
        createdAt: toInstant(now),
        renewedAt: null,
        lastNotificationAt: null,
        lastLifecycleEvent: null,
        lastError: null,
      });
      this.metrics.operation('create', 'ok');
    } catch (e) {
      this.metrics.operation('create', 'failed');
      this.logger.warn(`subscription of ${userId} not created: ${describe(e)}`);
    }
  }

  async renew(row: SubscriptionEntity): Promise<void> {
    const now = this.clock.now();
    try {
      const renewed = await this.graph.renew(row.subscriptionId, new Date(now + this.lifetimeMs));
      await this.rows.patch(row.userId, { expiresAt: toInstant(Date.parse(renewed.expirationDateTime)), renewedAt: toInstant(now), lastError: null });
      this.metrics.operation('renew', 'ok');
    } catch (e) {
      this.metrics.operation('renew', 'failed');
      if (e instanceof GraphApiError && e.kind === 'not-found') {
        // gone at Graph (expired, removed): a new one, and a delta for what may have been missed
        await this.forget(row);
        await this.create(row.userId);
        this.queue.enqueue(row.userId);
        return;
      }
      await this.rows.patch(row.userId, { lastError: describe(e).slice(0, 2000) });
      this.logger.warn(`subscription of ${row.userId} not renewed: ${describe(e)}`);
    }
  }

  private async drop(row: SubscriptionEntity): Promise<void> {
    try {
      await this.graph.remove(row.subscriptionId);
    } catch (e) {
      if (!(e instanceof GraphApiError && e.kind === 'not-found')) {
        this.logger.warn(`subscription ${row.subscriptionId} of departed ${row.userId} not deleted: ${describe(e)}`);
        return;
      }
    }
    await this.forget(row);
    this.metrics.operation('delete', 'ok');
  }

  private async forget(row: SubscriptionEntity): Promise<void> {
    this.cache.delete(row.subscriptionId);
    await this.rows.remove(row.userId);
  }

  /** The subscription a notification names, if its clientState is the one we gave it. */
  async verify(subscriptionId: unknown, clientState: unknown): Promise<SubscriptionEntity | null> {
    if (typeof subscriptionId !== 'string' || subscriptionId.length > 64) return null;
    const now = this.clock.now();
    let hit = this.cache.get(subscriptionId);
    if (!hit || hit.until < now) {
      hit = { row: await this.rows.bySubscription(subscriptionId), until: now + CACHE_MS };
      this.cache.set(subscriptionId, hit);
      if (this.cache.size > 100_000) this.cache.clear();
    }
    const { row } = hit;
    if (!row || !sameHash(typeof clientState === 'string' ? clientState : null, row.clientStateHash)) return null;
    return row;
  }

  async changed(row: SubscriptionEntity): Promise<void> {
    this.queue.enqueue(row.userId);
    const now = this.clock.now();
    if (now - (this.stamped.get(row.userId) ?? 0) < 1000) return;
    this.stamped.set(row.userId, now);
    await this.rows.patch(row.userId, { lastNotificationAt: toInstant(now) });
  }

  async lifecycle(row: SubscriptionEntity, event: string): Promise<void> {
    await this.rows.patch(row.userId, { lastLifecycleEvent: event });
    if (event === 'reauthorizationRequired') await this.renew(row);
    else if (event === 'subscriptionRemoved') {
      await this.forget(row);
      await this.create(row.userId);
      this.queue.enqueue(row.userId);
    } else if (event === 'missed') this.queue.enqueue(row.userId);
  }

  async view(): Promise<SubscriptionsState> {
    const rows = await this.rows.all();
    return { enabled: this.enabled, subscriptions: rows.map(({ clientStateHash: _, ...r }) => r) };
  }
}
