import { FakeClock } from '@ocb/clock';
import { InProcessChangeQueue } from './change-queue';

interface Run {
  userId: string;
  /** The notification count when this delta started. */
  seq: number;
  finish: () => void;
  fail: (e: Error) => void;
}

/** A queue whose work is held open until the test finishes or fails it. */
function rig(opts: { coalesceMs?: number; concurrency?: number; retryMs?: number; maxAttempts?: number; seq?: () => number } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 2, 2, 8));
  const runs: Run[] = [];
  const errors: Array<{ userId: string; retryInMs: number | null }> = [];
  let running = 0;
  let peak = 0;
  const queue = new InProcessChangeQueue({
    clock,
    coalesceMs: opts.coalesceMs ?? 100,
    concurrency: opts.concurrency ?? 2,
    retryMs: opts.retryMs,
    maxAttempts: opts.maxAttempts,
    work: (userId) =>
      new Promise<void>((resolve, reject) => {
        running++;
        peak = Math.max(peak, running);
        const done = () => running--;
        runs.push({ userId, seq: opts.seq?.() ?? 0, finish: () => (done(), resolve()), fail: (e) => (done(), reject(e)) });
      }),
    onError: (userId, _e, retryInMs) => errors.push({ userId, retryInMs }),
  });
  const finishAll = async () => {
    for (const r of runs.splice(0)) r.finish();
    await clock.advance(0);
  };
  return { clock, queue, runs, errors, peak: () => peak, running: () => running, finishAll };
}

describe('InProcessChangeQueue', () => {
  it('coalesces notifications for one mailbox within the window into one delta', async () => {
    const r = rig({ coalesceMs: 100 });
    for (let i = 0; i < 50; i++) r.queue.enqueue('alice');
    await r.clock.advance(99);
    expect(r.runs).toHaveLength(0);
    r.queue.enqueue('alice');
    await r.clock.advance(1);
    expect(r.runs.map((x) => x.userId)).toEqual(['alice']);
    await r.finishAll();
    await r.queue.idle();
    expect(r.runs).toHaveLength(0);
  });

  it('asked again while the delta runs: exactly one more delta afterwards, not one per notification', async () => {
    const r = rig();
    r.queue.enqueue('alice');
    await r.clock.advance(100);
    expect(r.runs).toHaveLength(1);
    for (let i = 0; i < 20; i++) r.queue.enqueue('alice');
    await r.finishAll();
    // the follow-up waits out the window again, then runs once
    expect(r.runs).toHaveLength(0);
    await r.clock.advance(100);
    expect(r.runs.map((x) => x.userId)).toEqual(['alice']);
    await r.finishAll();
    await r.clock.advance(1000);
    expect(r.runs).toHaveLength(0);
  });

  it('keeps separate mailboxes separate and never runs more than `concurrency` at once', async () => {
    const r = rig({ concurrency: 3 });
    const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
    for (const u of users) r.queue.enqueue(u);
    await r.clock.advance(100);
    expect(r.runs).toHaveLength(3);
    const seen: string[] = [];
    while (r.runs.length) {
      expect(r.running()).toBeLessThanOrEqual(3);
      seen.push(...r.runs.map((x) => x.userId));
      await r.finishAll();
    }
    expect(seen.sort()).toEqual([...users].sort());
    expect(r.peak()).toBe(3);
    await r.queue.idle();
  });

  it('retries a failed delta after a growing pause until it succeeds; a notification meanwhile joins the retry', async () => {
    const r = rig({ retryMs: 1000 });
    r.queue.enqueue('alice');
    await r.clock.advance(100);
    r.runs.shift()!.fail(new Error('Graph 503'));
    await r.clock.advance(0);
    expect(r.errors).toEqual([{ userId: 'alice', retryInMs: 1000 }]);
    r.queue.enqueue('alice');
    await r.clock.advance(999);
    expect(r.runs).toHaveLength(0);
    await r.clock.advance(1);
    expect(r.runs).toHaveLength(1);
    r.runs.shift()!.fail(new Error('Graph 503'));
    await r.clock.advance(0);
    expect(r.errors.map((e) => e.retryInMs)).toEqual([1000, 2000]);
    await r.clock.advance(2000);
    expect(r.runs).toHaveLength(1);
    await r.finishAll();
    await r.queue.idle();
    // succeeded: the count starts over for the next change
    r.queue.enqueue('alice');
    await r.clock.advance(100);
    r.runs.shift()!.fail(new Error('Graph 503'));
    await r.clock.advance(0);
    expect(r.errors.map((e) => e.retryInMs)).toEqual([1000, 2000, 1000]);
  });

  it('gives up after maxAttempts, saying so (the delta poll covers it), and is idle afterwards', async () => {
    const r = rig({ retryMs: 10, maxAttempts: 3 });
    r.queue.enqueue('alice');
    await r.clock.advance(100);
    for (let i = 0; i < 3; i++) {
      r.runs.shift()!.fail(new Error('boom'));
      await r.clock.advance(1000);
    }
    expect(r.errors.map((e) => e.retryInMs)).toEqual([10, 20, null]);
    expect(r.runs).toHaveLength(0);
    await expect(r.queue.idle()).resolves.toBeUndefined();
  });

  it('loses nothing: every mailbox notified ends with a successful delta that started after its last notification', async () => {
    let seq = 0;
    const r = rig({ concurrency: 4, coalesceMs: 50, retryMs: 100, seq: () => seq });
    const lastNotified = new Map<string, number>();
    const lastSucceeded = new Map<string, number>();
    const succeed = (run: Run) => {
      lastSucceeded.set(run.userId, Math.max(lastSucceeded.get(run.userId) ?? 0, run.seq));
      run.finish();
    };
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 5; i++) {
        const u = `u${(round * 7 + i * 3) % 12}`;
        lastNotified.set(u, ++seq);
        r.queue.enqueue(u);
      }
      await r.clock.advance(20 + (round % 4) * 30);
      // finish about half of what is running, fail one every fifth round
      r.runs.splice(0, Math.ceil(r.runs.length / 2)).forEach((run, k) => (round % 5 === 0 && k === 0 ? run.fail(new Error('flaky')) : succeed(run)));
      await r.clock.advance(0);
    }
    for (let i = 0; i < 100 && (r.runs.length || r.clock.pending()); i++) {
      r.runs.splice(0).forEach(succeed);
      await r.clock.advance(5000);
    }
    await r.queue.idle();
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.every((e) => e.retryInMs !== null)).toBe(true);
    expect(r.peak()).toBeLessThanOrEqual(4);
    for (const [u, n] of lastNotified) expect({ u, covered: (lastSucceeded.get(u) ?? 0) >= n }).toEqual({ u, covered: true });
  });

  it('after close, takes nothing more and settles', async () => {
    const r = rig();
    r.queue.enqueue('alice');
    r.queue.close();
    r.queue.enqueue('bob');
    await r.clock.advance(1000);
    expect(r.runs).toHaveLength(0);
    await expect(r.queue.idle()).resolves.toBeUndefined();
  });
});
