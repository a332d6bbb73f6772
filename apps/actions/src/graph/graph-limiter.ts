import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { createRateLimiter, type RateLimiter } from '@ocb/rate-limiter';
import type { ActionsConfig } from '../config/actions.config';

/** The service's Graph budget (GRAPH_MAX_REQUESTS_PER_SECOND, GRAPH_MAX_CONCURRENT_PER_MAILBOX), closed at shutdown. */
@Injectable()
export class GraphLimiter implements OnModuleDestroy {
  readonly limiter: RateLimiter;

  constructor(@Inject(APP_CONFIG) config: ActionsConfig, @Inject(CLOCK) clock: Clock) {
    // shared through Redis when REDIS_URL is set, else this process's own
    this.limiter = createRateLimiter({
      requestsPerInterval: config.GRAPH_MAX_REQUESTS_PER_SECOND,
      maxConcurrentPerKey: config.GRAPH_MAX_CONCURRENT_PER_MAILBOX,
      clock,
      redis: config.REDIS_URL,
      redisPrefix: config.REDIS_PREFIX,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.limiter.close();
  }
}
