import { Injectable, Logger } from '@nestjs/common';
import { NotificationMetrics } from './notification-metrics';
import { SubscriptionsService } from './subscriptions.service';

const LIFECYCLE_EVENTS = new Set(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

interface NotificationItem {
  subscriptionId?: unknown;
  clientState?: unknown;
  lifecycleEvent?: unknown;
}

/**
 * What arrives at the public endpoint, handled after the 202 went out: each item is believed only
 * when its subscription is ours and its clientState matches the stored hash; a change asks the
 * change queue for a delta of that mailbox, a lifecycle event goes to the subscriptions.
 */
@Injectable()
export class NotificationInbox {
  private readonly logger = new Logger(NotificationInbox.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly metrics: NotificationMetrics,
  ) {}

  /** Takes a body for later (never throws, never waits). */
  accept(body: unknown, kind: 'change' | 'lifecycle'): void {
    const value = (body as { value?: unknown } | null)?.value;
    const items = Array.isArray(value) ? (value as NotificationItem[]).slice(0, 1000) : [];
    if (!items.length) {
      this.metrics.notification(kind, 'rejected');
      return;
    }
    const job = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.process(items, kind));
    const tracked = job.catch((e: unknown) => this.logger.error(`notification not handled: ${e instanceof Error ? e.message : String(e)}`)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async process(items: NotificationItem[], kind: 'change' | 'lifecycle'): Promise<void> {
    for (const item of items) {
      const row = item && typeof item === 'object' ? await this.subscriptions.verify(item.subscriptionId, item.clientState) : null;
      const event = typeof item?.lifecycleEvent === 'string' ? item.lifecycleEvent : null;
      if (!row || (kind === 'lifecycle' && (!event || !LIFECYCLE_EVENTS.has(event)))) {
        this.metrics.notification(kind, 'rejected');
        continue;
      }
      this.metrics.notification(kind, 'accepted');
      if (kind === 'lifecycle' && event) await this.subscriptions.lifecycle(row, event);
      else await this.subscriptions.changed(row);
    }
  }

  /** Resolves when every accepted body has been handled (tests). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
