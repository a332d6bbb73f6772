import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { FlowProducer, Job, Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { Gauge, type Counter } from 'prom-client';
import { MetricsService } from '@ocb/http';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { toInstant } from '@ocb/persistence';
import type { SyncConfig } from '../config/sync.config';
import type { SyncWindow } from '../graph/calendar.graph';
import { GraphStats } from '../graph/graph-stats.service';
import { DeltaSyncService } from './delta-sync.service';
import { FullSyncService } from './full-sync.service';
import { jobRequests } from './job-context';
import { JobProgress, SummedProgress } from './job-progress';
import { groupsOf } from './mailbox-groups';
import { RunExecutor, type MailboxJob } from './run-executor.service';
import { RunJobsRepository } from './run-jobs.repository';
import type { SyncRunKind } from './sync-run.entity';
import { SyncRunsRepository } from './sync-runs.repository';
import { SyncWindows } from './sync-windows';
import { RunProgress, SyncRunsService, type RunCoordinator } from './sync-runs.service';

export const SYNC_QUEUE_NAME = 'sync';

const loadBullmq = (): typeof import('bullmq') => require('bullmq') as typeof import('bullmq');
const loadIoredis = (): typeof IORedis => {
  const mod = require('ioredis') as { default?: typeof IORedis } & typeof IORedis;
  return mod.default ?? mod;
};
/** Mailboxes per group job: one `$batch` of first pages. */
const GROUP_SIZE = 20;

type StoredJob = Omit<MailboxJob, 'window'> & { window: { from: string; to: string } | null };
interface PlanData { runId: string; kind: SyncRunKind }
interface GroupData { runId: string; kind: SyncRunKind; window: { from: string; to: string }; jobs: StoredJob[] }
interface CronData { kind: SyncRunKind }

/**
 * REDIS_URL set: runs go through the BullMQ queue `sync`, consumed by every replica. A run is a
 * `plan` job (the directory step, or the delta candidates) that adds a flow: a `finish` parent and
 * one child per `$batch` group of 20 mailboxes. Each group's figures are its own row in
 * `sync_run_jobs`; `finish` (run by BullMQ once every child ended) sums them into the run. A
 * replica killed mid-job stops renewing the job's lock and BullMQ hands the job to another
 * (stalled jobs); the group is fetched and written again (each mailbox in one transaction, mark
 * and sweep: the result is the same). Crons are BullMQ job schedulers: one job per tick, whatever
 * the number of replicas.
 */
@Injectable()
export class SyncQueue implements RunCoordinator, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SyncQueue');
  private connection: IORedis | null = null;
  private workerConnection: IORedis | null = null;
  private queue: Queue | null = null;
  private flows: FlowProducer | null = null;
  private worker: Worker | null = null;
  private readonly cronFired: Counter<'kind'>;
  readonly workerName = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly runs: SyncRunsService,
    private readonly runRows: SyncRunsRepository,
    private readonly jobRows: RunJobsRepository,
    private readonly executor: RunExecutor,
    private readonly full: FullSyncService,
    private readonly delta: DeltaSyncService,
    private readonly stats: GraphStats,
    private readonly windows: SyncWindows,
    metrics: MetricsService,
  ) {
    this.cronFired = metrics.counter('sync_cron_fired_total', 'Cron ticks this replica took from the queue (one per tick across replicas), by run kind', ['kind']);
    const jobs = new Gauge({
      name: 'sync_queue_jobs',
      help: 'Jobs of the sync queue (all replicas), by state: waiting, active, delayed, failed, completed, waitingChildren, stalled (total taken up again), workers',
      labelNames: ['state'],
      registers: [metrics.registry],
      collect: async () => {
        if (!this.queue) return;
        const c = await this.counts().catch(() => null);
        if (c) for (const [state, n] of Object.entries(c)) jobs.set({ state }, n);
      },
    });
  }

  get enabled(): boolean {
    return Boolean(this.config.REDIS_URL);
  }

  onModuleInit(): void {
    if (!this.config.REDIS_URL) return;
    // loaded only with REDIS_URL: without it, neither is needed (~5 MB of heap not taken)
    const { Queue, FlowProducer, Worker } = loadBullmq();
    const IORedis = loadIoredis();
    const prefix = this.config.REDIS_PREFIX;
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(SYNC_QUEUE_NAME, { connection: this.connection, prefix });
    this.flows = new FlowProducer({ connection: this.connection, prefix });
    this.workerConnection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.worker = new Worker(SYNC_QUEUE_NAME, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix,
      name: this.workerName,
      concurrency: this.config.SYNC_QUEUE_CONCURRENCY,
      lockDuration: this.config.SYNC_QUEUE_LOCK_MS,
      stalledInterval: Math.max(500, Math.floor(this.config.SYNC_QUEUE_LOCK_MS / 2)),
      maxStalledCount: 3,
    });
    this.worker.on('stalled', (jobId) => {
      this.logger.warn(`job ${jobId} stalled (its replica stopped): taken up again`);
      void this.connection?.incr(this.stalledKey()).catch(() => undefined);
    });
    this.worker.on('failed', (job, e) => this.logger.error(`job ${job?.id ?? '?'} failed: ${e.message}`));
    this.worker.on('error', (e) => this.logger.error(`worker: ${e.message}`));
    this.runs.useCoordinator(this);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.flows?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => undefined);
    await this.workerConnection?.quit().catch(() => undefined);
  }

  private stalledKey(): string {
    return `${this.config.REDIS_PREFIX}:${SYNC_QUEUE_NAME}:stalled-total`;
  }

  async enqueue(runId: string, kind: SyncRunKind): Promise<void> {
    await this.required().add('plan', { runId, kind } satisfies PlanData, { jobId: `${runId}-plan`, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
  }

  totals(runId: string) {
    return this.jobRows.totals(runId);
  }

  /** A cron as a job scheduler: one `cron` job per tick across replicas (`null`: removed). */
  async schedule(kind: SyncRunKind, pattern: string | null): Promise<void> {
    const id = `sync-${kind}`;
    if (pattern === null) await this.required().removeJobScheduler(id);
    else await this.required().upsertJobScheduler(id, { pattern }, { name: 'cron', data: { kind } satisfies CronData, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }

  /** GET /api/sync/queue. */
  async counts(): Promise<{ waiting: number; active: number; delayed: number; failed: number; completed: number; waitingChildren: number; stalled: number; workers: number }> {
    const q = this.required();
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children', 'prioritized');
    const stalled = Number((await this.connection?.get(this.stalledKey())) ?? 0);
    const workers = (await q.getWorkers()).length;
    return {
      waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
      active: c['active'] ?? 0,
      delayed: c['delayed'] ?? 0,
      failed: c['failed'] ?? 0,
      completed: c['completed'] ?? 0,
      waitingChildren: c['waiting-children'] ?? 0,
      stalled,
      workers,
    };
  }

  private required(): Queue {
    if (!this.queue) throw new Error('the sync queue needs REDIS_URL');
    return this.queue;
  }

  private async process(job: Job): Promise<void> {
    if (job.name === 'plan') return this.plan(job.data as PlanData);
    if (job.name === 'group') return this.group(job.id ?? '', job.data as GroupData);
    if (job.name === 'finish') return this.finish((job.data as PlanData).runId);
    if (job.name === 'cron') return this.cron((job.data as CronData).kind);
    throw new Error(`unknown job ${job.name}`);
  }

  private async plan({ runId, kind }: PlanData): Promise<void> {
    const counter = { requests: 0 };
    const progress = new JobProgress(runId, 'plan', this.stats, counter);
    let jobs: MailboxJob[];
    try {
      jobs = await jobRequests.run(counter, () => (kind === 'full' ? this.full.plan(progress) : this.delta.plan(progress)));
    } catch (e) {
      const run = await this.runRows.find(runId);
      if (run?.status !== 'running') return;
      const failed = new RunProgress({ ...run, status: 'failed', error: e instanceof Error ? e.message : String(e) }, this.stats);
      await this.runs.conclude(failed);
      return;
    }
    await this.jobRows.record(progress.row(this.workerName, toInstant(this.clock.now())));
    const run = await this.runRows.find(runId);
    if (!run) return;
    await this.runRows.save({ ...run, usersTotal: progress.entity.usersTotal });
    const window = this.windows.window();
    const groups = groupsOf(jobs, GROUP_SIZE);
    await this.flows?.add({
      name: 'finish',
      queueName: SYNC_QUEUE_NAME,
      data: { runId, kind } satisfies PlanData,
      opts: { jobId: `${runId}-finish`, removeOnComplete: 1000 },
      children: groups.map((g, i) => ({
        name: 'group',
        queueName: SYNC_QUEUE_NAME,
        data: { runId, kind, window: { from: window.from.toISOString(), to: window.to.toISOString() }, jobs: g.map(store) } satisfies GroupData,
        // prioritized: jobs without a priority (cron ticks, plans, finishes) go first, so a tick is
        // taken on time even while a run's groups fill the queue (BullMQ's job schedulers add the
        // next tick only once this one is taken)
        opts: { jobId: `${runId}-g${i}`, priority: 1, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, ignoreDependencyOnFailure: true, removeOnComplete: 1000 },
      })),
    });
  }

  private async group(jobId: string, data: GroupData): Promise<void> {
    const counter = { requests: 0 };
    const progress = new JobProgress(data.runId, jobId, this.stats, counter);
    const window = revive(data.window);
    const fallback = data.kind === 'delta' ? (j: MailboxJob) => this.delta.fullJob(j.userId, window) : undefined;
    await jobRequests.run(counter, () => this.executor.execute(progress, data.jobs.map(load), fallback));
    await this.jobRows.record(progress.row(this.workerName, toInstant(this.clock.now())));
  }

  private async finish(runId: string): Promise<void> {
    const run = await this.runRows.find(runId);
    if (!run || run.status !== 'running') return;
    const { failures, jobs: _jobs, ...figures } = await this.jobRows.totals(runId);
    const status = figures.mailboxesFailed > 0 ? 'partial' : 'succeeded';
    const done = new SummedProgress({ ...run, ...figures, eventsRemoved: figures.eventsRemoved, status }, this.stats, figures.graphRequests);
    done.failures = failures;
    await this.runs.conclude(done);
  }

  private async cron(kind: SyncRunKind): Promise<void> {
    this.cronFired.inc({ kind });
    const starter = kind === 'full' ? this.full : this.delta;
    await starter.start().then(
      ({ runId }) => this.logger.log(`cron sync-${kind}: started run ${runId}`),
      (e: unknown) => this.logger.log(`cron sync-${kind}: not started, ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}

function store(j: MailboxJob): StoredJob {
  return { ...j, window: j.window ? { from: j.window.from.toISOString(), to: j.window.to.toISOString() } : null };
}

function load(j: StoredJob): MailboxJob {
  return { ...j, window: j.window ? revive(j.window) : null };
}

function revive(w: { from: string; to: string }): SyncWindow {
  return { from: new Date(w.from), to: new Date(w.to) };
}
