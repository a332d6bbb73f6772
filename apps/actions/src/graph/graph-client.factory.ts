import { GraphClient, type GraphClientOptions } from '@ocb/graph-client';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '@ocb/rate-limiter';
import type { Clock } from '@ocb/clock';
import type { ActionsConfig } from '../config/actions.config';
import type { DelegatedTokens } from './delegated-tokens';

/** The Graph budget: shared through Redis when REDIS_URL is set, else this process's own. */
export function createGraphRateLimiter(config: ActionsConfig, clock?: Clock): RateLimiter {
  const options = {
    requestsPerInterval: config.GRAPH_MAX_REQUESTS_PER_SECOND,
    maxConcurrentPerKey: config.GRAPH_MAX_CONCURRENT_PER_MAILBOX,
    clock,
  };
  return config.REDIS_URL ? createRedisRateLimiter({ ...options, redis: config.REDIS_URL }) : createMemoryRateLimiter(options);
}

/**
 * The Graph client of the actions service: every call carries the delegated token of the mailbox
 * it names (`mailbox` option or `/users/{id}` path), goes through the limiter, and is retried only
 * where safe (GET, PATCH, DELETE; a POST only when it carries a transactionId).
 */
export function createGraphClient(
  config: ActionsConfig,
  tokens: DelegatedTokens,
  limiter: RateLimiter,
  overrides: Partial<GraphClientOptions> = {},
): GraphClient {
  return new GraphClient({
    baseUrl: config.GRAPH_BASE_URL,
    tokenProvider: async (ctx) => {
      if (!ctx.mailbox) throw new Error('a delegated Graph call must name its mailbox');
      return (await tokens.get(ctx.mailbox, ctx.forceRefresh)).accessToken;
    },
    limiter,
    maxRetries: config.GRAPH_MAX_RETRIES,
    timeoutMs: config.GRAPH_TIMEOUT_MS,
    ...overrides,
  });
}
