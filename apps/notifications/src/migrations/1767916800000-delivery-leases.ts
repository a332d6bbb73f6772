import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * Delivery leases with an incarnation token (a restarted process takes over its own claims), the
 * last HTTP status of each delivery, and the state of webhook endpoints (410 Gone disables one).
 */
export class DeliveryLeases1767916800000 implements MigrationInterface {
  name = 'DeliveryLeases1767916800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('notif_outbox', [
      new TableColumn({ name: 'lease_token', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'last_status', type: 'integer', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'notif_endpoints',
        columns: [
          { name: 'key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'since', type: 'varchar', length: '24' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('notif_endpoints', true);
    await q.dropColumn('notif_outbox', 'last_status');
    await q.dropColumn('notif_outbox', 'lease_token');
  }
}
