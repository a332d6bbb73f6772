import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One calendarView item of a mailbox: a single event, an occurrence or an exception. */
@Entity('sync_events')
export class EventEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 1024 }) id!: string;
  @Column({ name: 'series_master_id', type: 'varchar', length: 1024, nullable: true }) seriesMasterId!: string | null;
  @Column({ type: 'varchar', length: 16 }) type!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ name: 'body_text', type: 'text' }) bodyText!: string;
  @Column({ type: 'text', nullable: true }) location!: string | null;
  /** JSON: [{ name, email, type, response }]. */
  @Column({ type: 'text' }) attendees!: string;
  @Column({ name: 'organizer_name', type: 'text', nullable: true }) organizerName!: string | null;
  @Column({ name: 'organizer_email', type: 'varchar', length: 320, nullable: true }) organizerEmail!: string | null;
  @Column({ name: 'is_organizer', type: 'boolean' }) isOrganizer!: boolean;
  @Column({ name: 'join_url', type: 'text', nullable: true }) joinUrl!: string | null;
  @Column({ name: 'web_link', type: 'text', nullable: true }) webLink!: string | null;
  /** JSON string array. */
  @Column({ type: 'text' }) categories!: string;
  @Column({ name: 'start_time_zone', type: 'varchar', length: 128 }) startTimeZone!: string;
  @Column({ name: 'start_wall', type: 'varchar', length: 32 }) startWall!: string;
  @Column({ name: 'end_time_zone', type: 'varchar', length: 128 }) endTimeZone!: string;
  @Column({ name: 'end_wall', type: 'varchar', length: 32 }) endWall!: string;
  @Column({ name: 'start_utc', type: 'varchar', length: 24 }) startUtc!: string;
  @Column({ name: 'end_utc', type: 'varchar', length: 24 }) endUtc!: string;
  @Column({ name: 'is_all_day', type: 'boolean' }) isAllDay!: boolean;
  @Column({ name: 'is_cancelled', type: 'boolean' }) isCancelled!: boolean;
  @Column({ name: 'is_office_hours', type: 'boolean' }) isOfficeHours!: boolean;
  @Column({ name: 'change_key', type: 'varchar', length: 256 }) changeKey!: string;
  /** Lower-case subject, location, organizer, attendees and body, for `q`. */
  @Column({ name: 'search_text', type: 'text' }) searchText!: string;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}
