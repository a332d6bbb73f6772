import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * SQLite: drops `(user_id, series_master_id)` on the events. Its only heavy reader was the
 * per-mailbox orphan-series check, which now reads the mailbox's occurrences once
 * (`NOT IN (SELECT series_master_id ...)`, see EventsRepository.orphanSeriesIds); the first
 * occurrence of a series walks `(user_id, start_utc, id)`. Keeping it up to date was ~15 % of a
 * full sync's insert time (430k entries), on the service's own thread. PostgreSQL keeps it.
 */
export class SyncDropSeriesIndex1767484800000 implements MigrationInterface {
  name = 'SyncDropSeriesIndex1767484800000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.dropIndex('sync_events', 'ix_sync_events_series');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.createIndex('sync_events', new TableIndex({ name: 'ix_sync_events_series', columnNames: ['user_id', 'series_master_id'] }));
  }
}
