import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * SQLite: drops the tenant-wide `start_utc` index. A full sync inserted ~430k entries at random
 * places of it, dirtying most of its leaf pages in every commit, on the service's own thread: it
 * cost about as much as the table and the primary key together. `events/starting` seeks each
 * mailbox's events in `(user_id, start_utc, id)` instead (one seek per mailbox; see
 * EventsRepository.starting). PostgreSQL keeps the index (its writes do not run in the service).
 */
export class SyncDropStartIndex1767398400000 implements MigrationInterface {
  name = 'SyncDropStartIndex1767398400000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.dropIndex('sync_events', 'ix_sync_events_start_utc');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.createIndex('sync_events', new TableIndex({ name: 'ix_sync_events_start_utc', columnNames: ['start_utc'] }));
  }
}
