import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The tenant-wide index for `events/starting` on `start_utc` alone (was start_utc, user_id, id).
 * Its entries are a fifth of the size: a full sync inserts ~430k rows at random places of this
 * index, and with the wide entries nearly every leaf page was rewritten at every commit. The
 * query still walks the index by start time and sorts only the ties by (user_id, id).
 */
export class SyncStartIndex1767312000000 implements MigrationInterface {
  name = 'SyncStartIndex1767312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('sync_events', 'ix_sync_events_start');
    await q.createIndex('sync_events', new TableIndex({ name: 'ix_sync_events_start_utc', columnNames: ['start_utc'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('sync_events', 'ix_sync_events_start_utc');
    await q.createIndex('sync_events', new TableIndex({ name: 'ix_sync_events_start', columnNames: ['start_utc', 'user_id', 'id'] }));
  }
}
