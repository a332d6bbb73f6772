import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { CalendarGraph } from '../graph/calendar.graph';
import { UsersRepository, type DirectoryUser } from '../users/users.repository';
import { EventsRepository } from '../events/events.repository';
import { MailboxLocks } from './mailbox-locks';
import { SyncWindows } from './sync-windows';
import { RunExecutor, type MailboxJob } from './run-executor.service';
import { SyncRunsService, type RunProgress } from './sync-runs.service';

/**
 * The weekly full sync: every tenant user (paged), then every mailbox's window, applied as
 * mark-and-sweep per mailbox. Each mailbox's fetch is a calendarView delta round, so the run also
 * leaves a fresh delta link for the incremental syncs (one pass instead of two).
 */
@Injectable()
export class FullSyncService {
  constructor(
    private readonly graph: CalendarGraph,
    private readonly users: UsersRepository,
    private readonly windows: SyncWindows,
    private readonly locks: MailboxLocks,
    private readonly events: EventsRepository,
    private readonly executor: RunExecutor,
    private readonly runs: SyncRunsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Starts a run in the background; 409 while one runs. */
  async start(): Promise<{ runId: string }> {
    const run = await this.runs.start('full', (r) => this.execute(r));
    return { runId: run.entity.id };
  }

  /**
   * Directory first, whatever changed in it since the last run: users gone (deleted, or a tenant
   * re-created under new ids) leave with their events, series and delta state; then the rows
   * follow their Graph ids (renames, swapped or reused UPNs; a new id is a new user, synced fresh).
   * A user whose row cannot be written fails alone and is not synced; the others are.
   */
  private async execute(run: RunProgress): Promise<void> {
    await this.executor.execute(run, await this.plan(run));
  }

  /** The directory step of a full run; returns its mailbox jobs (sets `usersTotal`). */
  async plan(run: RunProgress): Promise<MailboxJob[]> {
    const byId = new Map<string, DirectoryUser>();
    for await (const page of this.graph.users()) for (const u of page) byId.set(u.id, u);
    const seen = [...byId.values()];
    const now = this.clock.now();
    const gone = (await this.users.allIds()).filter((id) => !byId.has(id));
    if (gone.length) run.entity.eventsRemoved += await this.removeUsers(gone);
    const { failed } = await this.users.reconcile(seen, now);
    run.entity.usersTotal = seen.length;
    const bad = new Set<string>();
    for (const { user, error } of failed) {
      bad.add(user.id);
      await this.executor.userFailed(run, user, error);
    }
    const window = this.windows.window(now);
    return seen.filter((u) => !bad.has(u.id)).map((u) => ({ userId: u.id, url: this.windows.startPath(u.id, window), mode: 'full' as const, window }));
  }

  /** Users no longer in the tenant leave the cache with their events; returns the events removed. */
  private async removeUsers(ids: string[]): Promise<number> {
    let events = 0;
    for (const id of ids) events += await this.locks.exclusive(id, async () => {
      const n = await this.events.countEvents(id);
      await this.users.remove([id]);
      return n;
    });
    return events;
  }
}
