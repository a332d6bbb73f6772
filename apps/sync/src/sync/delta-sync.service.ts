import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError } from '@ocb/http';
import { UsersRepository } from '../users/users.repository';
import { SyncWindows } from './sync-windows';
import { MailboxStateRepository } from './mailbox-state.repository';
import { RunExecutor, type MailboxJob } from './run-executor.service';
import { SyncRunsService, type RunProgress } from './sync-runs.service';
import type { SyncWindow } from '../graph/calendar.graph';

/**
 * The incremental sync of every cached mailbox: a delta round from the stored link (stored links
 * of 20 mailboxes per `$batch`); a mailbox without a link, with a stale window or whose link
 * expired (410) is fetched in full instead and gets a new link.
 */
@Injectable()
export class DeltaSyncService {
  constructor(
    private readonly users: UsersRepository,
    private readonly states: MailboxStateRepository,
    private readonly windows: SyncWindows,
    private readonly executor: RunExecutor,
    private readonly runs: SyncRunsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Starts a delta run in the background; 409 while a delta or a full run is in progress. */
  async start(): Promise<{ runId: string }> {
    const full = await this.runs.runningId('full');
    if (full)
      throw ApiError.conflict('SYNC_RUNNING', `a full sync is running (runId ${full})`, { runId: full });
    const run = await this.runs.start('delta', async (r) => {
      await this.executor.execute(r, await this.plan(r), (job) =>
        this.fullJob(job.userId, this.windows.window(this.clock.now())),
      );
    });
    return { runId: run.entity.id };
  }

  /** A delta run's mailbox jobs (sets `usersTotal`). */
  async plan(r: RunProgress): Promise<MailboxJob[]> {
    const ids = await this.users.allIds();
    const states = await this.states.getMany(ids);
    const now = this.clock.now();
    const window = this.windows.window(now);
    const full = (userId: string): MailboxJob => this.fullJob(userId, window);
    const jobs: MailboxJob[] = [];
    for (const id of ids) {
      const s = states.get(id);
      if (s && !s.hasCalendar) continue;
      if (s?.throttledUntil && Date.parse(s.throttledUntil) > now) continue;
      jobs.push(
        this.windows.hasFreshDelta(s, now)
          ? { userId: id, url: s.deltaLink, mode: 'delta', window: null }
          : full(id),
      );
    }
    r.entity.usersTotal = jobs.length;
    return jobs;
  }

  /** The full fetch of a mailbox whose link is missing, stale or expired. */
  fullJob(userId: string, window: SyncWindow): MailboxJob {
    return { userId, url: this.windows.startPath(userId, window), mode: 'full', window };
  }
}
