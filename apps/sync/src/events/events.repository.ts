import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  BulkWriter,
  chunks,
  ID_CHUNK,
  isPostgres,
  PreparedReads,
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
import type { EventDetailSource } from './event-detail';
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

/** An event of a listing page: what EventDetail shows, with its series master's part. */
export type ListedEvent = EventDetailSource & {
  /** The master's recurrence (Graph JSON), null without a series or a cached master. */
  seriesRecurrence: string | null;
  /** The master's office-hours flag, null without a series or a cached master. */
  seriesIsOfficeHours: boolean | null;
};

/** The columns of a listed event (`ListedEvent`'s, snake case), then of its series master. */
const LISTED_EVENT_COLUMNS = [
  'id',
  'series_master_id',
  'type',
  'subject',
  'body_text',
  'location',
  'attendees',
  'organizer_name',
  'organizer_email',
  'is_organizer',
  'join_url',
  'web_link',
  'start_time_zone',
  'start_wall',
  'end_time_zone',
  'end_wall',
  'start_utc',
  'end_utc',
  'is_all_day',
  'is_cancelled',
  'is_office_hours',
] as const;
const LISTED_COLUMNS = [
  ...LISTED_EVENT_COLUMNS.map((c) => `"e"."${c}" AS "${c}"`),
  `"s"."recurrence" AS "s_recurrence"`,
  `"s"."is_office_hours" AS "s_is_office_hours"`,
].join(', ');

/** SQLite answers booleans as 0/1, PostgreSQL as booleans. */
const bool = (v: unknown): boolean => v === true || v === 1;
const text = (v: unknown): string => v as string;
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

/** A listed event from its row (LISTED_COLUMNS' order). */
function listedEvent(r: unknown[]): ListedEvent {
  const [
    id,
    seriesMasterId,
    type,
    subject,
    bodyText,
    location,
    attendees,
    organizerName,
    organizerEmail,
    isOrganizer,
    joinUrl,
    webLink,
    startTimeZone,
    startWall,
    endTimeZone,
    endWall,
    startUtc,
    endUtc,
    isAllDay,
    isCancelled,
    isOfficeHours,
    seriesRecurrence,
    seriesIsOfficeHours,
  ] = r;
  return {
    id: text(id),
    seriesMasterId: textOrNull(seriesMasterId),
    type: text(type),
    subject: text(subject),
    bodyText: text(bodyText),
    location: textOrNull(location),
    attendees: text(attendees),
    organizerName: textOrNull(organizerName),
    organizerEmail: textOrNull(organizerEmail),
    isOrganizer: bool(isOrganizer),
    joinUrl: textOrNull(joinUrl),
    webLink: textOrNull(webLink),
    startTimeZone: text(startTimeZone),
    startWall: text(startWall),
    endTimeZone: text(endTimeZone),
    endWall: text(endWall),
    startUtc: text(startUtc),
    endUtc: text(endUtc),
    isAllDay: bool(isAllDay),
    isCancelled: bool(isCancelled),
    isOfficeHours: bool(isOfficeHours),
    seriesRecurrence: textOrNull(seriesRecurrence),
    seriesIsOfficeHours: seriesIsOfficeHours === null || seriesIsOfficeHours === undefined ? null : bool(seriesIsOfficeHours),
  };
}

/** The statement of a listing page (`EventsRepository.list`; the plan spec explains it). */
export function listStatement(q: EventQuery, postgres: boolean): { sql: string; params: unknown[] } {
  const p = new SqlParams(postgres);
  const where = [`"e"."user_id" = ${p.add(q.userId)}`, `"e"."end_utc" > ${p.add(q.from)}`];
  if (q.to) where.push(`"e"."start_utc" < ${p.add(q.to)}`);
  for (const t of q.terms) where.push(`"e"."search_text" LIKE ${p.add(likePattern(t))} ESCAPE '\\'`);
  if (q.after) {
    where.push(`("e"."start_utc" > ${p.add(q.after.startUtc)} OR ("e"."start_utc" = ${p.add(q.after.startUtc)} AND "e"."id" > ${p.add(q.after.id)}))`);
  }
  const sql =
    `SELECT ${LISTED_COLUMNS} FROM "sync_events" "e" ` +
    `LEFT JOIN "sync_series" "s" ON "s"."user_id" = "e"."user_id" AND "s"."id" = "e"."series_master_id" ` +
    `WHERE ${where.join(' AND ')} ORDER BY "e"."start_utc" ASC, "e"."id" ASC LIMIT ${p.add(q.limit)}`;
  return { sql, params: p.values };
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
  ) {
    this.reads = new PreparedReads(ds);
  }

  private readonly logger = new Logger(EventsRepository.name);
  private checkpointer: SqliteCheckpointer | null = null;
  private readonly bulk = new BulkWriter();
  private readonly reads: PreparedReads;

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
   * A user's events overlapping [from, to) (not yet ended at `from`), by start then id, each with
   * its series master's recurrence and office-hours flag: one statement per page (the masters are
   * joined, not fetched by a second query). Plain SQL selecting only what the contract's
   * EventDetail shows (not the search text, categories, change key), prepared and read as arrays
   * (`PreparedReads`): the listing and the search are the read API's hottest path. The plan walks `(user_id, start_utc, id)` from the user's
   * first event and stops at the page's end (see the EXPLAIN spec in events.spec.ts).
   */
  async list(q: EventQuery): Promise<ListedEvent[]> {
    const { sql, params } = listStatement(q, isPostgres(this.ds));
    return (await this.reads.rows(sql, params)).map(listedEvent);
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
