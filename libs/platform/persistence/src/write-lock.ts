import type { DataSource, EntityManager } from 'typeorm';
import { isPostgres } from './database-url';

const locks = new WeakMap<DataSource, Promise<unknown>>();

/**
 * better-sqlite3 gives TypeORM one connection per DataSource: two transactions started by
 * concurrent async code would nest ("cannot start a transaction within a transaction"), and a
 * statement issued meanwhile would join the open transaction. On SQLite every write of a
 * service therefore runs through this per-DataSource queue (SQLite has a single writer anyway);
 * PostgreSQL uses its pool and row locks, so there it runs directly.
 */
export function serializedWrite<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  if (isPostgres(ds)) return work();
  const previous = locks.get(ds) ?? Promise.resolve();
  const run = previous.then(work, work);
  locks.set(
    ds,
    run.catch(() => undefined),
  );
  return run;
}

/** A transaction, serialized on SQLite. */
export function writeTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return serializedWrite(ds, () => ds.transaction(work));
}
