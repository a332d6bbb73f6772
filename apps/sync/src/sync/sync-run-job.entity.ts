import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The figures of one queue job of a run (a `$batch` group of mailboxes, or the run's planning). */
@Entity('sync_run_jobs')
export class SyncRunJobEntity {
  @PrimaryColumn({ name: 'run_id', type: 'varchar', length: 36 }) runId!: string;
  @PrimaryColumn({ name: 'job_id', type: 'varchar', length: 64 }) jobId!: string;
  @Column({ name: 'users_done', type: 'integer', default: 0 }) usersDone!: number;
  @Column({ name: 'events_upserted', type: 'integer', default: 0 }) eventsUpserted!: number;
  @Column({ name: 'events_removed', type: 'integer', default: 0 }) eventsRemoved!: number;
  @Column({ name: 'graph_requests', type: 'integer', default: 0 }) graphRequests!: number;
  @Column({ name: 'mailboxes_failed', type: 'integer', default: 0 }) mailboxesFailed!: number;
  @Column({ name: 'mailboxes_skipped', type: 'integer', default: 0 }) mailboxesSkipped!: number;
  /** JSON: [{ userId, error }] (first 100 of the job). */
  @Column({ type: 'text', nullable: true }) failures!: string | null;
  /** The replica that wrote the figures last (BullMQ worker name). */
  @Column({ type: 'varchar', length: 128, nullable: true }) worker!: string | null;
  @Column({ name: 'updated_at', type: 'varchar', length: 24 }) updatedAt!: string;
}
