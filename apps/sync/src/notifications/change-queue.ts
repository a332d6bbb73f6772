/**
 * Work from change notifications: "mailbox X changed". Behind this interface so that it can move
 * onto the scale-out queue; this in-process implementation coalesces per mailbox: notifications
 * arriving within `coalesceMs` of the first, or while that mailbox's delta runs, cost one more
 * delta at most, never one each. A failed delta is tried again after a growing pause
 * (`retryMs`, doubled each time, up to `maxAttempts` tries; the scheduled delta poll is the net
 * after that); a notification arriving meanwhile joins the pending retry.
 */
import type { Clock } from '@ocb/clock';

export const CHANGE_QUEUE = Symbol('CHANGE_QUEUE');

export interface ChangeQueue {
  /** Asks for a delta of `userId` soon. */
  enqueue(userId: string): void;
  /** Resolves when nothing is waiting or running (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export interface InProcessChangeQueueOptions {
  clock: Clock;
  coalesceMs: number;
  concurrency: number;
  work: (userId: string) => Promise<void>;
  /** `retryInMs` is null when the queue gives up on this change (the next delta poll covers it). */
  onError: (userId: string, error: unknown, retryInMs: number | null) => void;
  /** Pause before the first retry of a failed delta (doubled each time, at most 60 s). */
  retryMs?: number;
  /** Tries per change, the first included. */
  maxAttempts?: number;
}

const MAX_RETRY_MS = 60_000;

export class InProcessChangeQueue implements ChangeQueue {
  /** Mailboxes waiting for their turn (in arrival order). */
  private readonly waiting = new Set<string>();
  private readonly running = new Set<string>();
  /** Asked for again while running: one more delta after this one. */
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, () => void>();
  /** Failed tries so far of the change waiting for a retry. */
  private readonly failures = new Map<string, number>();
  private readonly idlers: Array<() => void> = [];
  private closed = false;

  constructor(private readonly o: InProcessChangeQueueOptions) {}

  enqueue(userId: string): void {
    if (this.closed) return;
    if (this.running.has(userId)) {
      this.again.add(userId);
      return;
    }
    if (this.waiting.has(userId) || this.timers.has(userId)) return;
    this.later(userId, this.o.coalesceMs);
  }

  private later(userId: string, ms: number): void {
    this.timers.set(
      userId,
      this.o.clock.setTimer(() => {
        this.timers.delete(userId);
        this.waiting.add(userId);
        this.pump();
      }, ms),
    );
  }

  private failed(userId: string, error: unknown): void {
    const failures = (this.failures.get(userId) ?? 0) + 1;
    const retry = !this.closed && failures < (this.o.maxAttempts ?? 5);
    const wait = Math.min((this.o.retryMs ?? 1000) * 2 ** (failures - 1), MAX_RETRY_MS);
    this.o.onError(userId, error, retry ? wait : null);
    if (!retry) {
      this.failures.delete(userId);
      return;
    }
    this.failures.set(userId, failures);
    // asked again while failing: the retry covers it
    this.again.delete(userId);
    this.later(userId, wait);
  }

  private pump(): void {
    for (const userId of this.waiting) {
      if (this.running.size >= this.o.concurrency) return;
      if (this.running.has(userId)) continue;
      this.waiting.delete(userId);
      this.running.add(userId);
      void this.o
        .work(userId)
        .then(
          () => this.failures.delete(userId),
          (e: unknown) => this.failed(userId, e),
        )
        .finally(() => {
          this.running.delete(userId);
          if (this.again.delete(userId)) this.enqueue(userId);
          this.pump();
          this.settle();
        });
    }
    this.settle();
  }

  private get busy(): boolean {
    return this.waiting.size + this.running.size + this.timers.size > 0;
  }

  private settle(): void {
    if (this.busy) return;
    for (const resolve of this.idlers.splice(0)) resolve();
  }

  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.waiting.clear();
    this.failures.clear();
    this.settle();
  }
}
