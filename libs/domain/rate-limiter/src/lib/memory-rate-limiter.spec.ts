import { FakeClock } from '@ocb/clock';
import { createMemoryRateLimiter } from './memory-rate-limiter';
import { RateLimiterClosedError, type Permit, type RateLimiter } from './rate-limiter';

function maxInWindow(sortedTimes: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < sortedTimes.length; i++) {
    while (sortedTimes[i] - sortedTimes[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

/** Starts an acquire and records when (fake time) and in which order it was granted. */
function track(limiter: RateLimiter, clock: FakeClock, key?: string, signal?: AbortSignal) {
  const entry: { permit?: Permit; grantedAt?: number; error?: unknown; settled: boolean } = {
    settled: false,
  };
  limiter.acquire(key, signal).then(
    (permit) => Object.assign(entry, { permit, grantedAt: clock.now(), settled: true }),
    (error: unknown) => Object.assign(entry, { error, settled: true }),
  );
  return entry;
}

/** Advances fake time in small steps until `done()` or the budget runs out. */
async function runUntil(clock: FakeClock, done: () => boolean, maxMs = 60_000, stepMs = 10): Promise<void> {
  const end = clock.now() + maxMs;
  while (!done() && clock.now() < end) await clock.advance(stepMs);
}

describe('createMemoryRateLimiter', () => {
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock(0);
  });

  it('grants 300 acquires at 60/s in ~5 s of fake time, never more than 60 in any 1 s window', async () => {
    const limiter = createMemoryRateLimiter({ clock });
    const grants: number[] = [];
    const all = Array.from({ length: 300 }, (_, i) =>
      limiter.acquire(`mailbox-${i % 25}`).then((permit) => {
        grants.push(clock.now());
        permit.release();
      }),
    );
    await runUntil(clock, () => grants.length === 300);
    await Promise.all(all);
    expect(grants).toHaveLength(300);
    expect(maxInWindow(grants, 1000)).toBe(60);
    const last = grants[grants.length - 1];
    // 300 at 60/s: the last grant lands just before 5 s (the first six came as the initial burst)
    expect(last).toBeGreaterThanOrEqual(4900);
    expect(last).toBeLessThan(5000);
    // the default burst is 6 (a tenth of the budget), then one every 16.7 ms
    expect(grants.filter((t) => t === 0)).toHaveLength(6);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it('serves waiters in arrival order', async () => {
    const limiter = createMemoryRateLimiter({ clock, requestsPerInterval: 10, intervalMs: 1000 });
    const order: number[] = [];
    for (let i = 0; i < 40; i++) {
      void limiter.acquire(`m${i % 7}`).then((p) => {
        order.push(i);
        p.release();
      });
    }
    await runUntil(clock, () => order.length === 40);
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('caps a key at 4 in flight: the 5th waits until a release, and a double release frees one slot only', async () => {
    const limiter = createMemoryRateLimiter({ clock });
    const entries = Array.from({ length: 6 }, () => track(limiter, clock, 'alice'));
    await clock.advance(100);
    expect(entries.map((e) => e.settled)).toEqual([true, true, true, true, false, false]);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 4, waiting: 2, inFlightByKey: { alice: 4 } });

    entries[0].permit!.release();
    entries[0].permit!.release();
    await clock.advance(100);
    expect(entries.map((e) => e.settled)).toEqual([true, true, true, true, true, false]);

    entries[1].permit!.release();
    await clock.advance(100);
    expect(entries[5].settled).toBe(true);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 4, waiting: 0 });
  });

  it('does not let a key at its concurrency cap hold back other keys (no head-of-line blocking)', async () => {
    const limiter = createMemoryRateLimiter({ clock, maxConcurrentPerKey: 2 });
    const alice = [
      track(limiter, clock, 'alice'),
      track(limiter, clock, 'alice'),
      track(limiter, clock, 'alice'),
    ];
    const bob = track(limiter, clock, 'bob');
    const keyless = track(limiter, clock);
    await clock.advance(1000);
    expect(alice.map((e) => e.settled)).toEqual([true, true, false]);
    expect(bob.settled).toBe(true);
    expect(keyless.settled).toBe(true);
  });

  it('gives a key-blocked waiter the next token before later arrivals once its key frees up', async () => {
    const limiter = createMemoryRateLimiter({
      clock,
      requestsPerInterval: 2,
      intervalMs: 1000,
      burst: 1,
      windowMarginMs: 0,
      maxConcurrentPerKey: 1,
    });
    const first = track(limiter, clock, 'alice');
    await clock.advance(0);
    expect(first.settled).toBe(true);
    const blocked = track(limiter, clock, 'alice'); // waits for alice's slot
    const later = [track(limiter, clock, 'bob'), track(limiter, clock, 'carol')];
    await clock.advance(10);
    first.permit!.release(); // alice is free again, but no token until t=500
    await clock.advance(490);
    expect(blocked.settled).toBe(true); // the token at 500 goes to the earlier arrival
    expect(later.map((e) => e.settled)).toEqual([false, false]);
    await clock.advance(500);
    expect(later.map((e) => e.settled)).toEqual([true, false]);
  });

  it('pause() without a key holds everyone until it ends, and only extends', async () => {
    const limiter = createMemoryRateLimiter({ clock });
    limiter.pause(5000);
    limiter.pause(2000); // shorter: no effect
    const a = track(limiter, clock, 'alice');
    const b = track(limiter, clock);
    expect(limiter.snapshot().pausedUntil).toBe(5000);
    await clock.advance(4999);
    expect([a.settled, b.settled]).toEqual([false, false]);
    await clock.advance(1);
    expect([a.settled, b.settled]).toEqual([true, true]);
    expect(a.grantedAt).toBe(5000);
    expect(limiter.snapshot().pausedUntil).toBeUndefined();
  });

  it('pause(ms, key) holds that mailbox only', async () => {
    const limiter = createMemoryRateLimiter({ clock });
    limiter.pause(3000, 'alice');
    const alice = track(limiter, clock, 'alice');
    const bob = track(limiter, clock, 'bob');
    await clock.advance(10);
    expect(alice.settled).toBe(false);
    expect(bob.settled).toBe(true);
    expect(limiter.snapshot().pausedKeys).toEqual({ alice: 3000 });
    await clock.advance(2990);
    expect(alice.grantedAt).toBe(3000);
  });

  it('a pause that arrives while a waiter waits for a token holds it until the pause ends', async () => {
    const limiter = createMemoryRateLimiter({ clock, requestsPerInterval: 1, intervalMs: 1000 });
    track(limiter, clock);
    const second = track(limiter, clock);
    await clock.advance(100);
    limiter.pause(4000);
    await clock.advance(3999);
    expect(second.settled).toBe(false);
    await clock.advance(1);
    expect(second.grantedAt).toBe(4100);
  });

  it('rejects an aborted waiter, which then takes no token', async () => {
    const limiter = createMemoryRateLimiter({
      clock,
      requestsPerInterval: 1,
      intervalMs: 1000,
      windowMarginMs: 0,
    });
    const first = track(limiter, clock);
    const controller = new AbortController();
    const aborted = track(limiter, clock, undefined, controller.signal);
    const third = track(limiter, clock);
    await clock.advance(10);
    controller.abort();
    await clock.advance(0);
    expect(first.settled).toBe(true);
    expect(aborted.error).toMatchObject({ name: 'AbortError' });
    expect(limiter.snapshot().waiting).toBe(1);
    await clock.advance(990);
    expect(third.grantedAt).toBe(1000); // the token at 1 s goes to the next waiter
  });

  it('rejects at once when the signal is already aborted, with its reason', async () => {
    const limiter = createMemoryRateLimiter({ clock });
    const reason = new Error('caller gave up');
    await expect(limiter.acquire('alice', AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(limiter.snapshot()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it('close() rejects waiters and later acquires', async () => {
    const limiter = createMemoryRateLimiter({ clock, requestsPerInterval: 1 });
    track(limiter, clock);
    const waiting = track(limiter, clock);
    await clock.advance(0);
    await limiter.close();
    await clock.advance(0);
    expect(waiting.error).toBeInstanceOf(RateLimiterClosedError);
    await expect(limiter.acquire()).rejects.toBeInstanceOf(RateLimiterClosedError);
    expect(clock.pending()).toBe(0);
  });

  it('waits on the injected clock only (no real timers)', async () => {
    const limiter = createMemoryRateLimiter({
      clock,
      requestsPerInterval: 1,
      intervalMs: 60_000,
      windowMarginMs: 0,
    });
    track(limiter, clock);
    const second = track(limiter, clock);
    await clock.advance(0);
    expect(clock.pending()).toBe(1);
    await clock.advance(60_000);
    expect(second.grantedAt).toBe(60_000);
  });

  it('keeps the window guard a margin wider than the interval (default 1 % of it)', async () => {
    const limiter = createMemoryRateLimiter({ clock, requestsPerInterval: 2, intervalMs: 1000, burst: 2 });
    const grants: number[] = [];
    for (let i = 0; i < 6; i++) void limiter.acquire().then(() => grants.push(clock.now()));
    await runUntil(clock, () => grants.length === 6, 10_000, 1);
    // pairs one interval + 10 ms apart: the 3rd grant waits for the 1st to be 1010 ms old
    expect(grants).toEqual([0, 0, 1010, 1010, 2020, 2020]);
  });

  it('counts a permit from when its request went out (Permit.sent), not from its grant', async () => {
    const limiter = createMemoryRateLimiter({ clock, requestsPerInterval: 2, intervalMs: 1000, burst: 2, windowMarginMs: 0 });
    const first = await limiter.acquire();
    (await limiter.acquire()).release();
    await clock.advance(300);
    // the first request waited 300 ms for its connection: the server counts it from 300
    first.sent(clock.now());
    first.sent(clock.now() + 500); // reported once only
    first.release();
    const grants: number[] = [];
    for (let i = 0; i < 2; i++) void limiter.acquire().then((p) => (grants.push(clock.now()), p.release()));
    await runUntil(clock, () => grants.length === 2, 10_000, 1);
    // without the report both would go at 1000; the first request's slot frees at 1300
    expect(grants).toEqual([1000, 1300]);
    await limiter.close();
  });

  it('validates its options', () => {
    expect(() => createMemoryRateLimiter({ requestsPerInterval: 0 })).toThrow(RangeError);
    expect(() => createMemoryRateLimiter({ intervalMs: 1.5 })).toThrow(/intervalMs/);
    expect(() => createMemoryRateLimiter({ burst: 61 })).toThrow(/burst/);
    expect(() => createMemoryRateLimiter({ maxConcurrentPerKey: -1 })).toThrow(/maxConcurrentPerKey/);
    expect(() => createMemoryRateLimiter({ windowMarginMs: 1000 })).toThrow(/windowMarginMs/);
    expect(() => createMemoryRateLimiter({ clock }).pause(Number.NaN)).toThrow(RangeError);
  });

  it('grants weighted permits (JSON batches) in arrival order, with singles queued behind them', async () => {
    const limiter = createMemoryRateLimiter({ clock, windowMarginMs: 25 });
    const requests: number[] = [];
    const order: string[] = [];
    const all: Array<Promise<void>> = [];
    const take = (name: string, weight: number, key?: string) =>
      all.push(
        limiter.acquire(key, undefined, weight).then((permit) => {
          for (let i = 0; i < weight; i++) requests.push(clock.now());
          order.push(name);
          permit.release();
        }),
      );
    for (let i = 0; i < 6; i++) take(`batch-${i}`, 20, i % 2 ? 'mailbox-a' : undefined);
    take('single', 1, 'mailbox-b');
    take('batch-6', 20);
    await runUntil(clock, () => order.length === 8, 10_000, 1);
    await Promise.all(all);
    expect(order).toEqual(['batch-0', 'batch-1', 'batch-2', 'batch-3', 'batch-4', 'batch-5', 'single', 'batch-6']);
    requests.sort((a, b) => a - b);
    expect(maxInWindow(requests, 1025)).toBe(60);
    // 141 requests: seven batches and a single at (almost) the full rate, the window being the bound
    expect(requests[requests.length - 1]).toBeLessThan(2 * 1025 + 400);
    await expect(limiter.acquire(undefined, undefined, 61)).rejects.toThrow(RangeError);
    await expect(limiter.acquire(undefined, undefined, 0)).rejects.toThrow(RangeError);
  });

  it('tells how long until its next grant while a waiter waits for the budget (none when idle)', async () => {
    const limiter = createMemoryRateLimiter({ clock });
    expect(limiter.msUntilNextGrant?.()).toBeUndefined();
    for (let i = 0; i < 6; i++) (await limiter.acquire()).release(); // the burst
    const next = track(limiter, clock);
    await clock.advance(0);
    expect(limiter.msUntilNextGrant?.()).toBe(17);
    await clock.advance(10);
    expect(limiter.msUntilNextGrant?.()).toBe(7);
    await runUntil(clock, () => next.settled, 100, 1);
    expect(next.grantedAt).toBe(17);
    expect(limiter.msUntilNextGrant?.()).toBeUndefined();
  });
});
