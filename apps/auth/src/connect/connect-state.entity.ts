import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A pending connect: one-use `state`, bound to the user, the PKCE verifier and the return URL. */
@Entity('auth_connect_states')
export class ConnectStateEntity {
  /** SHA-256 of the state value (the value itself only travels in the browser). */
  @PrimaryColumn({ name: 'state_hash', type: 'varchar', length: 64 })
  stateHash!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'user_principal_name', type: 'varchar', length: 320 })
  userPrincipalName!: string;

  /** Sealed PKCE code verifier. */
  @Column({ name: 'code_verifier', type: 'text' })
  codeVerifier!: string;

  @Column({ name: 'key_id', type: 'varchar', length: 64 })
  keyId!: string;

  @Column({ name: 'nonce', type: 'varchar', length: 128 })
  nonce!: string;

  @Column({ name: 'return_url', type: 'text', nullable: true })
  returnUrl!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt!: string;

  @Index('idx_auth_connect_states_expires')
  @Column({ name: 'expires_at', type: 'varchar', length: 24 })
  expiresAt!: string;

  @Column({ name: 'used_at', type: 'varchar', length: 24, nullable: true })
  usedAt!: string | null;
}
