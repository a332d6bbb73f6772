/**
 * Graph/Outlook throttling: 4 concurrent requests per mailbox, 10,000 requests per 10 minutes per
 * app and mailbox, an optional global requests-per-second cap, and "throttled until": a client
 * that comes back before its Retry-After has passed is throttled again.
 */
import { GraphError } from './http';

export interface LimitSettings {
  maxConcurrentPerMailbox: number;
  mailboxWindowMs: number;
  mailboxWindowMax: number;
}

export const DEFAULT_LIMITS: LimitSettings = { maxConcurrentPerMailbox: 4, mailboxWindowMs: 600_000, mailboxWindowMax: 10_000 };

export function retryAfterValue(ms: number, fractional: boolean): string {
  if (!fractional) return String(Math.max(1, Math.ceil(ms / 1000)));
  const s = Math.max(0.01, ms / 1000);
  return String(Number(s.toFixed(2)));
}

export class Limits {
  maxRequestsPerSecond = 0;
  private readonly inflight = new Map<string, number>();
  readonly peak = new Map<string, number>();
  private readonly throttledUntil = new Map<string, { until: number; code: string; message: string; bare: boolean }>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  private recent: number[] = [];
  private recentHead = 0;
  /** Arrival time of the latest request counted. */
  private latest = -Infinity;

  constructor(
    private readonly now: () => number,
    readonly settings: LimitSettings = DEFAULT_LIMITS,
  ) {}

  reset(): void {
    this.inflight.clear();
    this.peak.clear();
    this.throttledUntil.clear();
    this.windows.clear();
    this.recent = [];
    this.recentHead = 0;
    this.latest = -Infinity;
  }

  resetPeaks(): void {
    this.peak.clear();
  }

  /** Remembers that `key` (app + mailbox) was told to wait `ms`. */
  markThrottled(key: string, ms: number, code = 'TooManyRequests', message = 'Please retry again later.', bare = false): void {
    const until = this.now() + ms;
    if ((this.throttledUntil.get(key)?.until ?? 0) < until) this.throttledUntil.set(key, { until, code, message, bare });
  }

  /**
   * Rate checks, in order; a GraphError (429) when the request must be refused. Counts the request
   * otherwise. `at`: when it arrived (default now); the per-second cap counts it then.
   */
  admit(key: string, at?: number): GraphError | null {
    const current = this.now();
    // never before the latest request counted (the window keeps arrival order)
    const now = at === undefined ? current : Math.min(current, Math.max(at, this.latest));
    const t = this.throttledUntil.get(key);
    if (t !== undefined) {
      // Came back before Retry-After elapsed: throttled again for the time that is left.
      if (t.until > now) return new GraphError(429, t.code, t.message, { 'Retry-After': retryAfterValue(t.until - now, true) }, t.bare);
      this.throttledUntil.delete(key);
    }
    const rps = this.maxRequestsPerSecond;
    if (rps > 0) {
      if (this.recent.length !== rps) {
        this.recent = new Array<number>(rps).fill(-Infinity);
        this.recentHead = 0;
      }
      const oldest = this.recent[this.recentHead];
      if (oldest > now - 1000) {
        return this.throttle(key, 'TooManyRequests', 'Please retry again later.', oldest + 1000 - now, true, true);
      }
    }
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.settings.mailboxWindowMs) this.windows.set(key, { start: now, count: 1 });
    else if (w.count >= this.settings.mailboxWindowMax) {
      return this.throttle(key, 'ApplicationThrottled', 'Application is over its MailboxRequests limit (10000 requests per 10 minutes).', w.start + this.settings.mailboxWindowMs - now, false, false);
    } else w.count++;
    if (rps > 0) {
      this.recent[this.recentHead] = now;
      this.recentHead = (this.recentHead + 1) % rps;
    }
    this.latest = Math.max(this.latest, now);
    return null;
  }

  private throttle(key: string, code: string, message: string, waitMs: number, fractional: boolean, inner: boolean): GraphError {
    const value = retryAfterValue(waitMs, fractional);
    this.markThrottled(key, Number(value) * 1000, code, message, !inner);
    return new GraphError(429, code, message, { 'Retry-After': value }, !inner);
  }

  /** Takes a concurrency slot of `mailbox`; a 429 when it already has the maximum in flight. */
  acquire(mailbox: string, key: string): GraphError | null {
    const n = (this.inflight.get(mailbox) ?? 0) + 1;
    if (n > this.settings.maxConcurrentPerMailbox) {
      return this.throttle(key, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', 1000, false, false);
    }
    this.inflight.set(mailbox, n);
    if ((this.peak.get(mailbox) ?? 0) < n) this.peak.set(mailbox, n);
    return null;
  }

  release(mailbox: string): void {
    const n = (this.inflight.get(mailbox) ?? 1) - 1;
    if (n <= 0) this.inflight.delete(mailbox);
    else this.inflight.set(mailbox, n);
  }
}
