import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfigModule } from '@ocb/config';
import { HealthModule, MetricsModule } from '@ocb/http';
import { loggerModuleParams } from '@ocb/logging';
import { databaseReadiness, PersistenceModule } from '@ocb/persistence';
import type { NotificationsConfig } from './config/notifications.config';
import { OutboxEntity } from './delivery/outbox.entity';
import { migrations } from './migrations';
import { PlannerStateEntity, ReminderEntity } from './reminders/reminder.entity';
import { RemindersModule } from './reminders/reminders.module';

@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(
          loggerModuleParams({ service: 'notifications', level: config.LOG_LEVEL, file: config.LOG_FILE, retentionHours: config.LOG_RETENTION_HOURS }),
        ),
        MetricsModule,
        PersistenceModule.forRoot({ url: config.DATABASE_URL, entities: [ReminderEntity, OutboxEntity, PlannerStateEntity], migrations }),
        HealthModule.forRoot({ useFactory: (ds: DataSource) => [databaseReadiness(ds)], inject: [getDataSourceToken()] }),
        RemindersModule,
      ],
    };
  }
}
