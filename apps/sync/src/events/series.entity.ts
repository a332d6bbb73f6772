import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A recurring series' master: its recurrence (form shape source) and office-hours flag. */
@Entity('sync_series')
export class SeriesEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 1024 }) id!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ name: 'body_text', type: 'text' }) bodyText!: string;
  @Column({ type: 'text', nullable: true }) location!: string | null;
  @Column({ name: 'start_time_zone', type: 'varchar', length: 128 }) startTimeZone!: string;
  @Column({ name: 'start_wall', type: 'varchar', length: 32 }) startWall!: string;
  @Column({ name: 'end_time_zone', type: 'varchar', length: 128 }) endTimeZone!: string;
  @Column({ name: 'end_wall', type: 'varchar', length: 32 }) endWall!: string;
  @Column({ name: 'start_utc', type: 'varchar', length: 24 }) startUtc!: string;
  @Column({ name: 'end_utc', type: 'varchar', length: 24 }) endUtc!: string;
  @Column({ name: 'is_all_day', type: 'boolean' }) isAllDay!: boolean;
  /** Graph patternedRecurrence JSON. */
  @Column({ type: 'text', nullable: true }) recurrence!: string | null;
  @Column({ name: 'is_office_hours', type: 'boolean' }) isOfficeHours!: boolean;
  @Column({ name: 'is_organizer', type: 'boolean' }) isOrganizer!: boolean;
  @Column({ name: 'change_key', type: 'varchar', length: 256 }) changeKey!: string;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}
