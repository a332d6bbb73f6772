import { Injectable, Logger } from '@nestjs/common';
import type { GraphEvent } from '../events/event-mapper';
import { CalendarGraph, type MailboxFetch, type SyncWindow } from '../graph/calendar.graph';
import { MailboxLocks } from './mailbox-locks';
import { MailboxPlanner, type ApplyMode, type MailboxResult } from './mailbox-planner';
import { MailboxStateRepository } from './mailbox-state.repository';
import { MailboxWriter } from './mailbox-writer';
import { SyncWindows } from './sync-windows';

/**
 * One mailbox on its own (Refresh, a change notification): under the mailbox's lock, fetch (a
 * delta from the stored link when fresh, else the full window) → plan → series masters → write,
 * each step once. Runs take the same steps for many mailboxes at once (`RunExecutor`).
 */
@Injectable()
export class MailboxSyncService {
  private readonly logger = new Logger(MailboxSyncService.name);

  constructor(
    private readonly graph: CalendarGraph,
    private readonly states: MailboxStateRepository,
    private readonly locks: MailboxLocks,
    private readonly windows: SyncWindows,
    private readonly planner: MailboxPlanner,
    private readonly writer: MailboxWriter,
  ) {}

  /** Fetches and applies one mailbox on its own (refresh): delta from the stored link when fresh, else the full window. */
  async syncOne(userId: string): Promise<MailboxResult> {
    return this.locks.exclusive(userId, async () => {
      const state = await this.states.get(userId);
      if (this.windows.hasFreshDelta(state)) {
        const fetch = await this.graph.deltaOne(userId, state.deltaLink);
        if (fetch.ok) return this.applyOne(fetch, 'delta', null);
        if (fetch.error.kind !== 'sync-reset') throw fetch.error;
        this.logger.log(`delta link of ${userId} expired: fetching the window again`);
      }
      const window = this.windows.window();
      const fetch = await this.graph.deltaOne(userId, this.windows.startPath(userId, window));
      if (!fetch.ok) throw fetch.error;
      return this.applyOne(fetch, 'full', window);
    });
  }

  /** The mailbox's lock is held: plan → masters → write. */
  private async applyOne(fetch: Extract<MailboxFetch, { ok: true }>, mode: ApplyMode, window: SyncWindow | null): Promise<MailboxResult> {
    const plan = await this.planner.plan(fetch, mode, window);
    const masters = plan.seriesNeeded.length ? await this.planner.masters([plan]) : new Map<string, GraphEvent>();
    return this.writer.commit(plan, masters);
  }
}
