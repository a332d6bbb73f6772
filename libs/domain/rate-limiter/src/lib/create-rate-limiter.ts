import { createMemoryRateLimiter } from './memory-rate-limiter';
import type { RateLimiter, RateLimiterOptions } from './rate-limiter';
import { createRedisRateLimiter } from './redis-rate-limiter';

export interface GraphBudgetOptions extends RateLimiterOptions {
  /** Redis URL: the budget is shared by every process using it; without, this process's own. */
  redis?: string;
  /** With `redis`: the deployment's key prefix (REDIS_PREFIX); the budget's keys are `<prefix>:rate-limiter`. Default `ocb`. */
  redisPrefix?: string;
}

/** The one way a service builds its Graph budget: in Redis when a URL is given, else in memory. */
export function createRateLimiter(options: GraphBudgetOptions): RateLimiter {
  const { redis, redisPrefix, ...rest } = options;
  return redis ? createRedisRateLimiter({ ...rest, redis, prefix: `${redisPrefix ?? 'ocb'}:rate-limiter` }) : createMemoryRateLimiter(rest);
}
