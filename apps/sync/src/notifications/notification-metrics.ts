import { Injectable } from '@nestjs/common';
import { MetricsService } from '@ocb/http';
import { Gauge, type Counter } from 'prom-client';

/** Metrics of change notifications: received (by result), subscription operations, live subscriptions, deltas run. */
@Injectable()
export class NotificationMetrics {
  private readonly received: Counter<'kind' | 'result'>;
  private readonly operations: Counter<'op' | 'result'>;
  private readonly deltas: Counter<'result'>;
  private active = 0;

  constructor(metrics: MetricsService) {
    this.received = metrics.counter('sync_notifications_total', 'Graph change/lifecycle notifications received, by kind and result (accepted, rejected)', ['kind', 'result']);
    this.operations = metrics.counter('sync_subscription_operations_total', 'Graph subscription operations, by op (create, renew, delete) and result', ['op', 'result']);
    this.deltas = metrics.counter('sync_notification_deltas_total', 'Mailbox deltas run because of notifications, by result', ['result']);
    if (!metrics.registry.getSingleMetric('sync_subscriptions')) {
      const active = () => this.active;
      new Gauge({
        name: 'sync_subscriptions',
        help: 'Mailboxes with a Graph change-notification subscription',
        registers: [metrics.registry],
        collect() {
          this.set(active());
        },
      });
    }
  }

  notification(kind: 'change' | 'lifecycle', result: 'accepted' | 'rejected', n = 1): void {
    this.received.inc({ kind, result }, n);
  }

  operation(op: 'create' | 'renew' | 'delete', result: 'ok' | 'failed'): void {
    this.operations.inc({ op, result });
  }

  delta(result: 'ok' | 'failed'): void {
    this.deltas.inc({ result });
  }

  setActive(n: number): void {
    this.active = n;
  }
}
