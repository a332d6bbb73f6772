import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions, PersistenceOptions } from './database-url';

/** The service's database (one per service), migrated at start-up. */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(options), retryAttempts: 3, retryDelay: 500 })],
      exports: [TypeOrmModule],
    };
  }
}

/** Readiness probe for the health module. */
export function databaseReadiness(ds: DataSource) {
  return { name: 'database', check: () => ds.query('SELECT 1') };
}
