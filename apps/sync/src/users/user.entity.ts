import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant user whose mailbox the cache mirrors. */
@Entity('sync_users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'user_principal_name', type: 'varchar', length: 320 }) userPrincipalName!: string;
  @Column({ name: 'upn_lower', type: 'varchar', length: 320 }) upnLower!: string;
  @Column({ type: 'varchar', length: 320, nullable: true }) mail!: string | null;
  @Column({ name: 'mail_lower', type: 'varchar', length: 320, nullable: true }) mailLower!: string | null;
  @Column({ name: 'display_name', type: 'varchar', length: 256, nullable: true }) displayName!: string | null;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}
