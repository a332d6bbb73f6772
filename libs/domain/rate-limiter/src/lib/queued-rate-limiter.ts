import type { Clock } from '@ocb/clock';
import { blocksEveryone, type PermitStore } from './permit-store';
import {
  RateLimiterClosedError,
  type Permit,
  type RateLimiter,
  type RateLimiterSnapshot,
} from './rate-limiter';

interface Waiter {
  readonly key: string | undefined;
  readonly weight: number;
  readonly leaseId: string;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  readonly signal?: AbortSignal;
  readonly onAbort?: () => void;
  /** A take for this waiter is in progress (Redis round trip). */
  deciding: boolean;
}

/**
 * The in-process half of every limiter: a FIFO queue of waiters and one pump that offers the
 * budget to them in arrival order. Waits use the injected clock's timers only.
 */
export class QueuedRateLimiter implements RateLimiter {
  /** Arrival order (a Set iterates in insertion order and tolerates deletion while iterating). */
  private readonly queue = new Set<Waiter>();
  /** Keys held back by their own pause or concurrency, until (clock ms; Infinity: until a release). */
  private readonly keyBlocks = new Map<string | undefined, number>();
  private readonly inFlightByKey = new Map<string | undefined, number>();
  private readonly pausedKeys = new Map<string, number>();
  private pausedUntil = 0;
  private inFlight = 0;
  private pumping = false;
  private pumpAgain = false;
  private cancelTimer: (() => void) | undefined;
  /** When the pending timer fires (clock ms). */
  private timerDueAt: number | undefined;
  private closed = false;
  private leaseSeq = 0;

  constructor(
    private readonly store: PermitStore,
    private readonly clock: Clock,
    private readonly leasePrefix: string,
    /** The largest weight a permit may have (requests per interval). */
    readonly maxWeight: number,
  ) {}

  acquire(key?: string, signal?: AbortSignal, weight = 1): Promise<Permit> {
    if (this.closed) return Promise.reject(new RateLimiterClosedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!Number.isInteger(weight) || weight < 1 || weight > this.maxWeight) {
      return Promise.reject(new RangeError(`weight must be an integer from 1 to ${this.maxWeight}, got ${weight}`));
    }
    return new Promise<Permit>((resolve, reject) => {
      const leaseId = `${this.leasePrefix}:${++this.leaseSeq}`;
      const waiter: Waiter = {
        key,
        weight,
        leaseId,
        resolve,
        reject,
        signal,
        onAbort: signal ? () => this.abort(waiter) : undefined,
        deciding: false,
      };
      if (signal && waiter.onAbort) signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.add(waiter);
      this.kick();
    });
  }

  pause(ms: number, key?: string): void | Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`pause needs a finite ms >= 0, got ${ms}`);
    this.notePause(this.clock.now() + ms, key);
    const stored = this.store.pause(ms, key);
    if (stored instanceof Promise) return stored.then(() => this.kick());
    this.kick();
  }

  msUntilNextGrant(): number | undefined {
    if (this.timerDueAt === undefined || this.queue.size === 0) return undefined;
    return Math.max(0, this.timerDueAt - this.clock.now());
  }

  snapshot(): RateLimiterSnapshot {
    const now = this.clock.now();
    const pausedKeys: Record<string, number> = {};
    for (const [key, until] of this.pausedKeys) {
      if (until > now) pausedKeys[key] = until;
      else this.pausedKeys.delete(key);
    }
    const inFlightByKey: Record<string, number> = {};
    for (const [key, count] of this.inFlightByKey)
      if (key !== undefined && count > 0) inFlightByKey[key] = count;
    return {
      inFlight: this.inFlight,
      waiting: this.queue.size,
      ...(this.pausedUntil > now ? { pausedUntil: this.pausedUntil } : {}),
      pausedKeys,
      inFlightByKey,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerDueAt = undefined;
    for (const waiter of this.queue) {
      if (!waiter.deciding) this.settle(waiter, () => waiter.reject(new RateLimiterClosedError()));
    }
    await this.store.close();
  }

  private kick(): void {
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.pass();
      } while (this.pumpAgain && !this.closed);
    } finally {
      this.pumping = false;
    }
  }

  /** Offers the budget to the waiters in arrival order until one is told to wait for everyone. */
  private async pass(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerDueAt = undefined;
    let wakeAt = Infinity;
    for (const waiter of this.queue) {
      if (this.closed) return;
      if (waiter.deciding) continue;
      const blockedUntil = this.keyBlocks.get(waiter.key);
      if (blockedUntil !== undefined) {
        if (blockedUntil > this.clock.now()) {
          wakeAt = Math.min(wakeAt, blockedUntil);
          continue;
        }
        this.keyBlocks.delete(waiter.key);
      }
      waiter.deciding = true;
      let outcome;
      try {
        outcome = await this.store.take(waiter.key, waiter.leaseId, waiter.weight);
      } catch (error) {
        if (this.queue.has(waiter))
          this.settle(waiter, () => waiter.reject(this.closed ? new RateLimiterClosedError() : error));
        continue;
      } finally {
        waiter.deciding = false;
      }
      if (this.closed) {
        if (outcome.granted)
          void Promise.resolve(this.store.release(waiter.key, waiter.leaseId)).catch(() => undefined);
        if (this.queue.has(waiter)) this.settle(waiter, () => waiter.reject(new RateLimiterClosedError()));
        return;
      }
      if (outcome.granted) {
        this.grant(waiter, outcome.grantedAt);
        continue;
      }
      if (!this.queue.has(waiter)) continue; // aborted or closed while deciding; nothing was taken
      const until = this.clock.now() + outcome.waitMs;
      if (outcome.reason === 'paused') this.notePause(until, undefined);
      if (outcome.reason === 'key-paused') this.notePause(until, waiter.key);
      wakeAt = Math.min(wakeAt, until);
      if (blocksEveryone(outcome.reason)) break;
      this.keyBlocks.set(waiter.key, until);
    }
    if (this.keyBlocks.size > this.queue.size) this.forgetIdleKeyBlocks();
    if (wakeAt !== Infinity && this.queue.size > 0 && !this.closed) {
      this.timerDueAt = wakeAt;
      this.cancelTimer = this.clock.setTimer(() => {
        this.cancelTimer = undefined;
        this.timerDueAt = undefined;
        this.kick();
      }, wakeAt - this.clock.now());
    }
  }

  private forgetIdleKeyBlocks(): void {
    const waitingKeys = new Set<string | undefined>();
    for (const waiter of this.queue) waitingKeys.add(waiter.key);
    for (const key of this.keyBlocks.keys()) if (!waitingKeys.has(key)) this.keyBlocks.delete(key);
  }

  private grant(waiter: Waiter, grantedAt: number): void {
    const { key, leaseId, weight } = waiter;
    this.inFlight++;
    this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 0) + 1);
    let released = false;
    let sentReported = false;
    // when this process learned of the grant, on its own clock: the store's clock may be another
    // one (Redis TIME), so a late departure is passed on as the delay since then
    const learnedAt = this.clock.now();
    const permit: Permit = {
      grantedAt,
      sent: (at: number) => {
        const late = at - learnedAt;
        if (sentReported || !(late > 0)) return;
        sentReported = true;
        const reported = this.store.sentLate?.(grantedAt, weight, grantedAt + late);
        // best effort: a report that fails leaves the grant counted from its grant time
        if (reported) reported.catch(() => undefined);
      },
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        const left = (this.inFlightByKey.get(key) ?? 1) - 1;
        if (left > 0) this.inFlightByKey.set(key, left);
        else this.inFlightByKey.delete(key);
        const done = () => {
          this.keyBlocks.delete(key);
          if (!this.closed) this.kick();
        };
        let stored;
        try {
          stored = this.store.release(key, leaseId);
        } catch {
          stored = undefined; // the lease expires on its own (Redis); memory release cannot throw
        }
        if (stored instanceof Promise) stored.then(done, done);
        else done();
      },
    };
    if (!this.queue.has(waiter)) {
      // Aborted (or closed) while its take was in flight: the token is spent, the slot is returned.
      permit.release();
      return;
    }
    this.settle(waiter, () => waiter.resolve(permit));
  }

  private abort(waiter: Waiter): void {
    if (!this.queue.has(waiter)) return;
    this.settle(waiter, () => waiter.reject(abortReason(waiter.signal)));
    this.kick(); // a key-blocked head may have been holding back nobody, but a rate wait may now belong to the next waiter
  }

  private settle(waiter: Waiter, finish: () => void): void {
    this.queue.delete(waiter);
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    finish();
  }

  private notePause(until: number, key: string | undefined): void {
    if (key === undefined) this.pausedUntil = Math.max(this.pausedUntil, until);
    else this.pausedKeys.set(key, Math.max(this.pausedKeys.get(key) ?? 0, until));
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
