import type { Clock } from '@ocb/clock';
import { resolveOptions, type ResolvedOptions } from './options';
import type { PermitStore, TakeOutcome } from './permit-store';
import { QueuedRateLimiter } from './queued-rate-limiter';
import type { RateLimiter, RateLimiterOptions } from './rate-limiter';
import { WindowedTokenBucket } from './window-bucket';

/** The budget in this process's memory: one limiter per process, shared by all its callers. */
class MemoryPermitStore implements PermitStore {
  private readonly bucket: WindowedTokenBucket;
  private readonly inFlight = new Map<string, number>();
  private readonly keyPauses = new Map<string, number>();
  private pausedUntil = 0;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly clock: Clock,
  ) {
    this.bucket = new WindowedTokenBucket(
      opts.requestsPerInterval,
      opts.intervalMs,
      opts.burst,
      opts.windowMarginMs,
    );
  }

  take(key: string | undefined, _leaseId: string, weight: number): TakeOutcome {
    const now = this.clock.now();
    if (this.pausedUntil > now) return { granted: false, waitMs: this.pausedUntil - now, reason: 'paused' };
    if (key !== undefined) {
      const keyPausedUntil = this.keyPauses.get(key) ?? 0;
      if (keyPausedUntil > now) return { granted: false, waitMs: keyPausedUntil - now, reason: 'key-paused' };
      if (keyPausedUntil) this.keyPauses.delete(key);
      // Only a release frees a slot in memory, and a release wakes the queue itself.
      if ((this.inFlight.get(key) ?? 0) >= this.opts.maxConcurrentPerKey)
        return { granted: false, waitMs: Infinity, reason: 'key-busy' };
    }
    const waitMs = this.bucket.tryTake(now, weight);
    if (waitMs > 0) return { granted: false, waitMs, reason: 'rate' };
    if (key !== undefined) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    return { granted: true, grantedAt: now };
  }

  release(key: string | undefined): void {
    if (key === undefined) return;
    const left = (this.inFlight.get(key) ?? 1) - 1;
    if (left > 0) this.inFlight.set(key, left);
    else this.inFlight.delete(key);
  }

  pause(ms: number, key: string | undefined): void {
    const until = this.clock.now() + ms;
    if (key === undefined) this.pausedUntil = Math.max(this.pausedUntil, until);
    else this.keyPauses.set(key, Math.max(this.keyPauses.get(key) ?? 0, until));
  }

  sentLate(grantedAt: number, weight: number, sentAt: number): void {
    this.bucket.sentLate(grantedAt, weight, sentAt);
  }

  async close(): Promise<void> {
    // nothing to free
  }
}

/** A limiter whose budget lives in this process (one instance per process). */
export function createMemoryRateLimiter(opts: RateLimiterOptions = {}): RateLimiter {
  const resolved = resolveOptions(opts);
  return new QueuedRateLimiter(new MemoryPermitStore(resolved, resolved.clock), resolved.clock, 'memory', resolved.requestsPerInterval);
}
