import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { isPostgres, toInstant } from '@ocb/persistence';
import { EventEntity } from './event.entity';
import type { EventRow, SeriesRow } from './event-mapper';
import { SeriesEntity } from './series.entity';
import { likePattern } from './search';

/** Bound parameters per statement (SQLite allows 32,766; PostgreSQL 65,535). */
const UPSERT_PARAMS = 16_000;
const ID_CHUNK = 500;

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
export class EventsRepository {
  /** Rows inserted, updated or deleted since start (tests and the benchmark read it). */
  rowsWritten = 0;

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** id -> changeKey of a mailbox's cached occurrences (all, or just `ids`). */
  async changeKeys(userId: string, ids?: string[], m: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const repo = m.getRepository(EventEntity);
    if (ids === undefined) {
      const rows = await repo.find({ select: { id: true, changeKey: true }, where: { userId } });
      for (const r of rows) out.set(r.id, r.changeKey);
      return out;
    }
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await repo.find({ select: { id: true, changeKey: true }, where: { userId, id: In(part) } });
      for (const r of rows) out.set(r.id, r.changeKey);
    }
    return out;
  }

  async seriesChangeKeys(userId: string, m: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    const rows = await m.getRepository(SeriesEntity).find({ select: { id: true, changeKey: true }, where: { userId } });
    return new Map(rows.map((r) => [r.id, r.changeKey]));
  }

  async upsertEvents(m: EntityManager, rows: EventRow[], now: number): Promise<number> {
    const updatedAt = toInstant(now);
    await this.upsertRaw(m, EventEntity, rows.map((r) => ({ ...r, updatedAt })));
    this.rowsWritten += rows.length;
    return rows.length;
  }

  /**
   * Multi-row `INSERT ... ON CONFLICT (primary key) DO UPDATE` (same SQL on SQLite and PostgreSQL),
   * built once per chunk from the entity's column metadata: the hot path of a full sync.
   */
  private async upsertRaw<T extends object>(m: EntityManager, entity: new () => T, rows: Array<Record<string, unknown>>): Promise<void> {
    if (!rows.length) return;
    const meta = m.connection.getMetadata(entity);
    const pg = isPostgres(m.connection);
    const columns = meta.columns;
    const names = columns.map((c) => `"${c.databaseName}"`);
    const keys = meta.primaryColumns.map((c) => `"${c.databaseName}"`);
    const updates = columns.filter((c) => !c.isPrimary).map((c) => `"${c.databaseName}" = excluded."${c.databaseName}"`);
    const perChunk = Math.max(1, Math.floor(UPSERT_PARAMS / columns.length));
    for (const part of chunks(rows, perChunk)) {
      const params: unknown[] = [];
      const tuples = part.map((row) => {
        const marks = columns.map((c) => {
          const v = row[c.propertyName];
          params.push(typeof v === 'boolean' && !pg ? (v ? 1 : 0) : (v ?? null));
          return pg ? `$${params.length}` : '?';
        });
        return `(${marks.join(', ')})`;
      });
      await m.query(
        `INSERT INTO "${meta.tableName}" (${names.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
        params,
      );
    }
  }

  async deleteEvents(m: EntityManager, userId: string, ids: string[]): Promise<number> {
    let removed = 0;
    for (const part of chunks(ids, ID_CHUNK)) {
      const r = await m.getRepository(EventEntity).delete({ userId, id: In(part) });
      removed += r.affected ?? part.length;
    }
    this.rowsWritten += removed;
    return removed;
  }

  async upsertSeries(m: EntityManager, rows: SeriesRow[], now: number): Promise<number> {
    const updatedAt = toInstant(now);
    await this.upsertRaw(m, SeriesEntity, rows.map((r) => ({ ...r, updatedAt })));
    this.rowsWritten += rows.length;
    return rows.length;
  }

  async deleteSeries(m: EntityManager, userId: string, ids: string[]): Promise<number> {
    let removed = 0;
    for (const part of chunks(ids, ID_CHUNK)) {
      const r = await m.getRepository(SeriesEntity).delete({ userId, id: In(part) });
      removed += r.affected ?? part.length;
    }
    this.rowsWritten += removed;
    return removed;
  }

  /** Series masters no cached occurrence refers to any more. */
  async orphanSeriesIds(m: EntityManager, userId: string): Promise<string[]> {
    const rows = await m
      .getRepository(SeriesEntity)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.user_id = :userId', { userId })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM sync_events e WHERE e.user_id = s.user_id AND e.series_master_id = s.id)',
      )
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
    for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
      const rows = await this.ds.getRepository(SeriesEntity).find({ where: { userId, id: In(part) } });
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }

  /** A user's events overlapping [from, to) (not yet ended at `from`), by start then id. */
  list(q: EventQuery): Promise<EventEntity[]> {
    const qb = this.ds
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.user_id = :userId', { userId: q.userId })
      .andWhere('e.end_utc > :from', { from: q.from });
    if (q.to) qb.andWhere('e.start_utc < :to', { to: q.to });
    q.terms.forEach((t, i) => qb.andWhere(`e.search_text LIKE :t${i} ESCAPE '\\'`, { [`t${i}`]: likePattern(t) }));
    if (q.after) {
      qb.andWhere('(e.start_utc > :as OR (e.start_utc = :as AND e.id > :aid))', { as: q.after.startUtc, aid: q.after.id });
    }
    return qb.orderBy('e.start_utc', 'ASC').addOrderBy('e.id', 'ASC').limit(q.limit).getMany();
  }

  /** Non-cancelled occurrences organized by their mailbox's user, starting in [from, to). */
  starting(q: StartingQuery): Promise<EventEntity[]> {
    const qb = this.ds
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.start_utc >= :from AND e.start_utc < :to', { from: q.from, to: q.to })
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
