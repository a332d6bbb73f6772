import type { GraphStats } from '../graph/graph-stats.service';
import type { SyncRunJobEntity } from './sync-run-job.entity';
import { newRunEntity, type SyncRunEntity } from './sync-run.entity';
import { RunProgress } from './sync-runs.service';

/**
 * The figures of one queue job of a run: counted in memory while the job works, written as the
 * job's own row when it ends (a job taken up again after a stall overwrites it: nothing counted twice).
 */
export class JobProgress extends RunProgress {
  override readonly flush = false;

  constructor(
    runId: string,
    readonly jobId: string,
    stats: GraphStats,
    private readonly counter: { requests: number },
  ) {
    super(newRunEntity(runId, 'full', ''), stats);
  }

  override get graphRequests(): number {
    return this.counter.requests;
  }

  row(worker: string, updatedAt: string): SyncRunJobEntity {
    const e = this.entity;
    return {
      runId: e.id,
      jobId: this.jobId,
      usersDone: e.usersDone,
      eventsUpserted: e.eventsUpserted,
      eventsRemoved: e.eventsRemoved,
      graphRequests: this.graphRequests,
      mailboxesFailed: e.mailboxesFailed,
      mailboxesSkipped: e.mailboxesSkipped,
      failures: this.failures.length ? JSON.stringify(this.failures) : null,
      worker,
      updatedAt,
    };
  }
}

/** A run's figures summed over its jobs (the `finish` job): its request count is the jobs' sum. */
export class SummedProgress extends RunProgress {
  constructor(
    entity: SyncRunEntity,
    stats: GraphStats,
    private readonly requests: number,
  ) {
    super(entity, stats);
  }

  override get graphRequests(): number {
    return this.requests;
  }
}
