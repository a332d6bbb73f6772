import type { DataSource } from 'typeorm';
import { sqliteHandle } from './bulk-writer';
import { isPostgres } from './database-url';
import { SqliteCheckpointer } from './sqlite-checkpointer';

export interface SqliteTuning {
  /** Page cache of the connection (KiB): resident memory once filled. */
  cacheKib: number;
  /** WAL pages before an automatic checkpoint, when the checkpoint worker is not running (SQLite's default: 1,000). */
  walAutocheckpointPages: number;
  /** Pause between the checkpoint worker's passive checkpoints (ms). */
  checkpointIntervalMs: number;
  /** Where the worker's failure goes (after which commits checkpoint again). */
  onError: (message: string) => void;
}

/**
 * SQLite for a write-heavy cache: a larger page cache than the default 2 MiB (a full sync writes
 * ~430k rows whose indexes are hit at many places; with the small cache, pages were read back and
 * spilled again within the same transaction), and WAL checkpoints on a worker thread
 * (`SqliteCheckpointer`) instead of inside commits: a commit that checkpoints copies the WAL into
 * the database file and fsyncs it, which blocked the event loop for up to a second. Should the
 * worker fail, the connection checkpoints by itself every `walAutocheckpointPages`. Nothing on
 * PostgreSQL; no worker for in-memory databases. Returns the running checkpointer, if any.
 */
export async function tuneSqlite(ds: DataSource, tuning: SqliteTuning): Promise<SqliteCheckpointer | null> {
  if (isPostgres(ds)) return null;
  // both go into the PRAGMA text as they are
  for (const [name, value] of Object.entries({ cacheKib: tuning.cacheKib, walAutocheckpointPages: tuning.walAutocheckpointPages })) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  await ds.query(`PRAGMA cache_size = -${tuning.cacheKib}`);
  await ds.query(`PRAGMA wal_autocheckpoint = ${tuning.walAutocheckpointPages}`);
  const file = (ds.options as { database?: unknown }).database;
  if (typeof file !== 'string' || file === ':memory:') return null;
  return SqliteCheckpointer.start({
    file,
    writer: sqliteHandle(ds),
    intervalMs: tuning.checkpointIntervalMs,
    fallbackPages: tuning.walAutocheckpointPages,
    onError: tuning.onError,
  });
}
