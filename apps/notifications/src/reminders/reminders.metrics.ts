import { Injectable } from '@nestjs/common';
import { Gauge, type Counter, type Histogram } from 'prom-client';
import { MetricsService } from '@ocb/http';

/** The service's own Prometheus metrics. */
@Injectable()
export class RemindersMetrics {
  /** sent − due, in seconds (webhook: at the accepting 2xx; feed: when stored). */
  readonly lateness: Histogram<'delivery'>;
  /** Final outcome of each reminder: sent | stored | dead | void | missed. */
  readonly outcomes: Counter<'outcome' | 'reason'>;
  readonly attempts: Counter<'result'>;
  readonly deadLetters: Counter<string>;
  readonly planFailures: Counter<string>;
  /** 1 while the webhook endpoint is disabled after answering 410 Gone (alert on it). */
  readonly endpointGone: Gauge<string>;
  readonly endpointGoneTotal: Counter<string>;

  constructor(metrics: MetricsService) {
    this.lateness = metrics.histogram(
      'notifications_reminder_lateness_seconds',
      'Reminder lateness: delivery time minus due time',
      ['delivery'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 1800, 3600],
    );
    this.outcomes = metrics.counter('notifications_reminders_total', 'Reminders by final outcome', ['outcome', 'reason']);
    this.attempts = metrics.counter('notifications_webhook_attempts_total', 'Webhook delivery attempts by result', ['result']);
    this.deadLetters = metrics.counter('notifications_dead_letters_total', 'Notifications given up after NOTIFY_MAX_ATTEMPTS');
    this.planFailures = metrics.counter('notifications_plan_failures_total', 'Planner polls that could not read the sync cache');
    this.endpointGone = new Gauge({
      name: 'notifications_webhook_endpoint_gone',
      help: '1 while the webhook endpoint is disabled because it answered 410 Gone (nothing is delivered until a redelivery is requested)',
      registers: [metrics.registry],
    });
    this.endpointGoneTotal = metrics.counter('notifications_webhook_gone_total', 'Webhook attempts answered 410 Gone');
  }
}
