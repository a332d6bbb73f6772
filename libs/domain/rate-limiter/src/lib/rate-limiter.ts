import type { Clock } from '@ocb/clock';

/** Options shared by every backend. */
export interface RateLimiterOptions {
  /** Requests allowed per interval (default 60). */
  requestsPerInterval?: number;
  /** Length of the interval in ms (default 1000). */
  intervalMs?: number;
  /**
   * Token-bucket capacity: how many permits may be granted back to back after an idle period
   * (default `ceil(requestsPerInterval / 10)`, i.e. 6 for 60/s). Whatever the burst, no window
   * of `intervalMs` ever sees more than `requestsPerInterval` grants (see README, "Budget").
   */
  burst?: number;
  /**
   * Safety margin of the window guard in ms (default 1 % of `intervalMs`, i.e. 10 ms for 1 s): the N-th previous grant must be
   * `intervalMs + windowMarginMs` old. Absorbs the jitter between the limiter's decision and the
   * moment the request actually leaves (event-loop lag, Redis round trips), at a cost of
   * `windowMarginMs / intervalMs` of throughput. See README, "Budget".
   */
  windowMarginMs?: number;
  /** Permits in flight per key (mailbox) at most (default 4). Calls without a key are not capped. */
  maxConcurrentPerKey?: number;
  /** Time source for waits and budget arithmetic (default: the system clock). */
  clock?: Clock;
}

/** A granted permit. `release()` frees its per-key concurrency slot; calling it twice is harmless. */
export interface Permit {
  release(): void;
  /** When the permit was granted: the limiter's clock (memory) or the Redis server's clock (ms). */
  readonly grantedAt: number;
  /**
   * Tells the limiter when the request actually went out (this process's clock, ms), if later
   * than the permit was handed over (a new connection's handshake, a busy event loop): the rate
   * window then counts it from there, as the server does. Both stores use it; Redis gets the delay
   * added to the grant time on its own clock.
   */
  sent(at: number): void;
}

export interface RateLimiterSnapshot {
  /** Permits granted by this instance and not yet released. */
  inFlight: number;
  /** Callers of `acquire` still waiting in this instance. */
  waiting: number;
  /** Global pause known to this instance (clock ms), if still in effect. */
  pausedUntil?: number;
  /** Per-key pauses known to this instance (clock ms), those still in effect. */
  pausedKeys: Record<string, number>;
  /** This instance's permits in flight, by key (keyless permits are not listed). */
  inFlightByKey: Record<string, number>;
}

export interface RateLimiter {
  /**
   * Resolves with a permit once no pause applies (global, or the key's), the key has a free
   * concurrency slot and a token was taken. Tokens go to waiters in arrival order; a waiter held
   * back only by its own key (pause or concurrency) does not hold back other keys.
   * Rejects with the signal's reason when `signal` aborts first.
   *
   * `weight` (default 1): how many requests the permit stands for, from 1 to
   * `requestsPerInterval`: a JSON batch counts its items against Graph's budget when it arrives,
   * so its permit is granted only when that many requests fit the window at once (and their tokens
   * are spent; see README, "Weighted permits"). The per-key concurrency slot is one either way.
   */
  acquire(key?: string, signal?: AbortSignal, weight?: number): Promise<Permit>;
  /**
   * The heaviest permit `acquire` grants (`requestsPerInterval`): callers that group requests
   * (a JSON batch) keep their groups at most this large, so that any budget, even 1 per interval,
   * serves them.
   */
  readonly maxWeight?: number;
  /**
   * Stops granting for `ms` (Retry-After): for `key` only (mailbox throttling) or for everyone
   * (application throttling). A pause only ever extends an existing one.
   */
  pause(ms: number, key?: string): void | Promise<void>;
  snapshot(): RateLimiterSnapshot;
  /**
   * Ms until this instance next tries to grant a waiting permit, when it is waiting for time to
   * pass (the budget or a pause); undefined when nobody waits for time. Callers about to hold the
   * event loop for a while (parsing a large answer, a big write) let that grant go first, so it is
   * not held back by their work.
   */
  msUntilNextGrant?(): number | undefined;
  /** Rejects every waiter with `RateLimiterClosedError` and frees the backend's resources. */
  close(): Promise<void>;
}

export class RateLimiterClosedError extends Error {
  constructor() {
    super('rate limiter is closed');
    this.name = 'RateLimiterClosedError';
  }
}

/** The shared budget (Redis) cannot be consulted: no permit is granted without it. */
export class RateLimiterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateLimiterUnavailableError';
  }
}
