import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One user's partition of the MSAL token cache (the serialized cache holding only that user's
 * account), sealed with AES-256-GCM, plus what the connection routes report.
 */
@Entity('auth_user_tokens')
export class TokenCacheEntity {
  /** Graph user id (the account's oid). */
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'user_principal_name', type: 'varchar', length: 320 })
  userPrincipalName!: string;

  /** Lower-cased UPN, for lookups by UPN. */
  @Index('idx_auth_user_tokens_upn')
  @Column({ name: 'upn_lower', type: 'varchar', length: 320 })
  upnLower!: string;

  /** MSAL home account id (`oid.tid`). */
  @Column({ name: 'home_account_id', type: 'varchar', length: 160, nullable: true })
  homeAccountId!: string | null;

  /** Sealed serialized MSAL cache; null once forgotten or disconnected. */
  @Column({ name: 'cache_data', type: 'text', nullable: true })
  cacheData!: string | null;

  @Column({ name: 'key_id', type: 'varchar', length: 64, nullable: true })
  keyId!: string | null;

  /** Optimistic concurrency: every write names the version it read. */
  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'connected', type: 'boolean' })
  connected!: boolean;

  /** Space-separated granted scopes. */
  @Column({ name: 'scopes', type: 'text' })
  scopes!: string;

  /** Access token expiry (UTC ISO). */
  @Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true })
  expiresAt!: string | null;

  @Column({ name: 'disconnected_reason', type: 'text', nullable: true })
  disconnectedReason!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt!: string;
}
