/**
 * Rate-limiter benchmark: N concurrent callers hammer `acquire` for S seconds at 60/s and we
 * measure what the callers observed (Date.now() when their permit arrived).
 *
 *   node tools/run-ts.mjs tools/bench/rate-limiter.ts [--seconds 10] [--backend memory|redis|redis-2proc]
 *        [--callers 50] [--rate 60] [--burst N] [--margin MS] [--redis-url redis://127.0.0.1:6379]
 *
 * redis-2proc forks this (bundled) script twice; the two processes share one Redis budget and
 * send their grant times back to be combined.
 */
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { SystemClock } from '@ocb/clock';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '@ocb/rate-limiter';

const argv = process.argv.slice(2);
const arg = (name: string, fallback?: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', '10'));
const backend = arg('backend', 'memory')!;
const callers = Number(arg('callers', '50'));
const rate = Number(arg('rate', '60'));
const burst = arg('burst') === undefined ? undefined : Number(arg('burst'));
const margin = arg('margin') === undefined ? undefined : Number(arg('margin'));
const redisUrl = arg('redis-url', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')!;
const clock = new SystemClock();
const WINDOW_MS = 1000;

interface Grants {
  /** When each caller saw its permit (Date.now()). */
  times: number[];
  /** When the limiter granted it (its clock; Redis server time for the Redis backend). */
  grantedAt: number[];
}

/** Runs `count` callers from `startAt` until `endAt`; each acquires, notes the time, releases. */
async function hammer(limiter: RateLimiter, count: number, startAt: number, endAt: number): Promise<Grants> {
  await clock.sleep(startAt - Date.now());
  const stop = new AbortController();
  setMaxListeners(count + 10, stop.signal); // every caller listens to the one deadline signal
  // A plain (ref'd) timer: SystemClock's timers are unref'd and would let the process exit early.
  const deadline = setTimeout(() => stop.abort(), endAt - Date.now());
  const times: number[] = [];
  const grantedAt: number[] = [];
  const caller = async (i: number): Promise<void> => {
    while (!stop.signal.aborted) {
      let permit;
      try {
        permit = await limiter.acquire(`mailbox-${i % 10}`, stop.signal);
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
      const now = Date.now();
      if (now < endAt) {
        times.push(now);
        grantedAt.push(permit.grantedAt);
      }
      permit.release();
    }
  };
  await Promise.all(Array.from({ length: count }, (_, i) => caller(i)));
  clearTimeout(deadline);
  return { times, grantedAt };
}

function maxInWindow(sorted: number[], windowMs: number): { max: number; at: number } {
  let max = 0;
  let at = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    if (i - j + 1 > max) {
      max = i - j + 1;
      at = sorted[j];
    }
  }
  return { max, at };
}

function report(label: string, grants: Grants, startAt: number, extra = ''): void {
  const sorted = [...grants.times].sort((a, b) => a - b);
  const limiterSide = maxInWindow(
    [...grants.grantedAt].sort((a, b) => a - b),
    WINDOW_MS,
  ).max;
  const lags = grants.times.map((t, i) => t - grants.grantedAt[i]).sort((a, b) => a - b);
  const pct = (q: number) => lags[Math.min(lags.length - 1, Math.floor(lags.length * q))].toFixed(1);
  const achieved = sorted.length / seconds;
  const { max, at } = maxInWindow(sorted, WINDOW_MS);
  // steady state: leave out the first second (the initial burst) and measure the rest
  const steady = sorted.filter((t) => t >= startAt + WINDOW_MS).length / (seconds - 1);
  console.log(
    `rate-limiter bench: backend=${label}, ${callers} callers, ${seconds} s, limit ${rate}/s, burst ${burst ?? 'default'}, windowMarginMs ${margin ?? 'default'}${extra}`,
  );
  console.log(`  grants                  ${sorted.length}`);
  console.log(
    `  achieved rate           ${achieved.toFixed(2)}/s  (ratio to ${rate}: ${(achieved / rate).toFixed(4)})`,
  );
  console.log(`  steady rate (after 1 s) ${steady.toFixed(2)}/s  (ratio: ${(steady / rate).toFixed(4)})`);
  console.log(
    `  max grants in any sliding 1 s window, as callers saw them: ${max} (at +${at - startAt} ms)  ${max <= rate ? 'OK: never above the limit' : 'ABOVE THE LIMIT'}`,
  );
  console.log(`  max grants in any sliding 1 s window, limiter's grant clock: ${limiterSide}`);
  console.log(`  delivery lag (caller saw - granted) ms: p50 ${pct(0.5)}, p99 ${pct(0.99)}, max ${pct(1)}`);
}

function limiterOptions() {
  return {
    requestsPerInterval: rate,
    intervalMs: WINDOW_MS,
    windowMarginMs: margin,
    ...(burst ? { burst } : {}),
    clock,
  };
}

async function runMemory(): Promise<void> {
  const limiter = createMemoryRateLimiter(limiterOptions());
  const startAt = Date.now() + 50;
  const grants = await hammer(limiter, callers, startAt, startAt + seconds * 1000);
  await limiter.close();
  report('memory', grants, startAt);
}

async function runRedisInProcess(prefix: string, count: number, startAt: number): Promise<Grants> {
  // Warm-up on a throwaway budget (loads the Lua script, JIT-compiles the hot path), not measured.
  const warmUpPrefix = `${prefix}:warm-up:${process.pid}`;
  const warmUp = createRedisRateLimiter({ ...limiterOptions(), redis: redisUrl, prefix: warmUpPrefix });
  const warmUpStart = Date.now();
  await hammer(warmUp, count, warmUpStart, Math.min(startAt - 100, warmUpStart + 500));
  await warmUp.close();
  await cleanUp(warmUpPrefix);
  const limiter = createRedisRateLimiter({ ...limiterOptions(), redis: redisUrl, prefix });
  try {
    return await hammer(limiter, count, startAt, startAt + seconds * 1000);
  } finally {
    await limiter.close();
  }
}

async function cleanUp(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const keys = await redis.keys(`{${prefix}}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

async function runRedis(): Promise<void> {
  const prefix = `bench:rate-limiter:${randomUUID()}`;
  const startAt = Date.now() + 1000;
  const grants = await runRedisInProcess(prefix, callers, startAt);
  await cleanUp(prefix);
  report('redis (1 process)', grants, startAt);
}

async function runRedisTwoProcesses(): Promise<void> {
  const prefix = `bench:rate-limiter:${randomUUID()}`;
  const startAt = Date.now() + 1500; // time for both children to start and connect
  const perChild = Math.ceil(callers / 2);
  const script = process.argv[1];
  const childArgs = [
    '--child',
    '--prefix',
    prefix,
    '--start-at',
    String(startAt),
    '--seconds',
    String(seconds),
    '--callers',
    String(perChild),
    '--rate',
    String(rate),
    ...(margin !== undefined ? ['--margin', String(margin)] : []),
    '--redis-url',
    redisUrl,
    ...(burst ? ['--burst', String(burst)] : []),
  ];
  const results = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<Grants>((resolve, reject) => {
          const child = fork(script, childArgs, { stdio: 'inherit' });
          let result: Grants | undefined;
          child.on('message', (message) => (result = message as Grants));
          child.on('error', reject);
          child.on('exit', (code) =>
            result && code === 0 ? resolve(result) : reject(new Error(`child exited with ${code}`)),
          );
        }),
    ),
  );
  await cleanUp(prefix);
  const all: Grants = {
    times: results.flatMap((r) => r.times),
    grantedAt: results.flatMap((r) => r.grantedAt),
  };
  report(
    'redis-2proc',
    all,
    startAt,
    `; per process: ${results.map((r) => r.times.length).join(' + ')} grants`,
  );
}

async function runChild(): Promise<void> {
  const grants = await runRedisInProcess(arg('prefix')!, callers, Number(arg('start-at')));
  await new Promise<void>((resolve, reject) =>
    process.send!(grants, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function main(): Promise<void> {
  if (argv.includes('--child')) return runChild();
  if (backend === 'memory') return runMemory();
  if (backend === 'redis') return runRedis();
  if (backend === 'redis-2proc') return runRedisTwoProcesses();
  throw new Error(`unknown --backend ${backend} (memory | redis | redis-2proc)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
