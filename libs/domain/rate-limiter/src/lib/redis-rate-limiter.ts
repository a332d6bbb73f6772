import { randomUUID } from 'node:crypto';
import type { Clock } from '@ocb/clock';
import type Redis from 'ioredis';
import { positiveInteger, resolveOptions, type ResolvedOptions } from './options';
import type { PermitStore, RefusalReason, TakeOutcome } from './permit-store';
import { QueuedRateLimiter } from './queued-rate-limiter';
import { PAUSE_SCRIPT, RENEW_SCRIPT, SENT_LATE_SCRIPT, TAKE_SCRIPT } from './redis-scripts';
import {
  RateLimiterClosedError,
  RateLimiterUnavailableError,
  type RateLimiter,
  type RateLimiterOptions,
} from './rate-limiter';

export interface RedisRateLimiterOptions extends RateLimiterOptions {
  /** A connection (left open by `close()`) or a URL (connected here, closed by `close()`). */
  redis: Redis | string;
  /** Key prefix: limiters with the same prefix share one budget (default `ocb:rate-limiter`). */
  prefix?: string;
  /** A lease on a per-key slot expires this long after its last renewal (default 30 000 ms). */
  leaseTtlMs?: number;
  /** How often a waiter re-checks a key held at its cap by other processes (default 50 ms). */
  busyPollMs?: number;
  /** A Redis call without an answer within this time fails the acquire (default 2000 ms). */
  commandTimeoutMs?: number;
  /**
   * 'redis' (default): budget arithmetic uses the Redis server's TIME, one clock for every process.
   * 'clock': it uses `clock.now()` (for tests driving a FakeClock; all processes must agree on time).
   */
  timeSource?: 'redis' | 'clock';
}

interface RedisSettings {
  prefix: string;
  leaseTtlMs: number;
  busyPollMs: number;
  commandTimeoutMs: number;
  timeSource: 'redis' | 'clock';
}

/** The budget in Redis: every limiter with the same prefix, in any process, shares it. */
class RedisPermitStore implements PermitStore {
  private readonly base: string;
  private readonly renewals = new Map<string, { key: string; cancel: () => void }>();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly ownsConnection: boolean,
    private readonly opts: ResolvedOptions,
    private readonly settings: RedisSettings,
    private readonly clock: Clock,
  ) {
    // One hash tag for all keys so that the scripts also run on a Redis Cluster.
    this.base = `{${settings.prefix}}`;
  }

  async take(key: string | undefined, leaseId: string, weight: number): Promise<TakeOutcome> {
    const { requestsPerInterval, intervalMs, burst, maxConcurrentPerKey, windowMarginMs } = this.opts;
    const keys = [
      `${this.base}:bucket`,
      `${this.base}:grants`,
      `${this.base}:pause`,
      this.keyPauseKey(key ?? ''),
      this.leasesKey(key ?? ''),
    ];
    const args = [
      requestsPerInterval,
      intervalMs,
      burst,
      maxConcurrentPerKey,
      this.settings.leaseTtlMs,
      leaseId,
      key === undefined ? '0' : '1',
      this.clientNow(),
      windowMarginMs,
      weight,
    ];
    const reply = await this.call('take', () => TAKE_SCRIPT.run(this.redis, keys, args));
    if (!Array.isArray(reply))
      throw new RateLimiterUnavailableError(`Redis rate limiter: unexpected reply ${JSON.stringify(reply)}`);
    if (Number(reply[0]) === 1) {
      if (key !== undefined) this.startRenewal(key, leaseId);
      return { granted: true, grantedAt: Number(reply[1]) / 1000 };
    }
    const reason = String(reply[2]) as RefusalReason;
    const waitMs = Number(reply[1]);
    // Slots freed by other processes are not announced: look again at least every busyPollMs.
    return {
      granted: false,
      reason,
      waitMs: reason === 'key-busy' ? Math.min(waitMs, this.settings.busyPollMs) : waitMs,
    };
  }

  async release(key: string | undefined, leaseId: string): Promise<void> {
    if (key === undefined) return;
    this.stopRenewal(leaseId);
    if (this.closed) return;
    // If this fails the lease simply expires after leaseTtlMs.
    await this.call('release', () => this.redis.zrem(this.leasesKey(key), leaseId)).catch(() => undefined);
  }

  async pause(ms: number, key: string | undefined): Promise<void> {
    const pauseKey = key === undefined ? `${this.base}:pause` : this.keyPauseKey(key);
    await this.call('pause', () => PAUSE_SCRIPT.run(this.redis, [pauseKey], [ms, this.clientNow()]));
  }

  async sentLate(grantedAt: number, weight: number, sentAt: number): Promise<void> {
    // times on the budget's clock, in the grant log's unit (µs, as the take script recorded them)
    const args = [Math.round(grantedAt * 1000), weight, Math.round(sentAt * 1000)];
    await this.call('sent-late', () => SENT_LATE_SCRIPT.run(this.redis, [`${this.base}:grants`], args));
  }

  async close(): Promise<void> {
    const held = [...this.renewals];
    for (const [leaseId] of held) this.stopRenewal(leaseId);
    // Hand back the slots still held (best effort: otherwise they expire after leaseTtlMs).
    await Promise.all(
      held.map(([leaseId, { key }]) =>
        this.call('release', () => this.redis.zrem(this.leasesKey(key), leaseId)).catch(() => undefined),
      ),
    );
    this.closed = true;
    if (this.ownsConnection) {
      if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
      else if (this.redis.status !== 'end') this.redis.disconnect();
    }
  }

  private startRenewal(key: string, leaseId: string): void {
    const every = Math.max(1, Math.floor(this.settings.leaseTtlMs / 3));
    const schedule = (): void => {
      const cancel = this.clock.setTimer(() => {
        if (!this.renewals.has(leaseId)) return;
        const args = [leaseId, this.settings.leaseTtlMs, this.clientNow()];
        void this.call('renew', () => RENEW_SCRIPT.run(this.redis, [this.leasesKey(key)], args)).catch(
          () => undefined,
        );
        schedule();
      }, every);
      this.renewals.set(leaseId, { key, cancel });
    };
    schedule();
  }

  private stopRenewal(leaseId: string): void {
    this.renewals.get(leaseId)?.cancel();
    this.renewals.delete(leaseId);
  }

  private keyPauseKey(key: string): string {
    return `${this.base}:key-pause:${key}`;
  }

  private leasesKey(key: string): string {
    return `${this.base}:leases:${key}`;
  }

  private clientNow(): string {
    return this.settings.timeSource === 'clock' ? String(this.clock.now()) : '';
  }

  /** Runs one Redis operation; any failure or silence becomes a loud RateLimiterUnavailableError. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new RateLimiterClosedError();
    let cancelTimeout: () => void = () => undefined;
    const timeout = new Promise<never>((_, reject) => {
      cancelTimeout = this.clock.setTimer(
        () => reject(new Error(`no reply within ${this.settings.commandTimeoutMs} ms`)),
        this.settings.commandTimeoutMs,
      );
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      if (error instanceof RateLimiterUnavailableError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new RateLimiterUnavailableError(
        `Redis rate limiter unavailable (${operation} failed: ${detail}); no permit granted without the shared budget`,
        { cause: error },
      );
    } finally {
      cancelTimeout();
    }
  }
}

/**
 * A limiter whose budget, pauses and per-key leases live in Redis, shared by every process
 * using the same prefix. Each process keeps its own FIFO queue of waiters.
 */
export function createRedisRateLimiter(opts: RedisRateLimiterOptions): RateLimiter {
  const resolved = resolveOptions(opts);
  const settings: RedisSettings = {
    prefix: opts.prefix ?? 'ocb:rate-limiter',
    leaseTtlMs: positiveInteger('leaseTtlMs', opts.leaseTtlMs ?? 30_000),
    busyPollMs: positiveInteger('busyPollMs', opts.busyPollMs ?? 50),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', opts.commandTimeoutMs ?? 2000),
    timeSource: opts.timeSource ?? 'redis',
  };
  if (!settings.prefix) throw new RangeError('prefix must not be empty');
  const owns = typeof opts.redis === 'string';
  const redis = typeof opts.redis === 'string' ? connect(opts.redis, settings.commandTimeoutMs) : opts.redis;
  const store = new RedisPermitStore(redis, owns, resolved, settings, resolved.clock);
  return new QueuedRateLimiter(store, resolved.clock, `${process.pid}:${randomUUID().slice(0, 8)}`, resolved.requestsPerInterval);
}

function connect(url: string, commandTimeoutMs: number): Redis {
  // required here, not at the top: a process without REDIS_URL never loads ioredis
  const mod = require('ioredis') as { default?: typeof Redis } & typeof Redis;
  const RedisClient = mod.default ?? mod;
  const redis = new RedisClient(url, {
    // Fail the command after one reconnection attempt instead of queueing it for long.
    maxRetriesPerRequest: 1,
    connectTimeout: commandTimeoutMs,
    // ioredis waits this long for a socket that is already gone to report "close" on disconnect.
    disconnectTimeout: 200,
  });
  // Errors surface through the rejected commands; without a listener ioredis would log each one.
  redis.on('error', () => undefined);
  return redis;
}
