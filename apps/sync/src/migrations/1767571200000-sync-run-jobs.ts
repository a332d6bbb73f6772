import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Runs split into queue jobs (REDIS_URL set: BullMQ): `sync_run_jobs` holds each job's figures, a
 * run's progress being their sum (readable from any replica); a partial unique index on
 * `sync_runs (kind) WHERE status = 'running'` makes "one run of a kind at a time" hold across
 * replicas (the database refuses the second, not one process's memory). Runs left `running` by a
 * stopped process are failed first, as the service did at start.
 */
export class SyncRunJobs1767571200000 implements MigrationInterface {
  name = 'SyncRunJobs1767571200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE sync_runs SET status = 'failed', error = 'interrupted: the service stopped during the run' WHERE status = 'running'`);
    await q.createIndex('sync_runs', new TableIndex({ name: 'ux_sync_runs_running', columnNames: ['kind'], isUnique: true, where: `status = 'running'` }));
    await q.createTable(
      new Table({
        name: 'sync_run_jobs',
        columns: [
          { name: 'run_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'job_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'users_done', type: 'integer', default: 0 },
          { name: 'events_upserted', type: 'integer', default: 0 },
          { name: 'events_removed', type: 'integer', default: 0 },
          { name: 'graph_requests', type: 'integer', default: 0 },
          { name: 'mailboxes_failed', type: 'integer', default: 0 },
          { name: 'mailboxes_skipped', type: 'integer', default: 0 },
          { name: 'failures', type: 'text', isNullable: true },
          { name: 'worker', type: 'varchar', length: '128', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sync_run_jobs');
    await q.dropIndex('sync_runs', 'ux_sync_runs_running');
  }
}
