/**
 * An open-loop load at a steady arrival rate: request i is due at start + i / rate, sent then
 * whatever the earlier ones are doing (over a keep-alive pool, a new connection when every one is
 * busy), and its latency is counted from when it was due, not from when it went out, so a stall of
 * the server (or of this process) shows in full and is never hidden behind a waiting sender.
 *
 * Why not autocannon for the target figure: its `overallRate` is an allowance per connection per
 * second, so each second opens with up to `connections` requests at once until the allowance is
 * spent — a burst every second rather than a rate — and it then records a slow answer as a run of
 * values down to 1 ms (its coordinated-omission correction for closed loops). Both are right for
 * what autocannon measures (the most a server takes), not for "at 200 requests/s". The benchmark
 * keeps autocannon's figure beside this one.
 */
import { Agent, request } from 'node:http';
import { percentile } from './support';

/** What a load run reports (this pacer, and autocannon's run in tools/bench/stack.ts). */
export interface LoadFigures {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

export interface PacedFigures extends LoadFigures {
  /** Connections the pool opened (the most in flight at once, at least) */
  connections: number;
  /** How late this process sent requests at worst (its own timer), included in the latencies */
  sendLagMaxMs: number;
}

export async function pacedLoad(o: { base: string; rate: number; durationS: number; headers: Record<string, string>; path: (i: number) => string; timeoutMs?: number }): Promise<PacedFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(o.base);
  const total = Math.round(o.rate * o.durationS);
  const intervalMs = 1000 / o.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let timeouts = 0;
  let sendLagMaxMs = 0;
  let sockets = 0;
  const done: Array<Promise<void>> = [];

  const one = (i: number, dueAt: number): Promise<void> =>
    new Promise((resolve) => {
      const req = request(
        { agent, host: url.hostname, port: url.port, path: o.path(i), method: 'GET', headers: o.headers, timeout: o.timeoutMs ?? 10_000 },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            latencies.push(performance.now() - dueAt);
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('socket', () => {
        if (!req.reusedSocket) sockets++;
      });
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });

  const start = performance.now() + 5;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
      const dueAt = start + next * intervalMs;
      sendLagMaxMs = Math.max(sendLagMaxMs, now - dueAt);
      done.push(one(next, dueAt));
      next++;
    }
    const wait = start + next * intervalMs - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, Math.floor(wait))));
  }
  await Promise.all(done);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (v: number): number => Math.round(v * 10) / 10;
  return {
    requests: total,
    rps: round(total / elapsedS),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    maxMs: round(latencies[latencies.length - 1] ?? NaN),
    errors,
    non2xx,
    timeouts,
    connections: sockets,
    sendLagMaxMs: round(sendLagMaxMs),
  };
}
