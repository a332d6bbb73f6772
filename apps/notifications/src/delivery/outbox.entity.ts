import { Column, Entity, PrimaryColumn } from 'typeorm';

/** pending: to deliver; sent: the webhook answered 2xx; stored: no webhook configured (feed only); dead: gave up. */
export type OutboxStatus = 'pending' | 'sent' | 'stored' | 'dead';

/** One notification to deliver, written in the transaction that decides its reminder. */
@Entity('notif_outbox')
export class OutboxEntity {
  /** Same id as the reminder and the body's `id`. */
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 128 }) userId!: string;
  @Column({ name: 'user_upn', type: 'varchar', length: 320 }) userUpn!: string;
  @Column({ name: 'user_email', type: 'varchar', length: 320, nullable: true }) userEmail!: string | null;
  /** The exact JSON text POSTed (and signed). */
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'varchar', length: 16 }) status!: OutboxStatus;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: 'varchar', length: 24 }) nextAttemptAt!: string;
  /** NOTIFY_INSTANCE_ID of the process that claimed the row. */
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner!: string | null;
  /** The incarnation (one per process start) of `leaseOwner` holding the lease. */
  @Column({ name: 'lease_token', type: 'varchar', length: 64, nullable: true }) leaseToken!: string | null;
  @Column({ name: 'lease_until', type: 'varchar', length: 24, nullable: true }) leaseUntil!: string | null;
  /** HTTP status of the last attempt (null: none yet, or no answer). */
  @Column({ name: 'last_status', type: 'integer', nullable: true }) lastStatus!: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'due_at', type: 'varchar', length: 24 }) dueAt!: string;
  @Column({ name: 'created_at', type: 'varchar', length: 24 }) createdAt!: string;
  @Column({ name: 'sent_at', type: 'varchar', length: 24, nullable: true }) sentAt!: string | null;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}

/** A webhook endpoint that answered 410 Gone: nothing is sent to it until an operator redelivers. */
@Entity('notif_endpoints')
export class EndpointStateEntity {
  /** sha256 of the URL (the URL itself may carry a token, so it is not stored). */
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @Column({ type: 'varchar', length: 16 }) status!: 'gone';
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'varchar', length: 24 }) since!: string;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}
