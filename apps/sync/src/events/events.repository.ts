import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, type EntityMetadata } from 'typeorm';
import { isPostgres, rowReader, SqlParams, SqliteCheckpointer, toInstant } from '@ocb/persistence';
import { EventEntity } from './event.entity';
import type { EventRow, SeriesRow } from './event-mapper';
import { SeriesEntity } from './series.entity';
import { likePattern } from './search';

/** Rows per PostgreSQL upsert statement (one array parameter per column). */
const UPSERT_ROWS = 1000;
const ID_CHUNK = 500;
/** SQLite page cache of this service's connection (KiB). */
const SQLITE_CACHE_KIB = 65_536;
/** SQLite WAL pages before an automatic checkpoint, when the checkpoint worker is not running (default 1,000). */
const SQLITE_WAL_CHECKPOINT_PAGES = 32_768;
/** Pause between the checkpoint worker's passive checkpoints (ms). */
const SQLITE_CHECKPOINT_INTERVAL_MS = 250;

export interface EventQuery {
  userId: string;
  from: string;
  to: string | null;
  terms: string[];
  after: { startUtc: string; id: string } | null;
  limit: number;
}

export interface StartingQuery {
  from: string;
  to: string;
  after: { startUtc: string; userId: string; id: string } | null;
  limit: number;
}

/** What one mailbox write changed. */
export interface ApplyResult {
  upserted: number;
  removed: number;
}

/** The part of better-sqlite3's API used here (the package ships no types). */
interface SqliteStatement {
  run(params: unknown[]): { changes: number };
}
interface SqliteDatabase {
  inTransaction: boolean;
  pragma(source: string): unknown;
  prepare(sql: string): SqliteStatement;
  transaction(work: () => void): () => void;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Events and series masters of the cache. Every write of a mailbox happens in one transaction,
 * and only rows whose changeKey differs are written.
 */
@Injectable()
export class EventsRepository implements OnModuleInit, OnModuleDestroy {
  /** Rows inserted, updated or deleted since start (tests and the benchmark read it). */
  rowsWritten = 0;

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private readonly logger = new Logger(EventsRepository.name);
  private checkpointer: SqliteCheckpointer | null = null;

  /**
   * SQLite: a 64 MiB page cache instead of the default 2 MiB. A full sync writes ~430k rows whose
   * indexes are hit at many places; with the small cache, pages were read back and spilled again
   * within the same transaction.
   *
   * And WAL checkpoints on a worker thread (`SqliteCheckpointer`) instead of inside commits: a
   * commit that checkpoints copies the WAL into the database file and fsyncs it, which during a
   * full sync blocked the event loop (and so the rate limiter's grants) for up to a second, several
   * times per run. Should the worker fail, the connection checkpoints by itself every 128 MiB of
   * WAL (each group commit rewrites many index leaf pages; a larger WAL copies each page once per
   * checkpoint).
   */
  async onModuleInit(): Promise<void> {
    if (isPostgres(this.ds)) return;
    await this.ds.query(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`);
    await this.ds.query(`PRAGMA wal_autocheckpoint = ${SQLITE_WAL_CHECKPOINT_PAGES}`);
    const file = (this.ds.options as { database?: unknown }).database;
    if (typeof file !== 'string' || file === ':memory:') return;
    this.checkpointer = SqliteCheckpointer.start({
      file,
      writer: this.sqliteDb(this.ds.manager),
      intervalMs: SQLITE_CHECKPOINT_INTERVAL_MS,
      fallbackPages: SQLITE_WAL_CHECKPOINT_PAGES,
      onError: (message) => this.logger.warn(`checkpoint worker stopped, commits checkpoint again: ${message}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = null;
  }

  /** The checkpoint worker's figures (null when it does not run: PostgreSQL, in-memory SQLite, or after a failure). */
  checkpointStats(): { runs: number; framesCopied: number } | null {
    return this.checkpointer?.running ? this.checkpointer.stats : null;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** id -> changeKey of a mailbox's cached occurrences (all, or just `ids`): raw rows, no entity hydration. */
  async changeKeys(userId: string, ids?: string[], m: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const pg = isPostgres(m.connection);
    if (ids === undefined) {
      const rows = await m.query<Array<{ id: string; change_key: string }>>(`SELECT "id", "change_key" FROM "sync_events" WHERE "user_id" = ${pg ? '$1' : '?'}`, [userId]);
      for (const r of rows) out.set(r.id, r.change_key);
      return out;
    }
    for (const part of chunks(ids, ID_CHUNK)) {
      const marks = part.map((_, i) => (pg ? `$${i + 2}` : '?')).join(', ');
      const rows = await m.query<Array<{ id: string; change_key: string }>>(
        `SELECT "id", "change_key" FROM "sync_events" WHERE "user_id" = ${pg ? '$1' : '?'} AND "id" IN (${marks})`,
        [userId, ...part],
      );
      for (const r of rows) out.set(r.id, r.change_key);
    }
    return out;
  }

  async seriesChangeKeys(userId: string, m: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    const pg = isPostgres(m.connection);
    const rows = await m.query<Array<{ id: string; change_key: string }>>(`SELECT "id", "change_key" FROM "sync_series" WHERE "user_id" = ${pg ? '$1' : '?'}`, [userId]);
    return new Map(rows.map((r) => [r.id, r.change_key]));
  }

  async upsertEvents(m: EntityManager, rows: EventRow[], now: number): Promise<number> {
    const updatedAt = toInstant(now);
    await this.upsertRaw(m, EventEntity, rows as unknown as Array<Record<string, unknown>>, { updatedAt });
    this.rowsWritten += rows.length;
    return rows.length;
  }

  /**
   * `INSERT ... ON CONFLICT (primary key) DO UPDATE`: the hot path of a full sync. `common`: values
   * of columns the rows leave out (the same for all, e.g. `updatedAt`).
   *
   * SQLite: one single-row statement, prepared once on the better-sqlite3 handle, run for every row
   * (no TypeORM query pipeline, no 7,000-parameter arrays): inside the caller's TypeORM
   * transaction when one is open on the connection (better-sqlite3 has one connection, so the rows
   * join it), else in a transaction of its own.
   *
   * PostgreSQL: `INSERT ... SELECT * FROM unnest($1::type[], $2::type[], ...)`, one array
   * parameter per column and up to `UPSERT_ROWS` rows per statement: one SQL text per table, and
   * the server parses 27 arrays instead of 256 × 27 parameters (~20 % less server CPU per row
   * than multi-row `VALUES` in a replay of 40,000 rows).
   */
  private async upsertRaw<T extends object>(
    m: EntityManager,
    entity: new () => T,
    rows: Array<Record<string, unknown>>,
    common: Record<string, unknown>,
  ): Promise<void> {
    if (!rows.length) return;
    const meta = m.connection.getMetadata(entity);
    const pg = isPostgres(m.connection);
    const props = meta.columns.map((c) => c.propertyName);
    if (!pg) {
      const stmt = this.sqliteStatement(m, `${meta.tableName}|upsert`, () => this.upsertSql(meta));
      const params: unknown[] = new Array(props.length);
      const np = props.length;
      this.inSqliteTransaction(m, () => {
        for (let r = 0; r < rows.length; r++) {
          const row = rows[r];
          for (let i = 0; i < np; i++) {
            let v = row[props[i]];
            if (v === undefined) v = common[props[i]];
            params[i] = typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
          }
          stmt.run(params);
        }
      });
      return;
    }
    const sql = this.unnestUpsertSql(m, meta);
    for (let at = 0; at < rows.length; at += UPSERT_ROWS) {
      const end = Math.min(rows.length, at + UPSERT_ROWS);
      const columns = props.map((p) => {
        const values: unknown[] = new Array(end - at);
        for (let r = at; r < end; r++) {
          let v = rows[r][p];
          if (v === undefined) v = common[p];
          values[r - at] = v ?? null;
        }
        return values;
      });
      await m.query(sql, columns);
    }
  }

  /** PostgreSQL upsert of rows given as one array per column (see upsertRaw). */
  private unnestUpsertSql(m: EntityManager, meta: EntityMetadata): string {
    const key = `${meta.tableName}|unnest`;
    let sql = this.sqlCache.get(key);
    if (sql) return sql;
    const arrays = meta.columns.map((c, i) => `$${i + 1}::${m.connection.driver.normalizeType(c)}[]`);
    sql = upsertStatement(meta, `SELECT * FROM unnest(${arrays.join(', ')})`);
    this.sqlCache.set(key, sql);
    return sql;
  }

  /** The better-sqlite3 handle of the connection (one per data source). */
  private sqliteDb(m: EntityManager): SqliteDatabase {
    return (m.connection.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  }

  private readonly sqliteStatements = new Map<string, { db: SqliteDatabase; stmt: SqliteStatement }>();

  /** A statement prepared once per (key, handle). */
  private sqliteStatement(m: EntityManager, key: string, sql: () => string): SqliteStatement {
    const db = this.sqliteDb(m);
    const cached = this.sqliteStatements.get(key);
    if (cached && cached.db === db) return cached.stmt;
    const stmt = db.prepare(sql());
    this.sqliteStatements.set(key, { db, stmt });
    return stmt;
  }

  /** Runs synchronous raw work inside the open transaction of the connection, or in one of its own. */
  private inSqliteTransaction(m: EntityManager, work: () => void): void {
    const db = this.sqliteDb(m);
    if (db.inTransaction) work();
    else db.transaction(work)();
  }

  private readonly sqlCache = new Map<string, string>();

  /** SQLite's single-row upsert (prepared once per connection). */
  private upsertSql(meta: EntityMetadata): string {
    return upsertStatement(meta, `VALUES (${meta.columns.map(() => '?').join(', ')})`);
  }

  async deleteEvents(m: EntityManager, userId: string, ids: string[]): Promise<number> {
    const removed = await this.deleteRows(m, EventEntity, userId, ids);
    this.rowsWritten += removed;
    return removed;
  }

  /** Deletes rows of one mailbox by id: a prepared single-row DELETE per id on SQLite, `IN` chunks on PostgreSQL. */
  private async deleteRows<T extends { userId: string; id: string }>(m: EntityManager, entity: new () => T, userId: string, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    let removed = 0;
    if (!isPostgres(m.connection)) {
      const table = m.connection.getMetadata(entity).tableName;
      const stmt = this.sqliteStatement(m, `${table}|delete`, () => `DELETE FROM "${table}" WHERE "user_id" = ? AND "id" = ?`);
      this.inSqliteTransaction(m, () => {
        for (const id of ids) removed += stmt.run([userId, id]).changes;
      });
      return removed;
    }
    for (const part of chunks(ids, ID_CHUNK)) {
      const r = await m.getRepository(entity).delete({ userId, id: In(part) } as never);
      removed += r.affected ?? part.length;
    }
    return removed;
  }

  async upsertSeries(m: EntityManager, rows: SeriesRow[], now: number): Promise<number> {
    const updatedAt = toInstant(now);
    await this.upsertRaw(m, SeriesEntity, rows as unknown as Array<Record<string, unknown>>, { updatedAt });
    this.rowsWritten += rows.length;
    return rows.length;
  }

  async deleteSeries(m: EntityManager, userId: string, ids: string[]): Promise<number> {
    const removed = await this.deleteRows(m, SeriesEntity, userId, ids);
    this.rowsWritten += removed;
    return removed;
  }

  /**
   * Series masters no cached occurrence refers to any more: the mailbox's occurrences are read once
   * (an uncorrelated `NOT IN`), not once per master (SQLite has no index on series_master_id).
   */
  async orphanSeriesIds(m: EntityManager, userId: string): Promise<string[]> {
    const rows = await m
      .getRepository(SeriesEntity)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.user_id = :userId', { userId })
      .andWhere('s.id NOT IN (SELECT e.series_master_id FROM sync_events e WHERE e.user_id = :userId AND e.series_master_id IS NOT NULL)')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Series master ids referenced by a mailbox's occurrences that have no cached master. */
  async missingSeriesIds(m: EntityManager, userId: string): Promise<string[]> {
    const rows = await m
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .select('DISTINCT e.series_master_id', 'id')
      .where('e.user_id = :userId AND e.series_master_id IS NOT NULL', { userId })
      .andWhere('NOT EXISTS (SELECT 1 FROM sync_series s WHERE s.user_id = e.user_id AND s.id = e.series_master_id)')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  findEvent(userId: string, id: string): Promise<EventEntity | null> {
    return this.ds.getRepository(EventEntity).findOne({ where: { userId, id } });
  }

  findSeries(userId: string, id: string): Promise<SeriesEntity | null> {
    return this.ds.getRepository(SeriesEntity).findOne({ where: { userId, id } });
  }

  async seriesByIds(userId: string, ids: string[]): Promise<Map<string, SeriesEntity>> {
    const out = new Map<string, SeriesEntity>();
    const reader = rowReader(this.ds, SeriesEntity, 's');
    for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
      const p = new SqlParams(isPostgres(this.ds));
      const sql = `SELECT ${reader.columns} FROM "sync_series" "s" WHERE "s"."user_id" = ${p.add(userId)} AND "s"."id" IN (${part.map((id) => p.add(id)).join(', ')})`;
      for (const r of await this.ds.query<Array<Record<string, unknown>>>(sql, p.values)) {
        const series = reader.read(r);
        out.set(series.id, series);
      }
    }
    return out;
  }

  /**
   * A user's events overlapping [from, to) (not yet ended at `from`), by start then id. Plain SQL
   * through a `RowReader`: the listing is the read API's hottest path, and TypeORM's query builder
   * and hydration cost more CPU than the query.
   */
  async list(q: EventQuery): Promise<EventEntity[]> {
    const p = new SqlParams(isPostgres(this.ds));
    const reader = rowReader(this.ds, EventEntity, 'e');
    const where = [`"e"."user_id" = ${p.add(q.userId)}`, `"e"."end_utc" > ${p.add(q.from)}`];
    if (q.to) where.push(`"e"."start_utc" < ${p.add(q.to)}`);
    for (const t of q.terms) where.push(`"e"."search_text" LIKE ${p.add(likePattern(t))} ESCAPE '\\'`);
    if (q.after) {
      where.push(`("e"."start_utc" > ${p.add(q.after.startUtc)} OR ("e"."start_utc" = ${p.add(q.after.startUtc)} AND "e"."id" > ${p.add(q.after.id)}))`);
    }
    const sql = `SELECT ${reader.columns} FROM "sync_events" "e" WHERE ${where.join(' AND ')} ORDER BY "e"."start_utc" ASC, "e"."id" ASC LIMIT ${p.add(q.limit)}`;
    const rows = await this.ds.query<Array<Record<string, unknown>>>(sql, p.values);
    return rows.map((r) => reader.read(r));
  }

  /**
   * Non-cancelled occurrences organized by their mailbox's user, starting in [from, to). On SQLite
   * there is no tenant-wide start index (migration 1767398400000): `user_id IN (users)` makes it one
   * seek per mailbox in `(user_id, start_utc, id)` (2.7 ms for a 15-minute window over 427k events
   * and 1,000 mailboxes, where a scan took 173 ms), then the rows found are sorted. PostgreSQL keeps
   * its `start_utc` index.
   */
  starting(q: StartingQuery): Promise<EventEntity[]> {
    const qb = this.ds
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.user_id IN (SELECT u.id FROM sync_users u)')
      .andWhere('e.start_utc >= :from AND e.start_utc < :to', { from: q.from, to: q.to })
      .andWhere('e.is_organizer = :yes AND e.is_cancelled = :no', { yes: true, no: false });
    if (q.after) {
      qb.andWhere(
        '(e.start_utc > :as OR (e.start_utc = :as AND (e.user_id > :au OR (e.user_id = :au AND e.id > :aid))))',
        { as: q.after.startUtc, au: q.after.userId, aid: q.after.id },
      );
    }
    return qb.orderBy('e.start_utc', 'ASC').addOrderBy('e.user_id', 'ASC').addOrderBy('e.id', 'ASC').limit(q.limit).getMany();
  }

  /** Office-hours series masters of a user. */
  officeHoursSeries(userId: string): Promise<SeriesEntity[]> {
    return this.ds.getRepository(SeriesEntity).find({ where: { userId, isOfficeHours: true }, order: { startUtc: 'ASC', id: 'ASC' } });
  }

  /** Office-hours occurrences of a user ending after `from`, by start. */
  officeHoursOccurrences(userId: string, from: string): Promise<EventEntity[]> {
    return this.ds
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.user_id = :userId AND e.is_office_hours = :yes AND e.end_utc > :from', { userId, yes: true, from })
      .orderBy('e.start_utc', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(2000)
      .getMany();
  }

  /** Occurrences of one series, by start. */
  firstOccurrencesOf(userId: string, seriesMasterId: string): Promise<EventEntity[]> {
    return this.ds.getRepository(EventEntity).find({ where: { userId, seriesMasterId }, order: { startUtc: 'ASC', id: 'ASC' }, take: 1 });
  }

  countEvents(userId?: string): Promise<number> {
    return this.ds.getRepository(EventEntity).count(userId ? { where: { userId } } : {});
  }
}

/** `INSERT INTO table (every column) <source> ON CONFLICT (primary key) DO UPDATE SET` every other column. */
function upsertStatement(meta: EntityMetadata, source: string): string {
  const names = meta.columns.map((c) => `"${c.databaseName}"`);
  const keys = meta.primaryColumns.map((c) => `"${c.databaseName}"`);
  const updates = meta.columns.filter((c) => !c.isPrimary).map((c) => `"${c.databaseName}" = excluded."${c.databaseName}"`);
  return `INSERT INTO "${meta.tableName}" (${names.join(', ')}) ${source} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}
