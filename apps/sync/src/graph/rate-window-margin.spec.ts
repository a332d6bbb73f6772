/**
 * SYNC_RATE_WINDOW_MARGIN_MS widens the Graph budget's sliding window: a permit that would exceed
 * the cap waits for the window (1 s) plus the margin after the oldest request in it.
 */
import type { RateLimiter } from '@ocb/rate-limiter';
import { startInProcessSimulator, startSync, type SyncRig } from '../testing/sync-test-kit';
import { GRAPH_RATE_LIMITER } from './graph.tokens';

describe('SYNC_RATE_WINDOW_MARGIN_MS', () => {
  const sim = startInProcessSimulator({ users: 0, eventsPerUser: 0, seed: 1 });
  let rig: SyncRig | undefined;
  afterAll(async () => {
    await rig?.close();
    sim.close();
  });

  /** ms between a full window's worth of requests and the next permit. */
  async function nextPermitAfterFullWindow(env: Record<string, string>): Promise<number> {
    await rig?.close();
    rig = await startSync('sqlite', sim, { GRAPH_MAX_REQUESTS_PER_SECOND: '10', ...env });
    const limiter = rig.app.app.get<RateLimiter>(GRAPH_RATE_LIMITER);
    const first = await limiter.acquire(undefined, undefined, 10);
    const t0 = Date.now();
    first.release();
    (await limiter.acquire()).release();
    return Date.now() - t0;
  }

  it('unset: the window plus 25 ms; set to 600: plus 600 ms', async () => {
    const unset = await nextPermitAfterFullWindow({});
    expect(unset).toBeGreaterThanOrEqual(950);
    expect(unset).toBeLessThan(1450);
    const wide = await nextPermitAfterFullWindow({ SYNC_RATE_WINDOW_MARGIN_MS: '600' });
    expect(wide).toBeGreaterThanOrEqual(1550);
  });

  it('refuses a margin outside 0–1000 ms, naming the setting', async () => {
    await expect(startSync('sqlite', sim, { SYNC_RATE_WINDOW_MARGIN_MS: '5000' })).rejects.toThrow(/SYNC_RATE_WINDOW_MARGIN_MS/);
  });
});
