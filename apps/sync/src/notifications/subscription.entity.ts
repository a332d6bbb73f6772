import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A mailbox's Graph change-notification subscription. The clientState secret is kept only as its
 * SHA-256 (hex): a notification is believed when its clientState hashes to this.
 */
@Entity('sync_subscriptions')
export class SubscriptionEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 }) userId!: string;
  @Column({ name: 'subscription_id', type: 'varchar', length: 64 }) subscriptionId!: string;
  @Column({ name: 'client_state_hash', type: 'varchar', length: 64 }) clientStateHash!: string;
  @Column({ name: 'expires_at', type: 'varchar', length: 24 }) expiresAt!: string;
  @Column({ name: 'created_at', type: 'varchar', length: 24 }) createdAt!: string;
  @Column({ name: 'renewed_at', type: 'varchar', length: 24, nullable: true }) renewedAt!: string | null;
  @Column({ name: 'last_notification_at', type: 'varchar', length: 24, nullable: true }) lastNotificationAt!: string | null;
  @Column({ name: 'last_lifecycle_event', type: 'varchar', length: 32, nullable: true }) lastLifecycleEvent!: string | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
}
