import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const INSTANT = { type: 'varchar', length: '24' } as const;

/**
 * Change-notification subscriptions, one per mailbox (`sync_subscriptions`). No foreign key to the
 * users: a departed user's row must outlive the user until its Graph subscription is deleted.
 */
export class SyncSubscriptions1767571200000 implements MigrationInterface {
  name = 'SyncSubscriptions1767571200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sync_subscriptions',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'subscription_id', type: 'varchar', length: '64' },
          { name: 'client_state_hash', type: 'varchar', length: '64' },
          { name: 'expires_at', ...INSTANT },
          { name: 'created_at', ...INSTANT },
          { name: 'renewed_at', ...INSTANT, isNullable: true },
          { name: 'last_notification_at', ...INSTANT, isNullable: true },
          { name: 'last_lifecycle_event', type: 'varchar', length: '32', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_sync_subscriptions_id', columnNames: ['subscription_id'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sync_subscriptions');
  }
}
