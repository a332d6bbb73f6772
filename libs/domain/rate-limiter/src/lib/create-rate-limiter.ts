import { createMemoryRateLimiter } from './memory-rate-limiter';
import type { RateLimiter, RateLimiterOptions } from './rate-limiter';
import { createRedisRateLimiter } from './redis-rate-limiter';

export interface GraphBudgetOptions extends RateLimiterOptions {
  /** Redis URL: the budget is shared by every process using it; without, this process's own. */
  redis?: string;
}

/** The one way a service builds its Graph budget: in Redis when a URL is given, else in memory. */
export function createRateLimiter(options: GraphBudgetOptions): RateLimiter {
  const { redis, ...rest } = options;
  return redis ? createRedisRateLimiter({ ...rest, redis }) : createMemoryRateLimiter(rest);
}
