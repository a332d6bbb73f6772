import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Ledger status of one reminder (one per event occurrence and start instant):
 * - planned: seen in sync's cache, waiting for its due time;
 * - queued:  decided at due time, an outbox row awaits delivery to the webhook;
 * - sent / stored / dead: delivered (2xx), kept for the feed only (no webhook), dead-lettered;
 * - void:    dropped before delivery (reason: deleted | cancelled | moved | not_organizer);
 * - missed:  fell due while the service was down and its event had already started.
 */
export type ReminderStatus = 'planned' | 'queued' | 'sent' | 'stored' | 'dead' | 'void' | 'missed';

@Entity('notif_reminders')
export class ReminderEntity {
  /** Deterministic from (event id, start UTC): the notification id the receiver dedupes on. */
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'event_id', type: 'varchar', length: 512 }) eventId!: string;
  @Column({ name: 'start_utc', type: 'varchar', length: 24 }) startUtc!: string;
  @Column({ name: 'due_at', type: 'varchar', length: 24 }) dueAt!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 128 }) userId!: string;
  /** Lower-cased user principal name. */
  @Column({ name: 'user_upn', type: 'varchar', length: 320 }) userUpn!: string;
  @Column({ name: 'user_email', type: 'varchar', length: 320, nullable: true }) userEmail!: string | null;
  /** JSON of the event part of the body as last seen (used when sync cannot be asked at due time). */
  @Column({ type: 'text' }) snapshot!: string;
  @Column({ type: 'varchar', length: 16 }) status!: ReminderStatus;
  @Column({ type: 'varchar', length: 32, nullable: true }) reason!: string | null;
  @Column({ name: 'created_at', type: 'varchar', length: 24 }) createdAt!: string;
  @Column({ name: 'decided_at', type: 'varchar', length: 24, nullable: true }) decidedAt!: string | null;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}

@Entity('notif_planner_state')
export class PlannerStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @Column({ type: 'varchar', length: 64 }) value!: string;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}
