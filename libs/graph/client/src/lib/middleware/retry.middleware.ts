import type { Clock } from '@ocb/clock';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { GraphTimeoutError, isNetworkError } from '../errors';
import type { GraphTelemetry } from '../options';
import { backoffDelay, parseRetryAfter } from '../time';
import { callContextOf, requestMethod } from './call-context';
import { ChainedMiddleware, discard, responseOf, sleep } from './util';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  clock: Clock;
  random: () => number;
  telemetry?: GraphTelemetry;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);
/** Answers that mean "not done, try later". 500/502 too, for requests that are safe to repeat. */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/**
 * Whether a request may be repeated after the given outcome:
 * - 429 always (a throttled request was not executed, so even a POST is safe);
 * - 500/502/503/504, resets and timeouts only for idempotent requests (GET, HEAD, PUT, DELETE,
 *   PATCH, or a POST flagged idempotent).
 */
export function isRetryable(method: string, outcome: number | 'network', idempotentPost: boolean): boolean {
  if (outcome === 429) return true;
  const idempotent = IDEMPOTENT_METHODS.has(method) || idempotentPost;
  if (!idempotent) return false;
  return outcome === 'network' || TRANSIENT_STATUSES.has(outcome);
}

/**
 * Repeats retryable outcomes up to `maxRetries` times, waiting Retry-After (seconds or an HTTP
 * date) or else exponential backoff with full jitter. Sits above the rate limiter so every attempt
 * takes a permit and no permit is held while waiting.
 */
export class RetryMiddleware extends ChainedMiddleware implements Middleware {
  constructor(private readonly policy: RetryPolicy) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = callContextOf(context);
    const method = requestMethod(context);
    const signal = context.options?.signal ?? undefined;
    for (let attempt = 1; ; attempt++) {
      let outcome: number | 'network';
      let failure: unknown;
      context.response = undefined;
      try {
        call.attempts++;
        await this.next.execute(context);
        outcome = responseOf(context).status;
      } catch (err) {
        if (!isNetworkError(err) || signal?.aborted) {
          call.failure ??= err;
          throw err;
        }
        outcome = 'network';
        failure = err;
      }
      if (!isRetryable(method, outcome, call.idempotent) || attempt > this.policy.maxRetries) {
        if (outcome === 'network') {
          call.failure ??= failure;
          throw failure;
        }
        return;
      }
      const retryAfter =
        outcome === 'network'
          ? undefined
          : parseRetryAfter(responseOf(context).headers.get('Retry-After'), this.policy.clock.now());
      const delay =
        retryAfter ??
        backoffDelay(attempt, this.policy.baseDelayMs, this.policy.maxDelayMs, this.policy.random);
      this.policy.telemetry?.onRetry?.(retryReason(outcome, failure));
      if (outcome !== 'network') await discard(context.response);
      try {
        await sleep(this.policy.clock, delay, signal);
      } catch (err) {
        call.failure ??= err;
        throw err;
      }
    }
  }
}

function retryReason(outcome: number | 'network', failure: unknown): string {
  if (outcome !== 'network') return String(outcome);
  return failure instanceof GraphTimeoutError ? 'timeout' : 'network';
}
