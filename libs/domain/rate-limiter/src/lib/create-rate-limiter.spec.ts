import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createRateLimiter } from './create-rate-limiter';
import type { RateLimiter } from './rate-limiter';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether a permit comes within `ms` (the budget of the window is left), releasing it at once. */
async function grantedWithin(limiter: RateLimiter, ms: number): Promise<boolean> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    const permit = await limiter.acquire(undefined, ac.signal);
    permit.release();
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

describe('createRateLimiter: the Graph budget of one deployment (REDIS_PREFIX)', () => {
  const made: RateLimiter[] = [];
  const prefixes: string[] = [];
  const deployment = (): string => {
    const p = `budget-test-${randomUUID()}`;
    prefixes.push(p);
    return p;
  };
  const budget = (redisPrefix: string): RateLimiter => {
    const l = createRateLimiter({ requestsPerInterval: 2, burst: 2, intervalMs: 60_000, redis: REDIS_URL, redisPrefix });
    made.push(l);
    return l;
  };

  afterEach(async () => {
    await Promise.all(made.splice(0).map((l) => l.close()));
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    for (const p of prefixes.splice(0)) {
      const keys = await admin.keys(`{${p}:rate-limiter}:*`);
      if (keys.length) await admin.del(...keys);
    }
    await admin.quit();
  });

  it('keeps its keys under <prefix>:rate-limiter', async () => {
    const p = deployment();
    expect(await grantedWithin(budget(p), 1000)).toBe(true);
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      expect((await admin.keys(`{${p}:rate-limiter}:*`)).length).toBeGreaterThan(0);
    } finally {
      await admin.quit();
    }
  });

  it('shares one budget between the services of a deployment, not with another deployment on the same Redis', async () => {
    const mine = deployment();
    const sync = budget(mine);
    const actions = budget(mine);
    expect(await grantedWithin(sync, 1000)).toBe(true);
    expect(await grantedWithin(actions, 1000)).toBe(true);
    // the window's 2 requests are spent by the deployment as a whole
    expect(await grantedWithin(actions, 300)).toBe(false);
    expect(await grantedWithin(sync, 300)).toBe(false);
    // another deployment's budget is its own
    expect(await grantedWithin(budget(deployment()), 1000)).toBe(true);
  });
});
