import type { Mailbox } from './mailbox';
import type { EventContent, EventRecord } from './records';
import { itemId } from './ids';

/** Shared by every record without categories (PATCH replaces the array, never mutates it). */
export const NO_CATEGORIES: string[] = Object.freeze([]) as unknown as string[];

/**
 * A mailbox item. One class (one hidden shape) with fields in a fixed order keeps a million of
 * them compact; the id is derived from (mailbox, salt, seq) on first read, not stored up front.
 */
export class StoredRecord implements EventRecord {
  version = 0;
  changeCount = 1;
  modifiedMs: number;
  responseTimeMs: number | null = null;
  isCancelled = false;
  deleted = false;
  private cachedId: string | undefined = undefined;

  constructor(
    readonly seq: number,
    readonly mailbox: Mailbox,
    public content: EventContent,
    public isOrganizer: boolean,
    readonly createdMs: number,
    public response: string,
    public categories: string[],
    public isReminderOn: boolean,
    public reminderMinutesBeforeStart: number,
    public extendedProperties: Array<{ id: string; value: string }> | null,
    public transactionId: string | null,
  ) {
    this.modifiedMs = createdMs;
  }

  get id(): string {
    return (this.cachedId ??= itemId(this.mailbox.index, this.mailbox.salt, this.seq));
  }
}
