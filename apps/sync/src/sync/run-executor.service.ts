import { Inject, Injectable, Logger } from '@nestjs/common';
import { nextTurn } from '@ocb/clock';
import { CalendarGraph } from '../graph/calendar.graph';
import { describe } from './describe-error';
import { MailboxPlanner, type ApplyMode, type MailboxPlan, type MailboxResult } from './mailbox-planner';
import { MailboxWriter } from './mailbox-writer';
import { groupsOf, pool, type FailedFetch, type OkFetch } from './mailbox-groups';
import { SyncRunsService, type RunProgress } from './sync-runs.service';
import { SYNC_TUNING, type SyncTuning } from './sync-tuning';
import type { SyncWindow } from '../graph/calendar.graph';
import type { GraphEvent } from '../events/event-mapper';

/** Time a cache write takes per row, roughly (SQLite upsert with its indexes, on a busy machine). */
const WRITE_MS_PER_ROW = 0.02;

/** One mailbox's part in a run: where its delta round starts and how its result is applied. */
export interface MailboxJob {
  userId: string;
  url: string;
  mode: ApplyMode;
  window: SyncWindow | null;
}

/**
 * Executes the mailbox work of a run: groups of up to 20 mailboxes per `$batch`, several groups in
 * flight, each mailbox applied (or reported failed) as soon as its group's fetch completed. A
 * failing mailbox keeps its cache and never stops the run.
 */
@Injectable()
export class RunExecutor {
  private readonly logger = new Logger(RunExecutor.name);

  constructor(
    private readonly graph: CalendarGraph,
    private readonly planner: MailboxPlanner,
    private readonly writer: MailboxWriter,
    private readonly runs: SyncRunsService,
    @Inject(SYNC_TUNING) private readonly tuning: SyncTuning,
  ) {}

  /**
   * `fallback`: for a delta job whose link expired (410), the job to run instead (a full fetch);
   * such mailboxes are retried in a later group.
   */
  async execute(run: RunProgress, jobs: MailboxJob[], fallback?: (job: MailboxJob) => MailboxJob): Promise<void> {
    const retry: MailboxJob[] = [];
    await pool(groupsOf(jobs, 20), this.tuning.batchesInFlight, async (group) => {
      retry.push(...(await this.group(run, group, fallback)));
    });
    if (retry.length) {
      await pool(groupsOf(retry, 20), this.tuning.batchesInFlight, async (group) => {
        await this.group(run, group);
      });
    }
  }

  private async group(run: RunProgress, group: MailboxJob[], fallback?: (job: MailboxJob) => MailboxJob): Promise<MailboxJob[]> {
    const byUser = new Map(group.map((j) => [j.userId, j]));
    let fetches;
    try {
      fetches = await this.graph.deltaGroup(group.map((j) => ({ userId: j.userId, url: j.url })));
    } catch (e) {
      // the whole batch failed (after the client's retries): every mailbox of the group keeps its cache
      for (const j of group) await this.fail(run, j.userId, e);
      return [];
    }
    const retry: MailboxJob[] = [];
    const plans: MailboxPlan[] = [];
    for (const f of fetches) {
      const job = byUser.get(f.userId);
      if (!job) continue;
      // a turn of the event loop per mailbox: mapping a group's thousands of events in one go would
      // hold back the limiter's grants (and so the next batch) for a tenth of a second
      await nextTurn();
      if (!f.ok) {
        if (f.error.kind === 'sync-reset' && fallback) retry.push(fallback(job));
        else if (f.error.kind === 'not-found') await this.skip(run, f);
        else await this.fail(run, f.userId, f.error);
        continue;
      }
      try {
        plans.push(await this.planner.plan(f as OkFetch, job.mode, job.window));
      } catch (e) {
        await this.fail(run, f.userId, e);
      }
      // the plan holds rows; the parsed Graph items can go now, not only when the whole group is written
      (f as OkFetch).items = [];
    }
    const masters = await this.planner.masters(plans.filter((p) => p.seriesNeeded.length));
    for (let i = 0; i < plans.length; i += this.tuning.mailboxesPerCommit) {
      if (i > 0) await nextTurn();
      const part = plans.slice(i, i + this.tuning.mailboxesPerCommit);
      const rows = part.reduce((n, p) => n + p.upserts.length + p.removeIds.length, 0);
      await this.graph.yieldToLimiter(rows * WRITE_MS_PER_ROW);
      await this.commit(run, part, masters);
    }
    return retry;
  }

  /**
   * Writes a few mailboxes in one transaction; if that fails, mailbox by mailbox (a bad one fails
   * alone). Transactions stay short (a few thousand rows), and the event loop gets a turn between
   * them: a long synchronous SQLite write would hold back the limiter's grants (and so the next
   * batch) until it ended.
   */
  private async commit(run: RunProgress, plans: MailboxPlan[], masters: Map<string, GraphEvent>): Promise<void> {
    let results: MailboxResult[] | null = null;
    try {
      results = await this.writer.writeExclusive(plans, masters);
    } catch (e) {
      this.logger.warn(`write of ${plans.length} mailboxes failed, writing them one by one: ${describe(e)}`);
    }
    for (const [n, plan] of plans.entries()) {
      try {
        const result = results ? results[n] : (await this.writer.writeExclusive([plan], masters))[0];
        run.mailboxDone({ upserted: result.upserted, removed: result.removed });
        await this.runs.progress(run);
      } catch (e) {
        await this.fail(run, plan.userId, e);
      }
    }
  }

  /** A directory user whose cache row could not be written: not synced, reported with the run. */
  async userFailed(run: RunProgress, user: { id: string; userPrincipalName: string }, error: unknown): Promise<void> {
    const text = describe(error);
    this.logger.warn(`user ${user.id} (${user.userPrincipalName}) not synced, their row could not be written: ${text}`);
    run.mailboxFailed(user.id, `user row not written: ${text}`, user.userPrincipalName);
    await this.runs.progress(run);
  }

  private async skip(run: RunProgress, f: FailedFetch): Promise<void> {
    await this.writer.recordFailure(f.userId, f.error).catch(() => undefined);
    run.mailboxSkipped();
    await this.runs.progress(run);
  }

  private async fail(run: RunProgress, userId: string, error: unknown): Promise<void> {
    const text = describe(error);
    this.logger.warn(`mailbox ${userId} not synced, its cache is kept: ${text}`);
    await this.writer.recordFailure(userId, error).catch(() => undefined);
    run.mailboxFailed(userId, text);
    await this.runs.progress(run);
  }
}
