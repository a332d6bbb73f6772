import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { GraphTelemetry } from '@ocb/graph-client';
import { MetricsService } from '@ocb/http';
import { jobRequests } from '../sync/job-context';

/** Counts the service's Graph traffic (the client's telemetry): requests, 429s, retries. */
@Injectable()
export class GraphStats implements GraphTelemetry {
  requests = 0;
  /** 429s received: whole requests and `$batch` items. */
  throttled = 0;
  retries = 0;
  private readonly requestCounter: Counter<'status'>;
  private readonly throttleCounter: Counter;

  constructor(metrics: MetricsService) {
    this.requestCounter = metrics.counter('sync_graph_requests_total', 'HTTP requests sent to Microsoft Graph', ['status']);
    this.throttleCounter = metrics.counter('sync_graph_throttled_total', 'Graph answers (or batch items) throttled with 429');
  }

  onRequest(_method: string, status: number): void {
    this.requests++;
    const job = jobRequests.getStore();
    if (job) job.requests++;
    this.requestCounter.inc({ status: String(status) });
  }

  onRetry(): void {
    this.retries++;
  }

  /** A 429, whether for a whole request or for one item of a `$batch`. */
  onThrottle(): void {
    this.throttled++;
    this.throttleCounter.inc();
  }
}
