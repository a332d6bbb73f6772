import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-mailbox sync bookkeeping: the delta link and the window it covers, errors, throttling. */
@Entity('sync_mailbox_state')
export class MailboxStateEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 }) userId!: string;
  @Column({ name: 'delta_link', type: 'text', nullable: true }) deltaLink!: string | null;
  @Column({ name: 'window_start', type: 'varchar', length: 24, nullable: true }) windowStart!: string | null;
  @Column({ name: 'window_end', type: 'varchar', length: 24, nullable: true }) windowEnd!: string | null;
  @Column({ name: 'delta_established_at', type: 'varchar', length: 24, nullable: true }) deltaEstablishedAt!: string | null;
  @Column({ name: 'last_full_sync_at', type: 'varchar', length: 24, nullable: true }) lastFullSyncAt!: string | null;
  @Column({ name: 'last_delta_sync_at', type: 'varchar', length: 24, nullable: true }) lastDeltaSyncAt!: string | null;
  @Column({ name: 'has_calendar', type: 'boolean', default: true }) hasCalendar!: boolean;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'last_error_at', type: 'varchar', length: 24, nullable: true }) lastErrorAt!: string | null;
  @Column({ name: 'throttled_until', type: 'varchar', length: 24, nullable: true }) throttledUntil!: string | null;
}
