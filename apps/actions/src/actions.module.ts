import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { AuthClient, SyncClient } from '@ocb/service-clients';
import type { ActionsConfig } from './config/actions.config';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { DelegatedTokens } from './graph/delegated-tokens';
import { createGraphClient } from './graph/graph-client.factory';
import { GraphLimiter } from './graph/graph-limiter';
import { DELEGATED_TOKEN_SOURCE, GRAPH_CLIENT } from './graph/graph.tokens';
import { UserCalendar } from './graph/user-calendar';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { IdempotencyService } from './idempotency/idempotency.service';
import { OfficeHoursController } from './office-hours/office-hours.controller';
import { CacheRefresh } from './sync/cache-refresh.service';
import { SYNC_REFRESHER } from './sync/sync.tokens';
import { TimezonesController } from './timezones/timezones.controller';
import { SchedulingController } from './scheduling/scheduling.controller';
import { FreeBusyCalendar } from './scheduling/free-busy.calendar';
import { SchedulingService } from './scheduling/scheduling.service';
import { SeriesSplit } from './events/series-split';

/**
 * The actions features. Side effects sit behind the tokens tests swap: DELEGATED_TOKEN_SOURCE
 * (auth), SYNC_REFRESHER (sync), GRAPH_CLIENT, and CLOCK (from the platform imports).
 */
@Module({
  controllers: [EventsController, OfficeHoursController, TimezonesController, SchedulingController],
  providers: [
    {
      provide: DELEGATED_TOKEN_SOURCE,
      useFactory: (config: ActionsConfig) => new AuthClient({ baseUrl: config.AUTH_URL, internalKey: config.INTERNAL_API_KEY }),
      inject: [APP_CONFIG],
    },
    {
      provide: SYNC_REFRESHER,
      useFactory: (config: ActionsConfig) => new SyncClient({ baseUrl: config.SYNC_URL, internalKey: config.INTERNAL_API_KEY }),
      inject: [APP_CONFIG],
    },
    DelegatedTokens,
    GraphLimiter,
    {
      provide: GRAPH_CLIENT,
      useFactory: (config: ActionsConfig, tokens: DelegatedTokens, limiter: GraphLimiter) => createGraphClient(config, tokens, limiter.limiter),
      inject: [APP_CONFIG, DelegatedTokens, GraphLimiter],
    },
    UserCalendar,
    CacheRefresh,
    IdempotencyRepository,
    IdempotencyService,
    EventsService,
    FreeBusyCalendar,
    SchedulingService,
    SeriesSplit,
  ],
})
export class ActionsModule {}
