import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A create made under an `Idempotency-Key`: the Graph transactionId it uses, the request it was
 * for, and, once done, the response given (returned again to a retry).
 */
@Entity('actions_idempotency_keys')
export class IdempotencyKeyEntity {
  /** sha256 hex of (user id, key). */
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id!: string;

  /** Graph id of the user (canonical, whatever spelling the path used). */
  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  /** The client's key as sent. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  /** sha256 hex of the route and the request body: another body under the same key is refused. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  /** The Graph transactionId every attempt of this create sends. */
  @Column({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId!: string;

  /** `pending` until a response was produced, then `completed`. */
  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: 'pending' | 'completed';

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  /** JSON of the response body. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ name: 'event_id', type: 'varchar', length: 1024, nullable: true })
  eventId!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: string;

  /** UTC ISO; after it the key is forgotten. */
  @Index('idx_actions_idempotency_keys_expires')
  @Column({ name: 'expires_at', type: 'varchar', length: 24 })
  expiresAt!: string;
}
