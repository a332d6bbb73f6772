/**
 * Change notifications of Outlook events, as Microsoft Graph v1.0 delivers them: subscriptions
 * (`POST/GET/PATCH/DELETE /subscriptions`) on `users/{id}/events` or `me/events`, the validation
 * handshake on create (and on PATCH of a URL), a notification POSTed to `notificationUrl` for every
 * change of a subscribed mailbox after a latency, retried with backoff while the endpoint answers
 * non-2xx or takes longer than 3 s, expiry, and lifecycle notifications to
 * `lifecycleNotificationUrl` (injected through `/_sim`). Sources: learn.microsoft.com/graph/
 * change-notifications-delivery-webhooks, /graph/change-notifications-lifecycle-events,
 * /graph/api/resources/subscription (maximum lifetime of an Outlook event subscription without
 * resource data: 10,080 minutes).
 */
import type { Clock } from '@ocb/clock';
import type { Rng } from '../state/prng';
import type { SimState } from '../state/store';
import type { EventRecord } from '../state/records';
import { deliverPost, type NotificationTransport } from './transport';

export type ChangeType = 'created' | 'updated' | 'deleted';
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export const MAX_LIFETIME_MINUTES = 10_080;
export const VALIDATION_TIMEOUT_MS = 10_000;
export const DELIVERY_TIMEOUT_MS = 3_000;
/** Most notifications in one POST. */
export const BATCH_MAX = 100;

export interface SubscriptionRecord {
  id: string;
  resource: string;
  /** The mailbox owner the resource names. */
  userId: string;
  changeTypes: ChangeType[];
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationMs: number;
  applicationId: string;
  creatorId: string;
  cancelExpiry: () => void;
}

export interface NotificationSettings {
  /** Time from a change to its notification's first attempt (ms). */
  latencyMs: number;
  /** Share of notifications never sent (0–1), as a lost notification. */
  dropRate: number;
  /** Extra delay added to every notification (ms). */
  delayMs: number;
  /** First retry after this long, doubled each time (ms). */
  retryBaseMs: number;
  /** Attempts per notification before it is given up. */
  maxAttempts: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = { latencyMs: 100, dropRate: 0, delayMs: 0, retryBaseMs: 1000, maxAttempts: 6 };

export interface SubscriptionStats {
  created: number;
  renewed: number;
  deleted: number;
  expired: number;
  validations: number;
  validationsFailed: number;
  notificationsSent: number;
  notificationsDelivered: number;
  notificationsDropped: number;
  notificationsGivenUp: number;
  attemptsFailed: number;
  lifecycleSent: number;
}

const zeroStats = (): SubscriptionStats => ({
  created: 0,
  renewed: 0,
  deleted: 0,
  expired: 0,
  validations: 0,
  validationsFailed: 0,
  notificationsSent: 0,
  notificationsDelivered: 0,
  notificationsDropped: 0,
  notificationsGivenUp: 0,
  attemptsFailed: 0,
  lifecycleSent: 0,
});

export class Subscriptions {
  private readonly byId = new Map<string, SubscriptionRecord>();
  settings: NotificationSettings = { ...DEFAULT_NOTIFICATION_SETTINGS };
  private counters = zeroStats();
  /** Deliveries in flight (tests and tools wait for them). */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly outboxes = new Map<string, { items: unknown[]; sent: Promise<void> }>();

  constructor(
    private readonly state: SimState,
    private readonly clock: Clock,
    private readonly rng: Rng,
    readonly tenantId: string,
    private readonly transport: NotificationTransport = deliverPost,
  ) {
    state.onChange = (rec, created) => this.changed(rec, created);
  }

  list(): SubscriptionRecord[] {
    return [...this.byId.values()];
  }

  get(id: string): SubscriptionRecord | undefined {
    return this.byId.get(id);
  }

  newId(): string {
    return this.rng.guid();
  }

  add(sub: SubscriptionRecord): void {
    this.byId.set(sub.id, sub);
    this.counters.created++;
    this.scheduleExpiry(sub);
  }

  renew(sub: SubscriptionRecord, expirationMs: number): void {
    sub.expirationMs = expirationMs;
    this.counters.renewed++;
    this.scheduleExpiry(sub);
  }

  remove(id: string, why: 'deleted' | 'expired' | 'removed' = 'deleted'): boolean {
    const sub = this.byId.get(id);
    if (!sub) return false;
    sub.cancelExpiry();
    this.byId.delete(id);
    if (why === 'deleted') this.counters.deleted++;
    if (why === 'expired') this.counters.expired++;
    return true;
  }

  /** Every subscription gone, counters and settings back to defaults. */
  reset(): void {
    for (const s of this.byId.values()) s.cancelExpiry();
    this.byId.clear();
    this.counters = zeroStats();
    this.settings = { ...DEFAULT_NOTIFICATION_SETTINGS };
  }

  stats(): SubscriptionStats & { active: number; inFlight: number } {
    return { ...this.counters, active: this.byId.size, inFlight: this.inFlight.size };
  }

  resetStats(): void {
    this.counters = zeroStats();
  }

  /** Resolves when no notification is waiting or being delivered. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private scheduleExpiry(sub: SubscriptionRecord): void {
    sub.cancelExpiry();
    sub.cancelExpiry = this.clock.setTimer(() => this.remove(sub.id, 'expired'), Math.max(0, sub.expirationMs - this.clock.now()));
  }

  /**
   * The validation handshake: POST `url?validationToken=...` (text/plain); the endpoint must answer
   * 200 with the token as its text within 10 s.
   */
  async validate(url: string): Promise<boolean> {
    this.counters.validations++;
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${this.rng.guid()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    const res = await this.transport({ url: target.toString(), contentType: 'text/plain; charset=utf-8', body: '', timeoutMs: VALIDATION_TIMEOUT_MS });
    const ok = res.status === 200 && res.text === token && /^text\/plain/i.test(res.contentType ?? '');
    if (!ok) this.counters.validationsFailed++;
    return ok;
  }

  /** Sends a lifecycle notification for `sub` (subscriptionRemoved also removes it). */
  lifecycle(sub: SubscriptionRecord, event: LifecycleEvent): void {
    if (event === 'subscriptionRemoved') this.remove(sub.id, 'removed');
    const url = sub.lifecycleNotificationUrl;
    if (!url) return;
    this.counters.lifecycleSent++;
    const item = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
      tenantId: this.tenantId,
      clientState: sub.clientState,
      lifecycleEvent: event,
    };
    this.track(this.send(url, { value: [item] }, this.settings.latencyMs));
  }

  private changed(rec: EventRecord, created: boolean): void {
    const userId = rec.mailbox.userId;
    for (const sub of this.byId.values()) {
      if (sub.userId !== userId || sub.expirationMs <= this.clock.now()) continue;
      this.track(this.notify(sub, rec, created));
    }
  }

  private async notify(sub: SubscriptionRecord, rec: EventRecord, created: boolean): Promise<void> {
    const { settings } = this;
    if (settings.dropRate > 0 && this.rng.next() < settings.dropRate) {
      this.counters.notificationsDropped++;
      return;
    }
    // Decided once the write that made the change is over (a delete touches the record first,
    // then marks it deleted, in the same synchronous step).
    await Promise.resolve();
    const changeType: ChangeType = rec.deleted ? 'deleted' : created ? 'created' : 'updated';
    await this.clock.sleep(settings.latencyMs + settings.delayMs);
    if (!sub.changeTypes.includes(changeType) || !this.byId.has(sub.id)) return;
    const path = `Users/${rec.mailbox.userId}/Events/${rec.id}`;
    const item = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
      changeType,
      resource: path,
      resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': path, '@odata.etag': `W/"${rec.changeCount}"`, id: rec.id },
      clientState: sub.clientState,
      tenantId: this.tenantId,
    };
    this.counters.notificationsSent++;
    await this.batched(sub.notificationUrl, item);
  }

  /**
   * Notifications due at the same moment for one endpoint travel in one POST (Graph batches them:
   * `value` is an array), up to BATCH_MAX items each.
   */
  private batched(url: string, item: unknown): Promise<void> {
    let outbox = this.outboxes.get(url);
    if (!outbox) {
      const created: { items: unknown[]; sent: Promise<void> } = { items: [], sent: Promise.resolve() };
      created.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        this.outboxes.delete(url);
        const sends: Array<Promise<void>> = [];
        for (let i = 0; i < created.items.length; i += BATCH_MAX) sends.push(this.send(url, { value: created.items.slice(i, i + BATCH_MAX) }, 0));
        await Promise.all(sends);
      });
      this.outboxes.set(url, created);
      outbox = created;
    }
    outbox.items.push(item);
    return outbox.sent;
  }

  /** POSTs a notification, retrying with exponential backoff while the endpoint fails or is slow. */
  private async send(url: string, payload: { value: unknown[] }, waitMs: number): Promise<void> {
    if (waitMs > 0) await this.clock.sleep(waitMs);
    const body = JSON.stringify(payload);
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt++) {
      const res = await this.transport({ url, contentType: 'application/json; charset=utf-8', body, timeoutMs: DELIVERY_TIMEOUT_MS });
      if (res.status >= 200 && res.status < 300) {
        this.counters.notificationsDelivered += payload.value.length;
        return;
      }
      this.counters.attemptsFailed++;
      if (attempt < this.settings.maxAttempts) await this.clock.sleep(this.settings.retryBaseMs * 2 ** (attempt - 1));
    }
    this.counters.notificationsGivenUp += payload.value.length;
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
