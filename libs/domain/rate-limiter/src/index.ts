export type { Permit, RateLimiter, RateLimiterOptions, RateLimiterSnapshot } from './lib/rate-limiter';
export { RateLimiterClosedError, RateLimiterUnavailableError } from './lib/rate-limiter';
export { createMemoryRateLimiter } from './lib/memory-rate-limiter';
export { createRedisRateLimiter, type RedisRateLimiterOptions } from './lib/redis-rate-limiter';
export { createRateLimiter, type GraphBudgetOptions } from './lib/create-rate-limiter';
