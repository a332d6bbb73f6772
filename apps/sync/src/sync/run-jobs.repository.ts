import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RunFailure, RunFigures } from '@ocb/service-clients';
import { SyncRunJobEntity } from './sync-run-job.entity';

/** The summed figures of a run's jobs. */
export interface JobTotals extends RunFigures {
  jobs: number;
}

/** Figures of queue jobs, one row per (run, job): a job taken up again overwrites its own row. */
@Injectable()
export class RunJobsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(row: SyncRunJobEntity): Promise<void> {
    await this.ds.getRepository(SyncRunJobEntity).save(row);
  }

  async totals(runId: string): Promise<JobTotals> {
    const rows = await this.ds.getRepository(SyncRunJobEntity).find({ where: { runId }, order: { jobId: 'ASC' } });
    const t: JobTotals = { jobs: rows.length, usersDone: 0, eventsUpserted: 0, eventsRemoved: 0, graphRequests: 0, mailboxesFailed: 0, mailboxesSkipped: 0, failures: [] };
    for (const r of rows) {
      t.usersDone += r.usersDone;
      t.eventsUpserted += r.eventsUpserted;
      t.eventsRemoved += r.eventsRemoved;
      t.graphRequests += r.graphRequests;
      t.mailboxesFailed += r.mailboxesFailed;
      t.mailboxesSkipped += r.mailboxesSkipped;
      if (r.failures && t.failures.length < 100) t.failures.push(...(JSON.parse(r.failures) as RunFailure[]).slice(0, 100 - t.failures.length));
    }
    return t;
  }

  /** Which worker wrote how many jobs of a run (tests, the benchmark). */
  async byWorker(runId: string): Promise<Record<string, number>> {
    const rows = await this.ds.getRepository(SyncRunJobEntity).find({ where: { runId } });
    const out: Record<string, number> = {};
    for (const r of rows) out[r.worker ?? ''] = (out[r.worker ?? ''] ?? 0) + 1;
    return out;
  }
}
