import { Injectable } from '@nestjs/common';
import { GraphApiError } from '@ocb/graph-client';
import { ApiError } from '@ocb/http';
import type { RefreshResult } from '@ocb/service-clients';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { MailboxLocks } from './mailbox-locks';
import { MailboxSyncService } from './mailbox-sync.service';

/**
 * Graph not knowing the user's mailbox is a 404 naming the field `user`; every other Graph failure
 * goes as it is to the platform's exception filter (the one rule to the contract's errors).
 */
export function userNotFound(e: unknown): unknown {
  if (e instanceof GraphApiError && e.kind === 'not-found') return ApiError.notFound(`user: the mailbox has no calendar (${e.message})`);
  return e;
}

/**
 * The Refresh button and the update after an action: brings one mailbox up to date before
 * answering (delta from the stored link: one Graph request and, when nothing changed, no event writes: only the
 * mailbox's `last_delta_sync_at` is stamped).
 */
@Injectable()
export class RefreshService {
  constructor(
    private readonly users: UsersService,
    private readonly rows: UsersRepository,
    private readonly mailboxes: MailboxSyncService,
    private readonly locks: MailboxLocks,
  ) {}

  /**
   * A cached user whose mailbox Graph no longer knows may have left the directory, or their UPN
   * may now belong to someone else: the directory is asked again (only then, not on the hot path),
   * the departed user leaves the cache, and the current holder of the name is synced fresh.
   */
  async refresh(user: string): Promise<RefreshResult> {
    try {
      const { user: u, added } = await this.users.resolve(user);
      let r;
      try {
        r = await this.mailboxes.syncOne(u.id);
      } catch (e) {
        if (added || !(e instanceof GraphApiError && e.kind === 'not-found')) throw e;
        const holder = await this.users.recheck(user, u, () => this.locks.exclusive(u.id, async () => void (await this.rows.remove([u.id]))));
        if (!holder) throw e;
        r = await this.mailboxes.syncOne(holder.id);
      }
      return { eventsUpserted: r.upserted, eventsRemoved: r.removed };
    } catch (e) {
      throw userNotFound(e);
    }
  }
}
