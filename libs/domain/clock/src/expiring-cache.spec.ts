import { FakeClock } from './clock';
import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  it('keeps a value until the margin before expiry, then loads anew', async () => {
    const clock = new FakeClock(0);
    const cache = new ExpiringCache<string>({ clock, renewBeforeMs: 60_000 });
    let n = 0;
    const load = async () => ({ value: `t${++n}`, expiresAt: clock.now() + 3_600_000 });
    expect(await cache.get('a', load)).toBe('t1');
    clock.set(3_600_000 - 60_001);
    expect(await cache.get('a', load)).toBe('t1');
    clock.set(3_600_000 - 60_000);
    expect(await cache.get('a', load)).toBe('t2');
  });

  it('loads once for concurrent callers (single flight); a forced load does not join a plain one', async () => {
    const clock = new FakeClock(0);
    const cache = new ExpiringCache<string>({ clock, renewBeforeMs: 0 });
    let n = 0;
    const load = async () => {
      await clock.sleep(10);
      return { value: `t${++n}`, expiresAt: 1_000_000 };
    };
    const calls = [cache.get('a', load), cache.get('a', load), cache.get('a', load, true)];
    await clock.advance(10);
    expect(await Promise.all(calls)).toEqual(['t1', 't1', 't2']);
    expect(await cache.get('a', load)).toBe('t2');
  });

  it('computes the margin from the lifetime, and forgets a value on invalidate', async () => {
    const clock = new FakeClock(0);
    const cache = new ExpiringCache<string>({ clock, renewBeforeMs: (lifetime) => lifetime / 2 });
    let n = 0;
    const load = async () => ({ value: `t${++n}`, expiresAt: clock.now() + 1000 });
    expect(await cache.get('a', load)).toBe('t1');
    clock.set(499);
    expect(await cache.get('a', load)).toBe('t1');
    cache.invalidate('a', (v) => v === 'other');
    expect(await cache.get('a', load)).toBe('t1');
    cache.invalidate('a', (v) => v === 't1');
    expect(await cache.get('a', load)).toBe('t2');
  });
});
