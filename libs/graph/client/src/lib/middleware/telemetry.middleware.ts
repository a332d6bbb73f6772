import type { Clock } from '@ocb/clock';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { NETWORK_ERROR_STATUS } from '../errors';
import type { GraphTelemetry } from '../options';
import { parseRetryAfter } from '../time';
import { ChainedMiddleware, responseOf } from './util';
import { requestMethod } from './call-context';

/** Reports every HTTP attempt (method, status, duration) and every 429 (its Retry-After). */
export class TelemetryMiddleware extends ChainedMiddleware implements Middleware {
  constructor(
    private readonly telemetry: GraphTelemetry,
    private readonly clock: Clock,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const started = this.clock.now();
    const method = requestMethod(context);
    try {
      await this.next.execute(context);
    } catch (err) {
      this.safely(() => this.telemetry.onRequest?.(method, NETWORK_ERROR_STATUS, this.clock.now() - started));
      throw err;
    }
    const response = responseOf(context);
    this.safely(() => this.telemetry.onRequest?.(method, response.status, this.clock.now() - started));
    if (response.status === 429) {
      const ms = parseRetryAfter(response.headers.get('Retry-After'), this.clock.now()) ?? 0;
      this.safely(() => this.telemetry.onThrottle?.(ms));
    }
  }

  /** A broken metrics hook never fails a Graph call. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // ignored on purpose
    }
  }
}
