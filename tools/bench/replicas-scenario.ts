/**
 * Sync replicas on one PostgreSQL and one Redis against the built standalone simulator (HTTPS,
 * capped at `rps` like Graph): N built sync processes (REDIS_URL: the BullMQ queue), a full run
 * started on the first, optionally one replica SIGKILLed mid-run; then the cache is compared with
 * the running simulator's truth (`GET /_sim/users/{id}/events` of every mailbox: ids and changeKeys).
 * The tenant is explicit (`tenantOf`: single events) so that those records are exactly what sync
 * caches. Used by `tools/bench/replicas.ts` (1, 2, 3 replicas).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { checkAgainstSimulator, tenantOf, type TruthCheck } from './scale/tenant';
import { cpuSeconds, PLATFORM, postgresCpu, postgresCpuSince, serviceCall, start, startAuthStandIn, startSimulator, stop, syncEnv, waitFor, type SimClient } from './support';

export interface ScenarioOptions {
  simMain: string;
  syncMain: string;
  users: number;
  events: number;
  rps: number;
  replicas: number;
  /** SIGKILL the last replica once this share of the mailboxes is done (none: no kill). */
  killAt?: number;
  /** Delta cron pattern for every replica (6 fields: seconds); none: crons off. */
  deltaCron?: string;
  /** PostgreSQL server URL (a fresh database is created and dropped). */
  postgresUrl: string;
  redisUrl: string;
  basePort: number;
  lockMs: number;
  /** SYNC_RATE_WINDOW_MARGIN_MS of the replicas (none: sync's default, 25 ms) */
  marginMs?: number;
}

interface Run { runId: string; status: string; usersTotal: number; usersDone: number; eventsUpserted: number; mailboxesFailed: number; mailboxesSkipped: number; graphRequests: number; startedAt: string; finishedAt: string | null }
interface SimStats { requests: Record<string, Record<string, number>>; throttled: number; total: number }

export interface ScenarioResult {
  replicas: number;
  run: Run;
  wallS: number;
  runS: number;
  planS: number;
  mailboxesPerS: number;
  graphCounted: number;
  graphRateOverCap: number;
  /** Graph rate ÷ cap from 10 % to 90 % of the mailboxes done (without the plan and the last writes) */
  fetchPhaseRateOverCap: number;
  throttled: number;
  budgetBoundS: number;
  truth: TruthCheck;
  killed: boolean;
  jobsByWorker: Record<string, number>;
  cronFired: number;
  cpuS: { syncReplicas: number[]; simulator: number; postgres: number };
}

/** Requests Graph counts: batch items and direct requests, not the `$batch` envelopes. */
function counted(stats: SimStats): number {
  return stats.total - Object.values(stats.requests['POST /$batch'] ?? {}).reduce((a, b) => a + b, 0);
}

export async function runReplicaScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'ocb-replicas-'));
  const procs: ChildProcess[] = [];
  const dbName = `ocb_replicas_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: o.postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(o.postgresUrl);
  dbUrl.pathname = `/${dbName}`;
  let authServer: { close(): void } | null = null;
  try {
    const simulator = await startSimulator(o.simMain, o.basePort, join(tmp, 'cert'));
    procs.push(simulator.proc);
    const sim: SimClient = simulator.sim;
    const tenant = tenantOf(o.users, o.events, Date.now());
    await sim.call('POST', '/_sim/seed', { tenant });
    await sim.call('PUT', '/_sim/faults', { maxRequestsPerSecond: o.rps });
    const auth = await startAuthStandIn(sim, o.basePort + 1);
    authServer = auth.server;
    const bases: string[] = [];
    for (let i = 0; i < o.replicas; i++) {
      const port = o.basePort + 10 + i;
      const env = {
        ...syncEnv({ port, simOrigin: sim.origin, certPath: simulator.certPath, authPort: o.basePort + 1, databaseUrl: dbUrl.toString(), rps: o.rps }),
        REDIS_URL: o.redisUrl,
        REDIS_PREFIX: prefix,
        SYNC_QUEUE_LOCK_MS: String(o.lockMs),
        ...(o.marginMs !== undefined ? { SYNC_RATE_WINDOW_MARGIN_MS: String(o.marginMs) } : {}),
        ...(o.deltaCron ? { SYNC_CRON_ENABLED: 'true', SYNC_DELTA_CRON: o.deltaCron, SYNC_FULL_CRON: '0 3 1 1 *' } : {}),
      };
      procs.push(await start(`sync-${i}`, o.syncMain, env, null));
      const base = `http://127.0.0.1:${port}`;
      // one at a time: the first applies the migrations
      await waitFor(`${base}/api/health/ready`, `sync replica ${i}`);
      bases.push(base);
    }
    const syncProcs = procs.slice(1);
    const cpu0 = syncProcs.map((p) => cpuSeconds(p.pid ?? 0));
    const simCpu0 = await sim.cpuSeconds();
    const pg0 = postgresCpu();
    await sim.call('POST', '/_sim/stats/reset');
    const t0 = Date.now();
    const { runId } = await serviceCall<{ runId: string }>(bases[0], 'POST', 'api/sync/full', PLATFORM);
    let run: Run;
    let planS = 0;
    let killed = false;
    const victim = o.replicas - 1;
    const samples: Array<{ at: number; done: number; counted: number }> = [];
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      run = await serviceCall<Run>(bases[0], 'GET', `api/sync/runs/${runId}`, PLATFORM);
      samples.push({ at: Date.now(), done: run.usersDone, counted: counted(await sim.call<SimStats>('GET', '/_sim/stats')) });
      if (!planS && run.usersTotal > 0) planS = (Date.now() - t0) / 1000;
      if (o.killAt !== undefined && !killed && run.usersTotal > 0 && run.usersDone >= o.killAt * run.usersTotal && victim > 0) {
        syncProcs[victim].kill('SIGKILL');
        killed = true;
      }
      if (run.status !== 'running') break;
    }
    const wallS = (Date.now() - t0) / 1000;
    const stats = await sim.call<SimStats>('GET', '/_sim/stats');
    const cpuS = {
      syncReplicas: syncProcs.map((p, i) => (p.exitCode === null && !p.killed ? cpuSeconds(p.pid ?? 0) - cpu0[i] : NaN)),
      simulator: (await sim.cpuSeconds()) - simCpu0,
      postgres: postgresCpuSince(pg0),
    };
    const runS = run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : wallS;
    const graphCounted = counted(stats);
    const from = samples.find((x) => x.done >= 0.1 * o.users);
    const to = [...samples].reverse().find((x) => x.done <= 0.9 * o.users);
    const fetchPhaseRateOverCap = from && to && to.at > from.at ? (to.counted - from.counted) / ((to.at - from.at) / 1000) / o.rps : NaN;
    let cronFired = 0;
    for (const [i, base] of bases.entries()) {
      if (killed && i === victim) continue;
      const text = await (await fetch(`${base}/metrics`)).text();
      for (const m of text.matchAll(/^sync_cron_fired_total\{kind="\w+"\} (\d+)/gm)) cronFired += Number(m[1]);
    }
    const db = new Client({ connectionString: dbUrl.toString() });
    await db.connect();
    const rows = (await db.query<{ user_id: string; id: string; change_key: string }>('SELECT user_id, id, change_key FROM sync_events')).rows;
    const byWorker = (await db.query<{ worker: string; n: string }>('SELECT worker, count(*) AS n FROM sync_run_jobs WHERE run_id = $1 GROUP BY worker', [runId])).rows;
    await db.end();
    const truth = await checkAgainstSimulator(sim, tenant.users.map((u) => u.id), rows);
    for (const p of syncProcs) if (p.exitCode === null && !p.killed) await stop(p, false);
    return {
      replicas: o.replicas,
      run,
      wallS,
      runS,
      planS,
      mailboxesPerS: run.usersTotal / runS,
      graphCounted,
      graphRateOverCap: graphCounted / runS / o.rps,
      fetchPhaseRateOverCap,
      throttled: stats.throttled,
      budgetBoundS: graphCounted / o.rps,
      truth,
      killed,
      jobsByWorker: Object.fromEntries(byWorker.map((r) => [r.worker, Number(r.n)])),
      cronFired,
      cpuS,
    };
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    authServer?.close();
    await new Promise((r) => setTimeout(r, 300));
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    const redis = new IORedis(o.redisUrl);
    const keys = [...(await redis.keys(`${prefix}:*`)), ...(await redis.keys(`{${prefix}:rate-limiter}:*`))];
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(tmp, { recursive: true, force: true });
  }
}
