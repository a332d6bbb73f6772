/**
 * The scale scenario (`scale.scale.ts` asserts on its figures): built processes — 3 sync replicas,
 * 2 notifications, 2 actions and auth — on one PostgreSQL database per service and one Redis,
 * against the standalone simulator capped at `cap` requests/s (sync's Redis budget at the same cap,
 * shared by the replicas). A tenant of `users` mailboxes; a full run with one sync replica SIGKILLed
 * mid-run; the delta cron every 5 s on every replica; `reminders` events falling due during the test
 * while one notifications replica is killed and started again.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { PLATFORM, serviceCall, startSimulator, type SimClient } from '../support';
import { commonEnv, databases, kill, launch, receiver, type Delivery, type Replica } from './processes';
import { checkAgainstSimulator, event, tenantOf, type TruthCheck } from './tenant';

export interface ScaleOptions {
  users: number;
  eventsPerUser: number;
  cap: number;
  reminders: number;
  postgresUrl: string;
  redisUrl: string;
  basePort: number;
  /** SYNC_RATE_WINDOW_MARGIN_MS of the sync replicas */
  marginMs: number;
  /** the share of mailboxes done when a sync replica is SIGKILLed */
  killAt: number;
}

interface Run { runId: string; status: string; usersTotal: number; usersDone: number; mailboxesFailed: number; startedAt: string; finishedAt: string | null }
interface SimStats { requests: Record<string, Record<string, number>>; throttled: number; total: number }

export interface ScaleResult {
  run: Run;
  runS: number;
  killedAtDone: number;
  graphCounted: number;
  rateOverCap: number;
  steadyRateOverCap: number;
  throttled: number;
  throttledDuringRun: number;
  /** route → status → count over the whole test (`GET /_sim/stats`) */
  requests: Record<string, Record<string, number>>;
  truth: TruthCheck;
  jobsByWorker: Record<string, number>;
  stalledTakenUp: number;
  cron: { windowS: number; ticks: number; fired: number; deltaRuns: number; deltaRunsPerTickMax: number };
  reminders: { expected: number; delivered: number; duplicates: number; unverified: number; notificationsRestartedAt: number; firstDueAt: number; lastDueAt: number };
  actionsHealthy: number;
}

const LEAD_MINUTES = 2;
const CRON_S = 5;
const SECRET = `whsec_${Buffer.from('scale-test-webhook-secret-32byte').toString('base64')}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function cronFired(replicas: Replica[]): Promise<number> {
  let n = 0;
  for (const r of replicas) {
    const text = await (await fetch(`${r.base}/metrics`)).text();
    for (const m of text.matchAll(/^sync_cron_fired_total\{kind="delta"\} (\d+)/gm)) n += Number(m[1]);
  }
  return n;
}

/** POST /api/sync/full, retried while a cron's delta run holds the slot (409). */
async function startFull(base: string): Promise<string> {
  for (let i = 0; ; i++) {
    const res = await fetch(`${base}/api/sync/full`, { method: 'POST', headers: PLATFORM });
    if (res.status === 202) return ((await res.json()) as { runId: string }).runId;
    if (res.status !== 409 || i > 300) throw new Error(`POST /api/sync/full answered ${res.status}: ${await res.text()}`);
    await sleep(100);
  }
}

/** Requests Graph counts: every batch item and every direct request, not the `$batch` envelopes. */
function counted(stats: SimStats): number {
  return stats.total - Object.values(stats.requests['POST /$batch'] ?? {}).reduce((a, b) => a + b, 0);
}

export async function runScale(o: ScaleOptions): Promise<ScaleResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'ocb-scale-'));
  const label = `ocb_scale_${randomBytes(3).toString('hex')}`;
  const prefix = `scale-test-${randomBytes(3).toString('hex')}`;
  const dbs = await databases(o.postgresUrl, label, ['auth', 'sync', 'actions', 'notifications']);
  const p = { sim: o.basePort, auth: o.basePort + 1, sync: o.basePort + 10, notifications: o.basePort + 20, actions: o.basePort + 30, receiver: o.basePort + 40 };
  const all: Replica[] = [];
  const hook = await receiver(p.receiver, SECRET);
  let simProc: { kill(signal?: NodeJS.Signals): boolean } | undefined;
  try {
    const simulator = await startSimulator(join('dist', 'apps', 'graph-simulator', 'main.js'), p.sim, join(tmp, 'cert'));
    simProc = simulator.proc;
    const sim: SimClient = simulator.sim;
    const t0 = Date.now();
    const tenant = tenantOf(o.users, o.eventsPerUser, t0);
    // reminders fall due from 110 s after the seed (after the full run), over 20 s; they start LEAD later
    const firstDueAt = t0 + 110_000;
    const lastDueAt = firstDueAt + 20_000;
    for (let i = 0; i < o.reminders; i++) {
      const due = firstDueAt + Math.floor((i * (lastDueAt - firstDueAt)) / o.reminders);
      tenant.events.push(event(tenant.users[i % o.users].userPrincipalName, `scale reminder ${i}`, due + LEAD_MINUTES * 60_000));
    }
    await sim.call('POST', '/_sim/seed', { tenant });
    await sim.call('PUT', '/_sim/faults', { maxRequestsPerSecond: o.cap });
    const env = commonEnv({ simOrigin: sim.origin, certPath: simulator.certPath, authPort: p.auth, syncPort: p.sync, actionsPort: p.actions, notificationsPort: p.notifications });
    // every service's Graph traffic in one budget at the cap (the Redis limiter)
    const budget = { REDIS_URL: o.redisUrl, REDIS_PREFIX: prefix, GRAPH_MAX_REQUESTS_PER_SECOND: String(o.cap) };
    all.push(await launch('auth', 'auth', p.auth, { ...env, ...budget, DATABASE_URL: dbs.url('auth') }));
    const syncEnv = (i: number): Record<string, string> => ({
      ...env,
      DATABASE_URL: dbs.url('sync'),
      SYNC_PORT: String(p.sync + i),
      REDIS_URL: o.redisUrl,
      REDIS_PREFIX: prefix,
      SYNC_QUEUE_LOCK_MS: '3000',
      SYNC_RATE_WINDOW_MARGIN_MS: String(o.marginMs),
      GRAPH_MAX_REQUESTS_PER_SECOND: String(o.cap),
      SYNC_CRON_ENABLED: 'true',
      SYNC_DELTA_CRON: `*/${CRON_S} * * * * *`,
      SYNC_FULL_CRON: '0 0 3 1 1 *',
      SYNC_LOG_EVERY: '100000',
    });
    // the first applies the migrations; the others after it
    const syncs: Replica[] = [await launch('sync-0', 'sync', p.sync, syncEnv(0))];
    syncs.push(...(await Promise.all([1, 2].map((i) => launch(`sync-${i}`, 'sync', p.sync + i, syncEnv(i))))));
    all.push(...syncs);
    const notifEnv = (i: number): Record<string, string> => ({
      ...env,
      DATABASE_URL: dbs.url('notifications'),
      NOTIFICATIONS_PORT: String(p.notifications + i),
      NOTIFY_INSTANCE_ID: `scale-notifications-${i}`,
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${p.receiver}/webhook`,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      REMINDER_LEAD_MINUTES: String(LEAD_MINUTES),
      REMINDER_PLAN_INTERVAL_SECONDS: '2',
    });
    const notifications = [await launch('notifications-0', 'notifications', p.notifications, notifEnv(0))];
    notifications.push(await launch('notifications-1', 'notifications', p.notifications + 1, notifEnv(1)));
    const actions = [await launch('actions-0', 'actions', p.actions, { ...env, DATABASE_URL: dbs.url('actions'), ACTIONS_PORT: String(p.actions), ...budget })];
    actions.push(await launch('actions-1', 'actions', p.actions + 1, { ...env, DATABASE_URL: dbs.url('actions'), ACTIONS_PORT: String(p.actions + 1), ...budget }));
    all.push(...notifications, ...actions);

    // the full run, one sync replica SIGKILLed mid-run
    const runId = await startFull(syncs[0].base);
    await sim.call('POST', '/_sim/stats/reset');
    let run: Run;
    let killedAtDone = -1;
    const samples: Array<{ at: number; done: number; counted: number }> = [];
    for (;;) {
      await sleep(200);
      run = await serviceCall<Run>(syncs[0].base, 'GET', `api/sync/runs/${runId}`, PLATFORM);
      samples.push({ at: Date.now(), done: run.usersDone, counted: counted(await sim.call<SimStats>('GET', '/_sim/stats')) });
      if (killedAtDone < 0 && run.usersTotal > 0 && run.usersDone >= o.killAt * run.usersTotal) {
        killedAtDone = run.usersDone;
        await kill(syncs[2]);
      }
      if (run.status !== 'running') break;
    }
    const stats = await sim.call<SimStats>('GET', '/_sim/stats');
    const runS = run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : NaN;
    const graphCounted = counted(stats);
    // the fetch phase: from 10 % to 90 % of the mailboxes done (the plan's directory pages and the
    // last groups' writes before and after it leave the budget idle)
    const from = samples.find((x) => x.done >= 0.1 * o.users);
    const to = [...samples].reverse().find((x) => x.done <= 0.9 * o.users);
    const steadyRateOverCap = from && to && to.at > from.at ? (to.counted - from.counted) / ((to.at - from.at) / 1000) / o.cap : NaN;

    const db = new Client({ connectionString: dbs.url('sync') });
    await db.connect();
    const rows = (await db.query<{ user_id: string; id: string; change_key: string }>('SELECT user_id, id, change_key FROM sync_events')).rows;
    const truth = await checkAgainstSimulator(sim, tenant.users.map((u) => u.id), rows);
    const byWorker = (await db.query<{ worker: string; n: string }>('SELECT worker, count(*) AS n FROM sync_run_jobs WHERE run_id = $1 GROUP BY worker', [runId])).rows;
    const queue = await serviceCall<{ stalled: number }>(syncs[0].base, 'GET', 'api/sync/queue', PLATFORM);

    // crons: the delta scheduler's ticks from now to the end of the reminders, against the ticks
    // the surviving replicas took
    const live = syncs.slice(0, 2);
    const c0 = await cronFired(live);
    const w0 = Date.now();

    // reminders: one notifications replica killed and started again while they fall due
    const mine = (): Delivery[] => hook.deliveries.filter((d) => d.subject.startsWith('scale reminder '));
    while (Date.now() < firstDueAt + 3000) await sleep(200);
    await kill(notifications[1]);
    const notificationsRestartedAt = Date.now();
    await sleep(2000);
    await notifications[1].restart();
    const deadline = lastDueAt + 60_000;
    while (new Set(mine().map((d) => d.id)).size < o.reminders && Date.now() < deadline) await sleep(500);
    await sleep(Math.max(3000, w0 + 4 * CRON_S * 1000 - Date.now())); // a duplicate would arrive meanwhile
    const got = mine();
    const ids = new Set(got.map((d) => d.id));

    const c1 = await cronFired(live);
    const w1 = Date.now();
    const ticks = Math.floor(w1 / (CRON_S * 1000)) - Math.floor(w0 / (CRON_S * 1000));
    const deltaRows = (await db.query<{ started_at: string }>(`SELECT started_at FROM sync_runs WHERE kind = 'delta'`)).rows;
    const perTick = new Map<number, number>();
    for (const r of deltaRows) {
      const slot = Math.floor(Date.parse(r.started_at) / (CRON_S * 1000));
      perTick.set(slot, (perTick.get(slot) ?? 0) + 1);
    }
    await db.end();
    const actionsHealthy = (await Promise.all(actions.map(async (a) => (await fetch(`${a.base}/api/health`)).ok))).filter(Boolean).length;
    const finalStats = await sim.call<SimStats>('GET', '/_sim/stats');
    return {
      run,
      runS,
      killedAtDone,
      graphCounted,
      rateOverCap: graphCounted / runS / o.cap,
      steadyRateOverCap,
      throttled: finalStats.throttled,
      throttledDuringRun: stats.throttled,
      requests: finalStats.requests,
      truth,
      jobsByWorker: Object.fromEntries(byWorker.map((r) => [r.worker, Number(r.n)])),
      stalledTakenUp: queue.stalled,
      cron: { windowS: (w1 - w0) / 1000, ticks, fired: c1 - c0, deltaRuns: deltaRows.length, deltaRunsPerTickMax: Math.max(0, ...perTick.values()) },
      reminders: {
        expected: o.reminders,
        delivered: ids.size,
        duplicates: got.length - ids.size + (got.length - new Set(got.map((d) => d.webhookId)).size),
        unverified: got.filter((d) => !d.verified).length,
        notificationsRestartedAt,
        firstDueAt,
        lastDueAt,
      },
      actionsHealthy,
    };
  } finally {
    await Promise.all(all.map((r) => kill(r)));
    simProc?.kill('SIGKILL');
    hook.server.close();
    await sleep(300);
    await dbs.drop().catch(() => undefined);
    const redis = new IORedis(o.redisUrl);
    const keys = [...(await redis.keys(`${prefix}:*`)), ...(await redis.keys(`{${prefix}:rate-limiter}:*`))];
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(tmp, { recursive: true, force: true });
  }
}
