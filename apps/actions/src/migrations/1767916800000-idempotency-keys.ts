import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Idempotency keys of creates (portable Table API: SQLite and PostgreSQL). */
export class IdempotencyKeys1767916800000 implements MigrationInterface {
  name = 'IdempotencyKeys1767916800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'actions_idempotency_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'idempotency_key', type: 'varchar', length: '255' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'transaction_id', type: 'varchar', length: '64' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'event_id', type: 'varchar', length: '1024', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
        ],
      }),
      true,
    );
    await q.createIndex('actions_idempotency_keys', new TableIndex({ name: 'idx_actions_idempotency_keys_expires', columnNames: ['expires_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('actions_idempotency_keys', true);
  }
}
