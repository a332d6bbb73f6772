import { Global, Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { GraphClient } from '@ocb/graph-client';
import { MetricsModule } from '@ocb/http';
import { createRateLimiter, type RateLimiter } from '@ocb/rate-limiter';
import { AuthClient } from '@ocb/service-clients';
import type { SyncConfig } from '../config/sync.config';
import { DEFAULT_SYNC_TUNING, SYNC_TUNING, type SyncTuning } from '../sync/sync-tuning';
import { authServiceTokenProvider } from './app-token.provider';
import { CalendarGraph } from './calendar.graph';
import { GraphStats } from './graph-stats.service';
import { GRAPH_CLIENT, GRAPH_RATE_LIMITER, GRAPH_TOKEN_PROVIDER, type GraphTokenProvider } from './graph.tokens';

/**
 * Graph access of the service: one rate limiter (memory, or Redis when REDIS_URL is set) shared by
 * every call, one GraphClient, the app token provider (auth service; tests override it).
 */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: SYNC_TUNING, useValue: DEFAULT_SYNC_TUNING },
    GraphStats,
    {
      provide: GRAPH_RATE_LIMITER,
      inject: [APP_CONFIG, SYNC_TUNING],
      useFactory: (config: SyncConfig, tuning: SyncTuning): RateLimiter =>
        createRateLimiter({
          requestsPerInterval: config.GRAPH_MAX_REQUESTS_PER_SECOND,
          intervalMs: 1000,
          windowMarginMs: config.SYNC_RATE_WINDOW_MARGIN_MS ?? tuning.rateWindowMarginMs,
          maxConcurrentPerKey: config.GRAPH_MAX_CONCURRENT_PER_MAILBOX,
          redis: config.REDIS_URL,
          redisPrefix: config.REDIS_PREFIX,
        }),
    },
    {
      provide: GRAPH_TOKEN_PROVIDER,
      inject: [APP_CONFIG, CLOCK],
      useFactory: (config: SyncConfig, clock: Clock): GraphTokenProvider =>
        authServiceTokenProvider(new AuthClient({ baseUrl: config.AUTH_URL, internalKey: config.INTERNAL_API_KEY }), clock),
    },
    {
      provide: GRAPH_CLIENT,
      inject: [APP_CONFIG, GRAPH_TOKEN_PROVIDER, GRAPH_RATE_LIMITER, GraphStats, CLOCK],
      useFactory: (config: SyncConfig, tokenProvider: GraphTokenProvider, limiter: RateLimiter, telemetry: GraphStats, clock: Clock) =>
        new GraphClient({
          baseUrl: config.GRAPH_BASE_URL,
          tokenProvider,
          limiter,
          telemetry,
          clock,
          maxRetries: config.GRAPH_MAX_RETRIES,
          timeoutMs: config.GRAPH_TIMEOUT_MS,
        }),
    },
    CalendarGraph,
  ],
  exports: [SYNC_TUNING, GraphStats, GRAPH_RATE_LIMITER, GRAPH_CLIENT, CalendarGraph],
})
export class GraphModule implements OnApplicationShutdown {
  constructor(@Inject(GRAPH_RATE_LIMITER) private readonly limiter: RateLimiter) {}

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}
