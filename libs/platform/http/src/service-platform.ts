import type { DynamicModule, Type } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { AppConfigModule } from '@ocb/config';
import { loggerModuleParams } from '@ocb/logging';
import { databaseReadiness, PersistenceModule, type PersistenceOptions } from '@ocb/persistence';
import { HealthModule, type ReadinessCheck, type ReadinessCheckFactory } from './health';
import { ClockModule } from './clock.module';
import { MetricsModule } from './metrics';

/** The settings every service's platform wiring reads (see `baseSchema` and `databaseSchema`). */
export interface ServicePlatformSettings {
  LOG_LEVEL: string;
  LOG_FILE?: string;
  LOG_RETENTION_HOURS: number;
  DATABASE_URL: string;
}

export interface ServicePlatformOptions<C extends ServicePlatformSettings> {
  service: string;
  config: C;
  entities: PersistenceOptions['entities'];
  migrations: PersistenceOptions['migrations'];
  /** Readiness checks besides the database's. */
  readiness?: ReadinessCheckFactory;
  /** Log destination (tests capture it); stdout (+ LOG_FILE) otherwise. */
  logDestination?: DestinationStream;
}

/**
 * What every service imports first: its validated config, JSON logging, metrics, the clock (CLOCK),
 * its migrated database and the health routes (database readiness plus the service's own checks).
 */
export function servicePlatformImports<C extends ServicePlatformSettings>(
  options: ServicePlatformOptions<C>,
): Array<DynamicModule | Type<unknown>> {
  const { config, readiness } = options;
  return [
    AppConfigModule.forRoot(config),
    LoggerModule.forRoot(
      loggerModuleParams(
        { service: options.service, level: config.LOG_LEVEL, file: config.LOG_FILE, retentionHours: config.LOG_RETENTION_HOURS },
        options.logDestination,
      ),
    ),
    MetricsModule,
    ClockModule,
    PersistenceModule.forRoot({ url: config.DATABASE_URL, entities: options.entities, migrations: options.migrations }),
    HealthModule.forRoot({
      useFactory: async (ds: DataSource, ...deps: unknown[]): Promise<ReadinessCheck[]> => [
        databaseReadiness(ds),
        ...(readiness ? await readiness.useFactory(...deps) : []),
      ],
      inject: [getDataSourceToken(), ...(readiness?.inject ?? [])],
    }),
  ];
}
