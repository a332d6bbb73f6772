import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfigModule } from '@ocb/config';
import { HealthModule, MetricsModule } from '@ocb/http';
import { loggerModuleParams } from '@ocb/logging';
import { databaseReadiness, PersistenceModule } from '@ocb/persistence';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth.module';
import type { AuthConfig } from './config/auth.config';
import { ConnectStateEntity } from './connect/connect-state.entity';
import { migrations } from './migrations';
import { TokenCacheEntity } from './store/token-cache.entity';
import { MsalFactory } from './tokens/msal.factory';

export const entities = [TokenCacheEntity, ConnectStateEntity];

export interface AppModuleOptions {
  /** Log destination (tests capture it); stdout (+ LOG_FILE) otherwise. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(
          loggerModuleParams(
            { service: 'auth', level: config.LOG_LEVEL, file: config.LOG_FILE, retentionHours: config.LOG_RETENTION_HOURS },
            options.logDestination,
          ),
        ),
        MetricsModule,
        PersistenceModule.forRoot({ url: config.DATABASE_URL, entities, migrations }),
        AuthModule,
        HealthModule.forRoot({
          useFactory: (ds: DataSource, msal: MsalFactory) => [
            databaseReadiness(ds),
            { name: 'authority', check: () => msal.checkAuthority() },
          ],
          inject: [getDataSourceToken(), MsalFactory],
        }),
      ],
    };
  }
}
