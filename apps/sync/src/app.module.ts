import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { servicePlatformImports } from '@ocb/http';
import type { SyncConfig } from './config/sync.config';
import { EventEntity } from './events/event.entity';
import { EventsController } from './events/events.controller';
import { SyncStateController } from './events/sync-state.controller';
import { EventsRepository } from './events/events.repository';
import { EventsService } from './events/events.service';
import { SeriesEntity } from './events/series.entity';
import { GraphModule } from './graph/graph.module';
import { InternalController } from './internal/internal.controller';
import { migrations } from './migrations';
import { NotificationsController } from './notifications/notifications.controller';
import { NOTIFICATION_PROVIDERS } from './notifications/notifications.providers';
import { SubscriptionEntity } from './notifications/subscription.entity';
import { DeltaSyncService } from './sync/delta-sync.service';
import { FullSyncService } from './sync/full-sync.service';
import { MailboxStateEntity } from './sync/mailbox-state.entity';
import { MailboxStateRepository } from './sync/mailbox-state.repository';
import { MailboxLocks } from './sync/mailbox-locks';
import { MailboxPlanner } from './sync/mailbox-planner';
import { MailboxSyncService } from './sync/mailbox-sync.service';
import { MailboxWriter } from './sync/mailbox-writer';
import { SyncWindows } from './sync/sync-windows';
import { RefreshService } from './sync/refresh.service';
import { RunExecutor } from './sync/run-executor.service';
import { SyncRunEntity } from './sync/sync-run.entity';
import { SyncRunJobEntity } from './sync/sync-run-job.entity';
import { RunJobsRepository } from './sync/run-jobs.repository';
import { SyncQueue } from './sync/sync-queue.service';
import { SyncQueueController } from './sync/sync-queue.controller';
import { SyncRunsRepository } from './sync/sync-runs.repository';
import { SyncRunsService } from './sync/sync-runs.service';
import { SyncController } from './sync/sync.controller';
import { SyncCron } from './sync/sync.cron';
import { UserEntity } from './users/user.entity';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

export const SYNC_ENTITIES = [UserEntity, EventEntity, SeriesEntity, MailboxStateEntity, SyncRunEntity, SubscriptionEntity, SyncRunJobEntity];

@Module({})
export class AppModule {
  static forRoot(config: SyncConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...servicePlatformImports({ service: 'sync', config, entities: SYNC_ENTITIES, migrations }),
        ScheduleModule.forRoot(),
        GraphModule,
      ],
      controllers: [SyncController, SyncQueueController, EventsController, SyncStateController, InternalController, NotificationsController],
      providers: [
        UsersRepository,
        UsersService,
        EventsRepository,
        EventsService,
        MailboxStateRepository,
        MailboxLocks,
        SyncWindows,
        MailboxPlanner,
        MailboxWriter,
        MailboxSyncService,
        SyncRunsRepository,
        SyncRunsService,
        RunExecutor,
        FullSyncService,
        DeltaSyncService,
        RefreshService,
        SyncCron,
        ...NOTIFICATION_PROVIDERS,
        RunJobsRepository,
        SyncQueue,
      ],
    };
  }
}
