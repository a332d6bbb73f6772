import { randomUUID } from 'node:crypto';
import { FakeClock } from '@ocb/clock';
import Redis from 'ioredis';
import { LuaScript } from './lua-script';
import { RateLimiterUnavailableError, type Permit, type RateLimiter } from './rate-limiter';
import { createRedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter';

/** The Redis these tests run against (REDIS_URL, default the local one). */
function redisUrl(): string {
  return process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

function maxInWindow(sortedTimes: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < sortedTimes.length; i++) {
    while (sortedTimes[i] - sortedTimes[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (real time, short) until `condition()` holds. */
async function eventually(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await realSleep(2);
  }
}

/** Polls (real time, short) until the async `condition()` holds: for effects that land in Redis later. */
async function eventuallyAsync(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await realSleep(2);
  }
}

function track(limiter: RateLimiter, key?: string) {
  const entry: { permit?: Permit; at?: number; error?: unknown; settled: boolean } = { settled: false };
  limiter.acquire(key).then(
    (permit) => Object.assign(entry, { permit, at: Date.now(), settled: true }),
    (error: unknown) => Object.assign(entry, { error, settled: true }),
  );
  return entry;
}

describe('createRedisRateLimiter (against a real Redis)', () => {
  let prefix: string;
  const connections: Redis[] = [];
  const limiters: RateLimiter[] = [];

  function connection(): Redis {
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  }

  function limiter(opts: Partial<RedisRateLimiterOptions> = {}): RateLimiter {
    const created = createRedisRateLimiter({ redis: connection(), prefix, ...opts });
    limiters.push(created);
    return created;
  }

  beforeEach(() => {
    prefix = `rate-limiter-test:${randomUUID()}`;
  });

  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.close()));
    const admin = connection();
    const keys = await admin.keys(`{${prefix}}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all(
      connections
        .splice(0)
        .map((c) => (c.status === 'ready' ? c.quit() : c.status !== 'end' && c.disconnect())),
    );
  });

  it('shares one atomic budget between two instances: never more than the limit in any window', async () => {
    const opts = { requestsPerInterval: 20, intervalMs: 200 };
    const a = limiter(opts);
    const b = limiter(opts);
    const serverTimes: number[] = [];
    const perInstance = [0, 0];
    const end = Date.now() + 1000;
    const caller = async (l: RateLimiter, index: number, key: string) => {
      while (Date.now() < end) {
        const permit = await l.acquire(key);
        if (Date.now() >= end) {
          permit.release();
          break;
        }
        serverTimes.push(permit.grantedAt);
        perInstance[index]++;
        permit.release();
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => caller(i % 2 ? b : a, i % 2, `mailbox-${i % 5}`)));
    serverTimes.sort((x, y) => x - y);
    expect(maxInWindow(serverTimes, 200)).toBeLessThanOrEqual(20);
    // ~1 s at 20 per 200 ms is ~100 grants; both instances drew from it
    expect(serverTimes.length).toBeGreaterThanOrEqual(85);
    expect(serverTimes.length).toBeLessThanOrEqual(101);
    expect(perInstance[0]).toBeGreaterThan(10);
    expect(perInstance[1]).toBeGreaterThan(10);
  });

  it('shares the per-key concurrency cap across instances, without blocking other keys', async () => {
    const a = limiter({ busyPollMs: 10 });
    const b = limiter({ busyPollMs: 10 });
    const held = await Promise.all([1, 2, 3, 4].map(() => a.acquire('alice')));
    const fifth = track(b, 'alice');
    const bob = await b.acquire('bob');
    await realSleep(50);
    expect(fifth.settled).toBe(false);
    held[0].release();
    await eventually(() => fifth.settled);
    expect(fifth.permit).toBeDefined();
    bob.release();
  });

  it('shares a global pause: the other instance waits it out', async () => {
    const a = limiter();
    const b = limiter();
    const started = Date.now();
    await a.pause(300);
    const waiting = track(b, 'alice');
    await realSleep(50);
    expect(waiting.settled).toBe(false);
    expect(b.snapshot()).toMatchObject({ waiting: 1, pausedUntil: expect.any(Number) });
    await eventually(() => waiting.settled);
    expect(waiting.at! - started).toBeGreaterThanOrEqual(290);
    waiting.permit!.release();
  });

  it('shares a per-key pause: only that mailbox waits', async () => {
    const a = limiter();
    const b = limiter();
    const started = Date.now();
    await a.pause(300, 'alice');
    const alice = track(b, 'alice');
    const bob = await b.acquire('bob');
    expect(Date.now() - started).toBeLessThan(150);
    expect(alice.settled).toBe(false);
    await eventually(() => alice.settled);
    expect(alice.at! - started).toBeGreaterThanOrEqual(290);
    bob.release();
  });

  it('frees the slots of a crashed process when their leases expire', async () => {
    const crashing = connection();
    const dead = createRedisRateLimiter({ redis: crashing, prefix, leaseTtlMs: 300 });
    limiters.push(dead);
    await Promise.all([1, 2, 3, 4].map(() => dead.acquire('alice')));
    crashing.disconnect(); // no release, no renewal
    const survivor = limiter({ busyPollMs: 20 });
    const started = Date.now();
    const permit = await survivor.acquire('alice');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(1000);
    permit.release();
  });

  it('renews the leases of permits still held, so a live holder keeps its slots', async () => {
    const a = limiter({ leaseTtlMs: 150 });
    const b = limiter({ busyPollMs: 20 });
    const held = await Promise.all([1, 2, 3, 4].map(() => a.acquire('alice')));
    const fifth = track(b, 'alice');
    await realSleep(500); // more than three lease lifetimes
    expect(fifth.settled).toBe(false);
    held.forEach((p) => p.release());
    await eventually(() => fifth.settled);
    expect(fifth.permit).toBeDefined();
  });

  it('uses the clock for the budget when timeSource is "clock" (deterministic with a FakeClock)', async () => {
    const t0 = 1_000_000;
    const clock = new FakeClock(t0);
    const l = limiter({ clock, timeSource: 'clock', requestsPerInterval: 60, intervalMs: 1000 });
    const grants: number[] = [];
    for (let i = 0; i < 70; i++) void l.acquire().then((p) => grants.push(p.grantedAt));
    await eventually(() => grants.length === 6);
    await realSleep(20);
    expect(grants).toEqual([t0, t0, t0, t0, t0, t0]); // the burst, then nothing until time moves
    while (grants.length < 70 && clock.now() < t0 + 3000) {
      await clock.advance(5);
      await realSleep(1);
    }
    expect(grants).toHaveLength(70);
    expect(grants[6]).toBeGreaterThanOrEqual(t0 + 17); // then one token per 16.7 ms
    expect(grants[60]).toBeGreaterThanOrEqual(t0 + 1000); // the 61st waits for the window to slide
    expect(maxInWindow(grants, 1000)).toBe(60);
  });

  it('weighs JSON batches in the shared budget: two instances, never more than the limit in any window', async () => {
    const t0 = 2_000_000;
    const clock = new FakeClock(t0);
    const a = limiter({ clock, timeSource: 'clock', windowMarginMs: 25 });
    const b = limiter({ clock, timeSource: 'clock', windowMarginMs: 25 });
    const requests: number[] = [];
    let batches = 0;
    for (let i = 0; i < 8; i++) {
      void (i % 2 ? a : b).acquire(undefined, undefined, 20).then((p) => {
        for (let n = 0; n < 20; n++) requests.push(p.grantedAt);
        batches++;
      });
    }
    while (batches < 8 && clock.now() < t0 + 5000) {
      await clock.advance(5);
      await realSleep(1);
    }
    expect(batches).toBe(8);
    requests.sort((x, y) => x - y);
    expect(maxInWindow(requests, 1025)).toBe(60);
    // eight batches of 20 in about 2 windows and two thirds: the full rate
    expect(requests[requests.length - 1] - t0).toBeLessThan(2 * 1025 + 700);
  });

  it('counts a permit from when its request went out (Permit.sent), in the shared window', async () => {
    const t0 = 3_000_000;
    const clock = new FakeClock(t0);
    const opts = { clock, timeSource: 'clock' as const, requestsPerInterval: 2, intervalMs: 1000, burst: 2, windowMarginMs: 0 };
    const a = limiter(opts);
    const b = limiter(opts);
    const first = await a.acquire();
    (await a.acquire()).release();
    await clock.advance(300);
    // the first request waited 300 ms for its connection: Graph counts it from t0 + 300
    first.sent(clock.now());
    first.sent(clock.now() + 500); // reported once only
    first.release();
    // the report is a Redis call of its own: wait until it landed (the newest record moved)
    const admin = connection();
    await eventuallyAsync(async () => Number(await admin.lindex(`{${prefix}}:grants`, 0)) === (t0 + 300) * 1000);
    const grants: number[] = [];
    for (let i = 0; i < 2; i++) void b.acquire().then((p) => (grants.push(p.grantedAt), p.release()));
    while (grants.length < 2 && clock.now() < t0 + 3000) {
      await clock.advance(5);
      await realSleep(1);
    }
    // the other instance sees it: without the report both would go at t0 + 1000; the first slot frees at t0 + 1300
    expect(grants[0]).toBeGreaterThanOrEqual(t0 + 1000);
    expect(grants[0]).toBeLessThan(t0 + 1010);
    expect(grants[1]).toBeGreaterThanOrEqual(t0 + 1300);
    expect(grants[1]).toBeLessThan(t0 + 1310);
  });

  it('moves only the late grant and those after it in the shared log', async () => {
    const t0 = 4_000_000;
    const clock = new FakeClock(t0);
    const l = limiter({ clock, timeSource: 'clock', requestsPerInterval: 60, intervalMs: 1000 });
    const early = await l.acquire(undefined, undefined, 3);
    await clock.advance(10);
    const late = await l.acquire(undefined, undefined, 2);
    await clock.advance(10);
    const next = await l.acquire();
    late.sent(clock.now() + 40); // left 50 ms after its grant, 40 ms after the next one's
    const admin = connection();
    const log = async (): Promise<number[]> => (await admin.lrange(`{${prefix}}:grants`, 0, -1)).map((t) => Number(t) / 1000);
    await eventuallyAsync(async () => (await log())[0] !== t0 + 20);
    expect(await log()).toEqual([t0 + 60, t0 + 60, t0 + 60, t0, t0, t0]);
    for (const p of [early, late, next]) p.release();
  });

  it('fails loudly when Redis is unreachable instead of granting', async () => {
    const unreachable = createRedisRateLimiter({ redis: 'redis://127.0.0.1:1', prefix });
    limiters.push(unreachable);
    await expect(unreachable.acquire('alice')).rejects.toThrow(RateLimiterUnavailableError);
    await expect(unreachable.acquire()).rejects.toThrow(/Redis rate limiter unavailable/);
    await expect(unreachable.pause(1000)).rejects.toThrow(RateLimiterUnavailableError);
  });
});

describe('LuaScript', () => {
  it('falls back to EVAL when the server does not know the script, then uses EVALSHA', async () => {
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    try {
      const marker = randomUUID();
      const script = new LuaScript(`return ARGV[1] .. '${marker}'`);
      expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
      expect(await script.run(redis, [], ['x:'])).toBe(`x:${marker}`);
      expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
      expect(await script.run(redis, [], ['y:'])).toBe(`y:${marker}`);
    } finally {
      await redis.quit();
    }
  });
});
