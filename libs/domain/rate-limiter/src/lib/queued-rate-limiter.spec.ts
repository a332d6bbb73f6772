import { FakeClock } from '@ocb/clock';
import type { PermitStore, TakeOutcome } from './permit-store';
import { QueuedRateLimiter } from './queued-rate-limiter';

/** A store on another clock than the process (as Redis TIME is): grants stamped `offset` ms later. */
class OffsetStore implements PermitStore {
  readonly reports: Array<[number, number, number]> = [];
  constructor(
    private readonly clock: FakeClock,
    private readonly offset: number,
  ) {}
  take(): TakeOutcome {
    return { granted: true, grantedAt: this.clock.now() + this.offset };
  }
  release(): void {
    // nothing held
  }
  pause(): void {
    // no pauses in these tests
  }
  sentLate(grantedAt: number, weight: number, sentAt: number): Promise<void> {
    this.reports.push([grantedAt, weight, sentAt]);
    return Promise.reject(new Error('store unavailable')); // a failed report is dropped quietly
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('QueuedRateLimiter: late departures', () => {
  it("passes a late departure to the store on the store's clock (grant time + the delay), once", async () => {
    const clock = new FakeClock(1_000);
    const store = new OffsetStore(clock, 5_000_000);
    const limiter = new QueuedRateLimiter(store, clock, 'test', 60);
    const permit = await limiter.acquire(undefined, undefined, 20);
    expect(permit.grantedAt).toBe(5_001_000);
    await clock.advance(120);
    permit.sent(clock.now()); // 120 ms after the grant, on this process's clock
    permit.sent(clock.now() + 50);
    expect(store.reports).toEqual([[5_001_000, 20, 5_001_120]]);
    permit.release();
    await limiter.close();
  });

  it('reports nothing for a request that went out on time', async () => {
    const clock = new FakeClock(1_000);
    const store = new OffsetStore(clock, -300);
    const limiter = new QueuedRateLimiter(store, clock, 'test', 60);
    const permit = await limiter.acquire();
    permit.sent(clock.now());
    permit.sent(clock.now() - 10);
    expect(store.reports).toEqual([]);
    permit.release();
    await limiter.close();
  });
});
