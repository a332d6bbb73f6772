import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const ID = { type: 'varchar', length: '1024' } as const;
const USER_ID = { type: 'varchar', length: '64' } as const;
const INSTANT = { type: 'varchar', length: '24' } as const;

/**
 * The calendar cache: users, event occurrences, series masters, per-mailbox sync state and sync
 * runs. Portable `Table` API (one set for SQLite and PostgreSQL); instants are UTC ISO strings.
 */
export class SyncSchema1767225600000 implements MigrationInterface {
  name = 'SyncSchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sync_users',
        columns: [
          { name: 'id', ...USER_ID, isPrimary: true },
          { name: 'user_principal_name', type: 'varchar', length: '320' },
          { name: 'upn_lower', type: 'varchar', length: '320' },
          { name: 'mail', type: 'varchar', length: '320', isNullable: true },
          { name: 'mail_lower', type: 'varchar', length: '320', isNullable: true },
          { name: 'display_name', type: 'varchar', length: '256', isNullable: true },
          { name: 'updated_at', ...INSTANT },
        ],
        indices: [
          new TableIndex({ name: 'ix_sync_users_upn', columnNames: ['upn_lower'], isUnique: true }),
          new TableIndex({ name: 'ix_sync_users_mail', columnNames: ['mail_lower'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sync_events',
        columns: [
          { name: 'user_id', ...USER_ID, isPrimary: true },
          { name: 'id', ...ID, isPrimary: true },
          { name: 'series_master_id', ...ID, isNullable: true },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'subject', type: 'text' },
          { name: 'body_text', type: 'text' },
          { name: 'location', type: 'text', isNullable: true },
          { name: 'attendees', type: 'text' },
          { name: 'organizer_name', type: 'text', isNullable: true },
          { name: 'organizer_email', type: 'varchar', length: '320', isNullable: true },
          { name: 'is_organizer', type: 'boolean' },
          { name: 'join_url', type: 'text', isNullable: true },
          { name: 'web_link', type: 'text', isNullable: true },
          { name: 'categories', type: 'text' },
          { name: 'start_time_zone', type: 'varchar', length: '128' },
          { name: 'start_wall', type: 'varchar', length: '32' },
          { name: 'end_time_zone', type: 'varchar', length: '128' },
          { name: 'end_wall', type: 'varchar', length: '32' },
          { name: 'start_utc', ...INSTANT },
          { name: 'end_utc', ...INSTANT },
          { name: 'is_all_day', type: 'boolean' },
          { name: 'is_cancelled', type: 'boolean' },
          { name: 'is_office_hours', type: 'boolean' },
          { name: 'change_key', type: 'varchar', length: '256' },
          { name: 'search_text', type: 'text' },
          { name: 'updated_at', ...INSTANT },
        ],
        indices: [
          // upcoming events of a user, cursor-paged by (start_utc, id)
          new TableIndex({ name: 'ix_sync_events_user_start', columnNames: ['user_id', 'start_utc', 'id'] }),
          // events starting in [from, to) across all mailboxes (reminders)
          new TableIndex({ name: 'ix_sync_events_start', columnNames: ['start_utc', 'user_id', 'id'] }),
          // occurrences of a series (office hours, detail)
          new TableIndex({ name: 'ix_sync_events_series', columnNames: ['user_id', 'series_master_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'sync_users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sync_series',
        columns: [
          { name: 'user_id', ...USER_ID, isPrimary: true },
          { name: 'id', ...ID, isPrimary: true },
          { name: 'subject', type: 'text' },
          { name: 'body_text', type: 'text' },
          { name: 'location', type: 'text', isNullable: true },
          { name: 'start_time_zone', type: 'varchar', length: '128' },
          { name: 'start_wall', type: 'varchar', length: '32' },
          { name: 'end_time_zone', type: 'varchar', length: '128' },
          { name: 'end_wall', type: 'varchar', length: '32' },
          { name: 'start_utc', ...INSTANT },
          { name: 'end_utc', ...INSTANT },
          { name: 'is_all_day', type: 'boolean' },
          { name: 'recurrence', type: 'text', isNullable: true },
          { name: 'is_office_hours', type: 'boolean' },
          { name: 'is_organizer', type: 'boolean' },
          { name: 'change_key', type: 'varchar', length: '256' },
          { name: 'updated_at', ...INSTANT },
        ],
        indices: [new TableIndex({ name: 'ix_sync_series_office_hours', columnNames: ['user_id', 'is_office_hours'] })],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'sync_users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sync_mailbox_state',
        columns: [
          { name: 'user_id', ...USER_ID, isPrimary: true },
          { name: 'delta_link', type: 'text', isNullable: true },
          { name: 'window_start', ...INSTANT, isNullable: true },
          { name: 'window_end', ...INSTANT, isNullable: true },
          { name: 'delta_established_at', ...INSTANT, isNullable: true },
          { name: 'last_full_sync_at', ...INSTANT, isNullable: true },
          { name: 'last_delta_sync_at', ...INSTANT, isNullable: true },
          { name: 'has_calendar', type: 'boolean', default: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'last_error_at', ...INSTANT, isNullable: true },
          { name: 'throttled_until', ...INSTANT, isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'sync_users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sync_runs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'users_total', type: 'integer', default: 0 },
          { name: 'users_done', type: 'integer', default: 0 },
          { name: 'events_upserted', type: 'integer', default: 0 },
          { name: 'events_removed', type: 'integer', default: 0 },
          { name: 'graph_requests', type: 'integer', default: 0 },
          { name: 'mailboxes_failed', type: 'integer', default: 0 },
          { name: 'mailboxes_skipped', type: 'integer', default: 0 },
          { name: 'failures', type: 'text', isNullable: true },
          { name: 'started_at', ...INSTANT },
          { name: 'finished_at', ...INSTANT, isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_sync_runs_status', columnNames: ['status', 'kind'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sync_runs', 'sync_mailbox_state', 'sync_series', 'sync_events', 'sync_users']) await q.dropTable(t);
  }
}
