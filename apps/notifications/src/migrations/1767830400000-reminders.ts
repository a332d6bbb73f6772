import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Reminder ledger, delivery outbox and planner state (portable Table API: SQLite and PostgreSQL).
 * Instants are fixed-width UTC ISO strings (varchar 24), so text order is time order.
 */
export class Reminders1767830400000 implements MigrationInterface {
  name = 'Reminders1767830400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notif_reminders',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '512' },
          { name: 'start_utc', type: 'varchar', length: '24' },
          { name: 'due_at', type: 'varchar', length: '24' },
          { name: 'user_id', type: 'varchar', length: '128' },
          { name: 'user_upn', type: 'varchar', length: '320' },
          { name: 'user_email', type: 'varchar', length: '320', isNullable: true },
          { name: 'snapshot', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'reason', type: 'varchar', length: '32', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'decided_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
      true,
    );
    await q.createIndex(
      'notif_reminders',
      new TableIndex({ name: 'uq_notif_reminders_event_start', columnNames: ['event_id', 'start_utc'], isUnique: true }),
    );
    await q.createIndex('notif_reminders', new TableIndex({ name: 'idx_notif_reminders_status_due', columnNames: ['status', 'due_at'] }));

    await q.createTable(
      new Table({
        name: 'notif_outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '128' },
          { name: 'user_upn', type: 'varchar', length: '320' },
          { name: 'user_email', type: 'varchar', length: '320', isNullable: true },
          { name: 'body', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: 'varchar', length: '24' },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_until', type: 'varchar', length: '24', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'due_at', type: 'varchar', length: '24' },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'sent_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
      true,
    );
    await q.createIndex('notif_outbox', new TableIndex({ name: 'idx_notif_outbox_status_next', columnNames: ['status', 'next_attempt_at'] }));
    await q.createIndex('notif_outbox', new TableIndex({ name: 'idx_notif_outbox_user', columnNames: ['user_id', 'due_at'] }));
    await q.createIndex('notif_outbox', new TableIndex({ name: 'idx_notif_outbox_upn', columnNames: ['user_upn', 'due_at'] }));

    await q.createTable(
      new Table({
        name: 'notif_planner_state',
        columns: [
          { name: 'key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'varchar', length: '64' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('notif_planner_state', true);
    await q.dropTable('notif_outbox', true);
    await q.dropTable('notif_reminders', true);
  }
}
