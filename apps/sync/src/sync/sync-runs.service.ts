import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError } from '@ocb/http';
import { MetricsService } from '@ocb/http';
import { toInstant } from '@ocb/persistence';
import type { RunFailure, SyncRunView } from '@ocb/service-clients';
import type { Counter } from 'prom-client';
import type { SyncConfig } from '../config/sync.config';
import { UsersRepository } from '../users/users.repository';
import { GraphStats } from '../graph/graph-stats.service';
import { newRunEntity, type SyncRunEntity, type SyncRunKind } from './sync-run.entity';
import { SyncRunsRepository } from './sync-runs.repository';

export type { RunFailure, SyncRunView } from '@ocb/service-clients';

/** A run in progress: figures kept in memory, flushed to the database now and then. */
export class RunProgress {
  failures: RunFailure[] = [];
  /** Whether `SyncRunsService.progress` writes the figures to the run's row (a queue job keeps its own row). */
  readonly flush: boolean = true;
  private readonly requestsAtStart: number;

  constructor(
    readonly entity: SyncRunEntity,
    private readonly stats: GraphStats,
  ) {
    this.requestsAtStart = stats.requests;
  }

  get graphRequests(): number {
    return this.stats.requests - this.requestsAtStart;
  }

  mailboxDone(result: { upserted: number; removed: number }): void {
    this.entity.usersDone++;
    this.entity.eventsUpserted += result.upserted;
    this.entity.eventsRemoved += result.removed;
  }

  mailboxSkipped(): void {
    this.entity.usersDone++;
    this.entity.mailboxesSkipped++;
  }

  mailboxFailed(userId: string, error: string, userPrincipalName?: string): void {
    this.entity.usersDone++;
    this.entity.mailboxesFailed++;
    if (this.failures.length < 100) this.failures.push(userPrincipalName ? { userId, userPrincipalName, error } : { userId, error });
  }

  snapshot(): SyncRunEntity {
    return { ...this.entity, graphRequests: this.graphRequests, failures: JSON.stringify(this.failures) };
  }
}

/**
 * Runs a run's mailbox work elsewhere (REDIS_URL: the BullMQ queue, consumed by every replica).
 * `enqueue` is called once the run's row exists; the coordinator finishes the run (`conclude`).
 */
export interface RunCoordinator {
  enqueue(runId: string, kind: SyncRunKind): Promise<void>;
  /** The summed figures of the run's jobs so far (readable from any replica). */
  totals(runId: string): Promise<Pick<SyncRunEntity, 'usersDone' | 'eventsUpserted' | 'eventsRemoved' | 'graphRequests' | 'mailboxesFailed' | 'mailboxesSkipped'> & { failures: RunFailure[] }>;
}

/** Starts runs (one of each kind at a time), tracks their progress and serves their figures. */
@Injectable()
export class SyncRunsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncRun');
  private readonly active = new Map<SyncRunKind, RunProgress>();
  private readonly finished: Counter<'kind' | 'status'>;
  private readonly unsynced: Counter<'kind'>;
  private coordinator: RunCoordinator | null = null;
  /** Told when a run has ended and its row is saved (change notifications subscribe the mailboxes it fetched). */
  private readonly listeners: Array<(kind: SyncRunKind, status: SyncRunEntity['status']) => void> = [];

  constructor(
    private readonly runs: SyncRunsRepository,
    private readonly stats: GraphStats,
    private readonly users: UsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
    metrics: MetricsService,
  ) {
    this.finished = metrics.counter('sync_runs_total', 'Sync runs finished, by kind and status (succeeded, partial, failed)', ['kind', 'status']);
    this.unsynced = metrics.counter('sync_run_mailboxes_failed_total', 'Mailboxes that runs left unsynced (their cache kept), by run kind', ['kind']);
  }

  /** Queue mode: runs are executed by the coordinator's jobs, on every replica. */
  useCoordinator(coordinator: RunCoordinator): void {
    this.coordinator = coordinator;
  }

  onConcluded(listener: (kind: SyncRunKind, status: SyncRunEntity['status']) => void): void {
    this.listeners.push(listener);
  }

  get queued(): boolean {
    return this.coordinator !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    // with replicas, a running run belongs to the queue (its jobs are taken up again), not to this process
    if (!this.coordinator) await this.runs.failAbandoned(toInstant(this.clock.now()));
  }

  /** The id of the run of `kind` in progress, in this process or (queue mode) any replica. */
  async runningId(kind: SyncRunKind): Promise<string | null> {
    const live = this.active.get(kind);
    if (live) return live.entity.id;
    return (await this.runs.running(kind))?.id ?? null;
  }

  /**
   * Creates a run and executes `work` in the background. While one of the same kind runs:
   * 409 SYNC_RUNNING with its runId.
   */
  async start(kind: SyncRunKind, work: (run: RunProgress) => Promise<void>): Promise<RunProgress> {
    const current = this.active.get(kind) ?? (await this.runs.running(kind));
    if (current) {
      const runId = current instanceof RunProgress ? current.entity.id : current.id;
      throw ApiError.conflict('SYNC_RUNNING', `a ${kind} sync is already running (runId ${runId})`, { runId });
    }
    const entity = newRunEntity(randomUUID(), kind, toInstant(this.clock.now()));
    const run = new RunProgress(entity, this.stats);
    if (this.coordinator) {
      // the partial unique index on running runs refuses a second one, whichever replica asks
      const inserted = await this.runs.insertRunning(entity);
      if (!inserted) {
        const runId = await this.runningId(kind);
        throw ApiError.conflict('SYNC_RUNNING', `a ${kind} sync is already running (runId ${runId})`, { runId });
      }
      await this.coordinator.enqueue(entity.id, kind);
      return run;
    }
    this.active.set(kind, run);
    await this.runs.save(run.snapshot());
    run.entity.id = entity.id;
    void this.execute(run, work);
    return run;
  }

  /** Resolves when the run of `kind` in progress (if any) has finished. */
  async settled(kind: SyncRunKind): Promise<void> {
    while (this.active.has(kind)) await new Promise((r) => setTimeout(r, 10));
  }

  private async execute(run: RunProgress, work: (run: RunProgress) => Promise<void>): Promise<void> {
    try {
      await work(run);
      // a run that left mailboxes unsynced is never a plain success
      run.entity.status = run.entity.mailboxesFailed > 0 ? 'partial' : 'succeeded';
    } catch (e) {
      run.entity.status = 'failed';
      run.entity.error = e instanceof Error ? e.message : String(e);
      this.logger.error(`${run.entity.kind} sync ${run.entity.id} failed: ${run.entity.error}`);
    }
    try {
      await this.conclude(run);
    } finally {
      this.active.delete(run.entity.kind);
    }
  }

  /** Records the end of a run (status set): log lines, metrics, its row. */
  async conclude(run: RunProgress): Promise<void> {
    run.entity.finishedAt = toInstant(this.clock.now());
    this.log(run, true);
    this.finished.inc({ kind: run.entity.kind, status: run.entity.status });
    if (run.entity.mailboxesFailed > 0) {
      this.unsynced.inc({ kind: run.entity.kind }, run.entity.mailboxesFailed);
      const listed = run.failures.map((f) => f.userId).join(', ');
      const more = run.entity.mailboxesFailed > run.failures.length ? ` and ${run.entity.mailboxesFailed - run.failures.length} more` : '';
      this.logger.warn(`${run.entity.kind} sync ${run.entity.id} ended partial: ${run.entity.mailboxesFailed} mailbox(es) not synced: ${listed}${more}`);
    }
    try {
      await this.runs.save(run.snapshot());
    } catch (e) {
      this.logger.error(`could not record the end of run ${run.entity.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const listener of this.listeners) listener(run.entity.kind, run.entity.status);
  }

  /** Called after each mailbox: a log line and a database flush every SYNC_LOG_EVERY mailboxes. */
  async progress(run: RunProgress): Promise<void> {
    if (!run.flush) return;
    if (run.entity.usersDone % this.config.SYNC_LOG_EVERY !== 0) return;
    this.log(run, false);
    await this.runs.save(run.snapshot());
  }

  private log(run: RunProgress, final: boolean): void {
    this.logger.log(`${final ? 'finished' : 'progress'} ${JSON.stringify(figuresOf(run.snapshot()))}`);
  }

  async view(runId: string): Promise<SyncRunView> {
    const live = [...this.active.values()].find((r) => r.entity.id === runId);
    let e = live ? live.snapshot() : await this.runs.find(runId);
    if (!e) throw ApiError.notFound(`runId: no sync run ${runId}`);
    if (!live && this.coordinator && e.status === 'running') {
      const { failures, ...figures } = await this.coordinator.totals(runId);
      e = { ...e, ...figures, failures: JSON.stringify(failures) };
    }
    const failures = e.failures ? (JSON.parse(e.failures) as RunFailure[]) : [];
    const unnamed = failures.filter((f) => !f.userPrincipalName);
    if (unnamed.length) {
      const names = new Map((await this.users.findByIds([...new Set(unnamed.map((f) => f.userId))])).map((u) => [u.id, u.userPrincipalName]));
      for (const f of unnamed) f.userPrincipalName = names.get(f.userId) ?? null;
    }
    return {
      ...figuresOf(e),
      failures,
      startedAt: e.startedAt,
      finishedAt: e.finishedAt,
      error: e.error,
    };
  }
}

/** A run's figures, as the progress log line and the runs API both show them. */
function figuresOf(e: SyncRunEntity) {
  return {
    runId: e.id,
    kind: e.kind,
    status: e.status,
    usersTotal: e.usersTotal,
    usersDone: e.usersDone,
    eventsUpserted: e.eventsUpserted,
    eventsRemoved: e.eventsRemoved,
    graphRequests: e.graphRequests,
    mailboxesFailed: e.mailboxesFailed,
    mailboxesSkipped: e.mailboxesSkipped,
  };
}
