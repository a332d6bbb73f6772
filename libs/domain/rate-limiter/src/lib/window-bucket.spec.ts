import { WindowedTokenBucket } from './window-bucket';

/** Grants as fast as the bucket allows from t=0 until `until`, returning the grant times. */
function drain(bucket: WindowedTokenBucket, until: number): number[] {
  const times: number[] = [];
  let now = 0;
  while (now < until) {
    const wait = bucket.tryTake(now);
    if (wait === 0) times.push(now);
    else now += wait;
  }
  return times;
}

function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('WindowedTokenBucket', () => {
  it('grants the burst at once, then paces at the refill rate', () => {
    const bucket = new WindowedTokenBucket(60, 1000, 6);
    const times = drain(bucket, 200);
    expect(times.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    // one token per 16.67 ms: at 17, 34, 50, 67, ...
    expect(times.slice(6, 10)).toEqual([17, 34, 50, 67]);
  });

  it('never lets more than the limit into any window, whatever the burst', () => {
    for (const burst of [2, 6, 30, 60]) {
      const times = drain(new WindowedTokenBucket(60, 1000, burst), 10_000);
      expect(maxInWindow(times, 1000)).toBe(60);
      // and still delivers the full rate: 60 in each of the ten seconds
      expect(times.length).toBe(600);
    }
  });

  it('with burst 1 loses rate to millisecond rounding (a full bucket wastes the credit of a late wake)', () => {
    // 1000/60 ms is not a whole number of ms: each wait rounds up to 17 ms and the bucket, already
    // full at one token, drops the surplus, so only 1000/17 = 58.8 grants per second remain.
    const times = drain(new WindowedTokenBucket(60, 1000, 1), 10_000);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(60);
    expect(times.length).toBe(589);
  });

  it('without the window guard a full bucket would allow burst + rate per window (why the guard exists)', () => {
    // After the 60 burst at t=0 the bucket alone would have a token again at 17 ms; the guard
    // makes the 61st grant wait for the first to leave the window.
    const bucket = new WindowedTokenBucket(60, 1000, 60);
    for (let i = 0; i < 60; i++) expect(bucket.tryTake(0)).toBe(0);
    expect(bucket.tryTake(17)).toBe(983);
    expect(bucket.tryTake(1000)).toBe(0);
  });

  it('keeps credit earned while a waiter oversleeps (no rate lost to late timers)', () => {
    const bucket = new WindowedTokenBucket(60, 1000, 6);
    for (let i = 0; i < 6; i++) bucket.tryTake(0);
    expect(bucket.tryTake(0)).toBe(17);
    // woken 8 ms late: granted, and the next token is still due on the original schedule (34)
    expect(bucket.tryTake(25)).toBe(0);
    expect(bucket.tryTake(25)).toBe(9);
  });

  it('refills to capacity only, and ignores a clock that steps back', () => {
    const bucket = new WindowedTokenBucket(10, 1000, 2);
    expect(bucket.tokens(0)).toBe(2);
    bucket.tryTake(0);
    bucket.tryTake(0);
    expect(bucket.tokens(-500)).toBe(0);
    expect(bucket.tokens(100)).toBe(1);
    expect(bucket.tokens(60_000)).toBe(2);
  });

  it('weighs a batch as several requests: min(weight, burst) tokens to start, all of them spent, all in the window', () => {
    const bucket = new WindowedTokenBucket(60, 1000, 6, 25);
    // batches of 20 back to back: every 333 ms, and never more than 60 requests in 1,025 ms
    const times: number[] = [];
    let now = 0;
    while (times.length < 30) {
      const wait = bucket.tryTake(now, 20);
      if (wait === 0) times.push(now);
      else now += wait;
    }
    const requests = times.flatMap((t) => Array<number>(20).fill(t));
    expect(maxInWindow(requests, 1025)).toBe(60);
    expect(times.slice(0, 5)).toEqual([0, 334, 668, 1025, 1359]);
    // 600 requests in 10 batches per ~3.4 s: 58.5/s, the window (1 s + 25 ms) being the bound
    expect((27 * 20) / ((times[27] - times[0]) / 1000)).toBeGreaterThan(58);
    // a single request right after a batch waits for the debt to be paid
    const b = new WindowedTokenBucket(60, 1000, 6);
    expect(b.tryTake(0, 20)).toBe(0);
    expect(b.tryTake(0)).toBe(250); // 14 tokens of debt + 1 at 60/s
  });

  it('refuses weights outside 1..limit', () => {
    const bucket = new WindowedTokenBucket(60, 1000, 6);
    expect(() => bucket.tryTake(0, 0)).toThrow(RangeError);
    expect(() => bucket.tryTake(0, 61)).toThrow(RangeError);
    expect(() => bucket.tryTake(0, 1.5)).toThrow(RangeError);
    expect(bucket.tryTake(0, 60)).toBe(0);
  });

  it('counts a grant from when it went out (sentLate), so the grants after it keep their spacing', () => {
    const late = new WindowedTokenBucket(3, 1000, 3);
    const punctual = new WindowedTokenBucket(3, 1000, 3);
    for (const b of [late, punctual]) for (const t of [0, 100, 200]) expect(b.tryTake(t)).toBe(0);
    // the grant of t=0 reached the server at 150 (a new connection's handshake)
    late.sentLate(0, 1, 150);
    expect(punctual.tryTake(1000)).toBe(0);
    expect(late.tryTake(1000)).toBe(150);
    expect(late.tryTake(1150)).toBe(0);
    // never earlier, and unknown grants change nothing
    late.sentLate(1150, 1, 1100);
    late.sentLate(5, 1, 4000);
    expect(late.tryTake(1200)).toBe(0);
  });

  it('moves a weighted grant (a batch) as a whole', () => {
    const b = new WindowedTokenBucket(60, 1000, 60);
    expect(b.tryTake(0, 20)).toBe(0);
    expect(b.tryTake(340, 20)).toBe(0);
    expect(b.tryTake(680, 20)).toBe(0);
    b.sentLate(0, 20, 90);
    // the next batch needs the batch of t=0 out of the window: from 1090, not 1000
    expect(b.tryTake(1020, 20)).toBe(70);
    expect(b.tryTake(1090, 20)).toBe(0);
  });
});

