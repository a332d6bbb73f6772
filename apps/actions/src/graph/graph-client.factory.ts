import { GraphClient, type GraphClientOptions } from '@ocb/graph-client';
import type { RateLimiter } from '@ocb/rate-limiter';
import type { ActionsConfig } from '../config/actions.config';
import type { DelegatedTokens } from './delegated-tokens';

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
