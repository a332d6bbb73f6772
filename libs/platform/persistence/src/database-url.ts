import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;

export interface PersistenceOptions {
  url: string;
  entities: Entities;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Run pending migrations when the DataSource initialises (default true). */
  migrationsRun?: boolean;
  logging?: boolean;
}

/**
 * TypeORM options from a DATABASE_URL: `sqlite:<file>` (better-sqlite3, WAL, parent folder
 * created) or `postgres://...`. Migrations run at start-up; the schema is never synchronised.
 */
export function dataSourceOptions(options: PersistenceOptions): DataSourceOptions {
  const kind = databaseKind(options.url);
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: options.migrationsRun ?? true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: options.logging ?? false,
  };
  if (kind === 'sqlite') {
    const file = options.url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    const database = file === ':memory:' ? file : resolve(file);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      enableWAL: database !== ':memory:',
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        // WAL + NORMAL: durable across process crashes, fsync only at checkpoints
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return { ...common, type: 'postgres', url: options.url, extra: { max: 10 } };
}

export function isPostgres(ds: DataSource): boolean {
  return ds.options.type === 'postgres';
}
