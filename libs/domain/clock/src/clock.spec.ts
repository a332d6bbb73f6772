import { FakeClock, nextTurn, SystemClock } from './clock';

describe('FakeClock', () => {
  it('fires timers in due order as time advances and not before', async () => {
    const clock = new FakeClock('2026-03-01T00:00:00Z');
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 2000);
    clock.setTimer(() => fired.push('a'), 1000);
    const cancel = clock.setTimer(() => fired.push('never'), 1500);
    cancel();
    await clock.advance(999);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual(['a']);
    await clock.advance(5000);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(Date.parse('2026-03-01T00:00:06Z'));
  });

  it('lets async code chain sleeps within one advance', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    void (async () => {
      await clock.sleep(100);
      seen.push(clock.now());
      await clock.sleep(100);
      seen.push(clock.now());
    })();
    await clock.advance(250);
    expect(seen).toEqual([100, 200]);
  });
});

describe('SystemClock', () => {
  it('tells real time', () => {
    const before = Date.now();
    expect(new SystemClock().now()).toBeGreaterThanOrEqual(before);
  });
});

describe('nextTurn', () => {
  it('resolves after I/O callbacks and immediates already queued, not within the current microtasks', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued immediate'));
    const turn = nextTurn().then(() => order.push('next turn'));
    await Promise.resolve();
    order.push('microtask');
    await turn;
    expect(order).toEqual(['microtask', 'queued immediate', 'next turn']);
  });
});
