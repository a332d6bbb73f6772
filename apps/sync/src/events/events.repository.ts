import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  BulkWriter,
  chunks,
  ID_CHUNK,
  isPostgres,
  rowReader,
  SqliteCheckpointer,
  SqlParams,
  toInstant,
  tuneSqlite,
  writeTransaction,
} from '@ocb/persistence';
import { APP_CONFIG } from '@ocb/config';
import type { SyncConfig } from '../config/sync.config';
import { EventEntity } from './event.entity';
import type { EventRow, SeriesRow } from './event-mapper';
import { SeriesEntity } from './series.entity';
import { likePattern } from './search';

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

/**
 * Events and series masters of the cache. Every write of a mailbox happens in one transaction,
 * and only rows whose changeKey differs are written.
 */
@Injectable()
export class EventsRepository implements OnModuleInit, OnModuleDestroy {
  /** Rows inserted, updated or deleted since start (tests and the benchmark read it). */
  rowsWritten = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<SyncConfig, 'SYNC_SQLITE_CACHE_KIB'>,
  ) {}

  private readonly logger = new Logger(EventsRepository.name);
  private checkpointer: SqliteCheckpointer | null = null;
  private readonly bulk = new BulkWriter();

  /** SQLite: a page cache of SYNC_SQLITE_CACHE_KIB and WAL checkpoints on a worker thread (`tuneSqlite`). */
  async onModuleInit(): Promise<void> {
    this.checkpointer = await tuneSqlite(this.ds, {
      cacheKib: this.config.SYNC_SQLITE_CACHE_KIB,
      walAutocheckpointPages: SQLITE_WAL_CHECKPOINT_PAGES,
      checkpointIntervalMs: SQLITE_CHECKPOINT_INTERVAL_MS,
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
    return writeTransaction(this.ds, work);
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
    await this.bulk.upsert(m, EventEntity, rows as unknown as Array<Record<string, unknown>>, { updatedAt });
    this.rowsWritten += rows.length;
    return rows.length;
  }

  async deleteEvents(m: EntityManager, userId: string, ids: string[]): Promise<number> {
    const removed = await this.bulk.deleteByIds(m, EventEntity, userId, ids);
    this.rowsWritten += removed;
    return removed;
  }

  async upsertSeries(m: EntityManager, rows: SeriesRow[], now: number): Promise<number> {
    const updatedAt = toInstant(now);
    await this.bulk.upsert(m, SeriesEntity, rows as unknown as Array<Record<string, unknown>>, { updatedAt });
    this.rowsWritten += rows.length;
    return rows.length;
  }

  async deleteSeries(m: EntityManager, userId: string, ids: string[]): Promise<number> {
    const removed = await this.bulk.deleteByIds(m, SeriesEntity, userId, ids);
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
