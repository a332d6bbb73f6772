import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One browser session (express-session's store), its data as JSON. */
@Entity('web_session')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid!: string;

  @Column({ type: 'text' })
  data!: string;

  @Index()
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  expiresAt!: number;
}
