import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { GraphApiError, GraphClient, type GraphUser } from '@ocb/graph-client';
import { createRateLimiter, type RateLimiter } from '@ocb/rate-limiter';
import type { UserRef } from '@ocb/service-clients';
import type { AuthConfig } from '../config/auth.config';
import { AppTokenService } from '../tokens/app-token.service';

/** A user as the directory answers (the contract's UserRef). */
export type DirectoryUser = UserRef;

type DirectoryConfig = Pick<
  AuthConfig,
  'GRAPH_BASE_URL' | 'GRAPH_TIMEOUT_MS' | 'GRAPH_MAX_RETRIES' | 'GRAPH_MAX_REQUESTS_PER_SECOND' | 'GRAPH_MAX_CONCURRENT_PER_MAILBOX' | 'REDIS_URL' | 'REDIS_PREFIX'
>;

/**
 * Looks users up in the directory (Graph `/users/{id | userPrincipalName}`) with the app token,
 * through the Graph client: the same budget as every service (shared through Redis when REDIS_URL
 * is set), 401 → a fresh token once, 429/5xx/timeouts retried with Retry-After or backoff.
 */
@Injectable()
export class UserDirectory implements OnModuleDestroy {
  private readonly limiter: RateLimiter;
  private readonly graph: GraphClient;

  constructor(appTokens: AppTokenService, @Inject(APP_CONFIG) config: DirectoryConfig) {
    // I/O waits (budget, retries, timeouts) run on real time, as the fetch they replace did
    this.limiter = createRateLimiter({
      requestsPerInterval: config.GRAPH_MAX_REQUESTS_PER_SECOND,
      maxConcurrentPerKey: config.GRAPH_MAX_CONCURRENT_PER_MAILBOX,
      redis: config.REDIS_URL,
      redisPrefix: config.REDIS_PREFIX,
    });
    this.graph = new GraphClient({
      baseUrl: config.GRAPH_BASE_URL,
      tokenProvider: async (ctx) => {
        if (ctx.forceRefresh) appTokens.invalidate();
        return (await appTokens.token()).accessToken;
      },
      limiter: this.limiter,
      maxRetries: config.GRAPH_MAX_RETRIES,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
    });
  }

  /** The user, or null when the directory does not know them (Graph 404, or 400 for a malformed name). */
  async find(user: string): Promise<DirectoryUser | null> {
    let found: GraphUser;
    try {
      found = await this.graph.get<GraphUser>(`/users/${encodeURIComponent(user)}`, { query: { $select: 'id,userPrincipalName,mail,displayName' } });
    } catch (e) {
      if (e instanceof GraphApiError && (e.kind === 'not-found' || e.kind === 'invalid')) return null;
      throw e;
    }
    if (typeof found.id !== 'string' || typeof found.userPrincipalName !== 'string') {
      throw new GraphApiError({ status: 502, kind: 'unknown', message: 'Graph user lookup returned no id/userPrincipalName' });
    }
    return { id: found.id, userPrincipalName: found.userPrincipalName, mail: found.mail ?? null, displayName: found.displayName ?? null };
  }

  /**
   * Up to `top` users whose display name or mail starts with `prefix` (Graph `$filter` with
   * `startswith`, case-insensitive in the directory). The quote is doubled as OData escapes it.
   */
  async search(prefix: string, top = 10): Promise<DirectoryUser[]> {
    const q = prefix.replace(/'/g, "''");
    const page = await this.graph.get<{ value?: GraphUser[] }>('/users', {
      query: { $filter: `startswith(displayName,'${q}') or startswith(mail,'${q}')`, $top: String(top), $select: 'id,userPrincipalName,mail,displayName' },
    });
    return (page.value ?? [])
      .filter((u) => typeof u.id === 'string' && typeof u.userPrincipalName === 'string')
      .map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, mail: u.mail ?? null, displayName: u.displayName ?? null }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.limiter.close();
  }
}
