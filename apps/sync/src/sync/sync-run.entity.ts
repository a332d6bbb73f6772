import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SyncRunKind = 'full' | 'delta';
/**
 * `succeeded`: every mailbox synced (or skipped: no calendar); `partial`: the run ended but left
 * mailboxes unsynced (`mailboxesFailed`, `failures`); `failed`: the run itself failed (`error`).
 */
export type SyncRunStatus = 'running' | 'succeeded' | 'partial' | 'failed';
export const SYNC_RUN_STATUSES: SyncRunStatus[] = ['running', 'succeeded', 'partial', 'failed'];

/** One full or incremental sync of the whole tenant, observable while it runs. */
@Entity('sync_runs')
export class SyncRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: SyncRunKind;
  @Column({ type: 'varchar', length: 16 }) status!: SyncRunStatus;
  @Column({ name: 'users_total', type: 'integer', default: 0 }) usersTotal!: number;
  @Column({ name: 'users_done', type: 'integer', default: 0 }) usersDone!: number;
  @Column({ name: 'events_upserted', type: 'integer', default: 0 }) eventsUpserted!: number;
  @Column({ name: 'events_removed', type: 'integer', default: 0 }) eventsRemoved!: number;
  @Column({ name: 'graph_requests', type: 'integer', default: 0 }) graphRequests!: number;
  @Column({ name: 'mailboxes_failed', type: 'integer', default: 0 }) mailboxesFailed!: number;
  @Column({ name: 'mailboxes_skipped', type: 'integer', default: 0 }) mailboxesSkipped!: number;
  /** JSON: [{ userId, error }] (first 100). */
  @Column({ type: 'text', nullable: true }) failures!: string | null;
  @Column({ name: 'started_at', type: 'varchar', length: 24 }) startedAt!: string;
  @Column({ name: 'finished_at', type: 'varchar', length: 24, nullable: true }) finishedAt!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}

/** A run that has just started: every figure at zero. */
export function newRunEntity(id: string, kind: SyncRunKind, startedAt: string): SyncRunEntity {
  return {
    id,
    kind,
    status: 'running',
    usersTotal: 0,
    usersDone: 0,
    eventsUpserted: 0,
    eventsRemoved: 0,
    graphRequests: 0,
    mailboxesFailed: 0,
    mailboxesSkipped: 0,
    failures: null,
    startedAt,
    finishedAt: null,
    error: null,
  };
}
