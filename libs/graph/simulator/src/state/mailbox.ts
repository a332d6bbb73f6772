import type { SimUser } from './types';
import type { EmailAddress, EventRecord, MailboxRef } from './records';

/** One change of one item: the item's state before the change (null: it did not exist). */
export interface ChangeEntry {
  version: number;
  seq: number;
  before: EventRecord | null;
}

/** A user's calendar: items by sequence number, and a change log that makes delta cheap. */
export class Mailbox implements MailboxRef {
  readonly items: Array<EventRecord | undefined> = [];
  /** Monotonic; bumped by every change of any item. */
  version = 0;
  /** Versions up to here were created in bulk (seeding) without log entries. */
  baseline = 0;
  readonly log: ChangeEntry[] = [];
  readonly transactions = new Map<string, EventRecord>();

  constructor(
    readonly index: number,
    readonly user: SimUser,
    readonly salt: number,
  ) {}

  private ownerAddress: EmailAddress | undefined;

  /** The owner as an organizer address, one object shared by every event the owner organizes. */
  owner(): EmailAddress {
    return (this.ownerAddress ??= { name: this.user.displayName, address: this.user.mail });
  }

  get userId(): string {
    return this.user.id;
  }

  /** Index of the first log entry with version > v (binary search; the log is ordered). */
  logIndexAfter(v: number): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid].version <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A frozen copy of a record (and its content) as it was before a change. */
export function snapshot(r: EventRecord): EventRecord {
  return {
    ...r,
    // A stored record's id is a getter on its class, which a spread does not copy.
    id: r.id,
    categories: r.categories,
    content: { ...r.content, exceptions: r.content.exceptions ? new Map(r.content.exceptions) : null, copies: [] },
  };
}
