import { SystemClock, type Clock } from '@ocb/clock';
import type { RateLimiterOptions } from './rate-limiter';

export interface ResolvedOptions {
  requestsPerInterval: number;
  intervalMs: number;
  burst: number;
  windowMarginMs: number;
  maxConcurrentPerKey: number;
  clock: Clock;
}

export const DEFAULT_REQUESTS_PER_INTERVAL = 60;
export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_MAX_CONCURRENT_PER_KEY = 4;
/** Default window margin: 1 % of the interval (10 ms for 1 s), i.e. at most 1 % of throughput. */
export function defaultWindowMargin(intervalMs: number): number {
  return Math.ceil(intervalMs / 100);
}

/** Default burst: a tenth of the budget (6 for 60/s), at least 1. See README, "Budget". */
export function defaultBurst(requestsPerInterval: number): number {
  return Math.max(1, Math.ceil(requestsPerInterval / 10));
}

export function resolveOptions(opts: RateLimiterOptions = {}): ResolvedOptions {
  const requestsPerInterval = positiveInteger(
    'requestsPerInterval',
    opts.requestsPerInterval ?? DEFAULT_REQUESTS_PER_INTERVAL,
  );
  const intervalMs = positiveInteger('intervalMs', opts.intervalMs ?? DEFAULT_INTERVAL_MS);
  const burst = positiveInteger('burst', opts.burst ?? defaultBurst(requestsPerInterval));
  if (burst > requestsPerInterval) {
    throw new RangeError(`burst (${burst}) cannot exceed requestsPerInterval (${requestsPerInterval})`);
  }
  const windowMarginMs = opts.windowMarginMs ?? defaultWindowMargin(intervalMs);
  if (!Number.isSafeInteger(windowMarginMs) || windowMarginMs < 0 || windowMarginMs >= intervalMs) {
    throw new RangeError(`windowMarginMs must be an integer in [0, intervalMs), got ${windowMarginMs}`);
  }
  const maxConcurrentPerKey = positiveInteger(
    'maxConcurrentPerKey',
    opts.maxConcurrentPerKey ?? DEFAULT_MAX_CONCURRENT_PER_KEY,
  );
  return {
    requestsPerInterval,
    intervalMs,
    burst,
    windowMarginMs,
    maxConcurrentPerKey,
    clock: opts.clock ?? new SystemClock(),
  };
}

export function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
