import { Injectable } from '@nestjs/common';

/**
 * Writes of one mailbox in this process run one at a time (a refresh and a run never interleave
 * on the same mailbox). Across replicas the database lock taken in the write transaction
 * (`lockMailbox`) does the same.
 */
@Injectable()
export class MailboxLocks {
  private readonly locks = new Map<string, Promise<unknown>>();

  /** Runs `work` once no other write of the same mailbox is in progress. */
  async exclusive<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(userId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(work);
    this.locks.set(userId, mine);
    try {
      return await mine;
    } finally {
      if (this.locks.get(userId) === mine) this.locks.delete(userId);
    }
  }

  /** Runs `work` while holding the locks of all `userIds` (taken in sorted order: no deadlock between callers). */
  async exclusiveAll<T>(userIds: string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(userIds)].sort();
    const take = (i: number): Promise<T> => (i < sorted.length ? this.exclusive(sorted[i], () => take(i + 1)) : work());
    return take(0);
  }
}
