import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfigModule } from '@ocb/config';
import { HealthModule, MetricsModule } from '@ocb/http';
import { loggerModuleParams } from '@ocb/logging';
import { databaseReadiness, PersistenceModule } from '@ocb/persistence';
import type { ActionsConfig } from './config/actions.config';
import { ActionsModule } from './actions.module';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { migrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: ActionsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(
          loggerModuleParams({ service: 'actions', level: config.LOG_LEVEL, file: config.LOG_FILE, retentionHours: config.LOG_RETENTION_HOURS }),
        ),
        MetricsModule,
        PersistenceModule.forRoot({ url: config.DATABASE_URL, entities: [IdempotencyKeyEntity], migrations }),
        HealthModule.forRoot({ useFactory: (ds: DataSource) => [databaseReadiness(ds)], inject: [getDataSourceToken()] }),
        ActionsModule,
      ],
    };
  }
}
