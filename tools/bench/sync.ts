/**
 * Full sync of a large tenant, each service in its own process, over HTTPS:
 *
 * - the built standalone simulator (`dist/apps/graph-simulator/main.js`), seeded through
 *   `POST /_sim/seed` with 1,000 users x 200 events and enforcing 60 requests/s (`PUT /_sim/faults`);
 * - the built sync service (`dist/apps/sync/main.js`) on a temporary SQLite database, trusting the
 *   simulator's certificate (NODE_EXTRA_CA_CERTS), its app token from a stand-in of the auth
 *   service's `GET /api/internal/tokens/app` served by this process (client credentials against
 *   the simulator's token endpoint, as auth does).
 *
 *   node tools/run-ts.mjs tools/bench/sync.ts [--users 1000] [--events 200] [--rps 60] [--seed 42]
 *     [--no-build] [--cpu-prof <dir>] [--sim-cpu-prof <dir>] [--sim-port 4230] [--sync-port 3230] [--auth-port 3231]
 *     [--database postgres://postgres@127.0.0.1:5432/postgres]
 *
 * `--database <postgres URL>`: sync's cache on PostgreSQL instead of a temporary SQLite file (a
 * fresh database is created through that URL and dropped at the end).
 *
 * Env: SYNC_PRELOAD (a module the sync process requires first), SYNC_NODE_FLAGS / SIM_NODE_FLAGS (extra
 * node flags for the sync / simulator process), BENCH_VERBOSE (echo the processes' output).
 *
 * Prints (a) achieved Graph requests/s / budget (over the run's own duration), (b) HTTP requests made, (c) requests the seed's
 * method would need (one calendarView per user, $top=100, each page a request), (d) 429s,
 * (e) wall time with each process's CPU time, (f) requests and rows written by a refresh of an
 * unchanged mailbox. `--cpu-prof <dir>` writes a V8 CPU profile of the sync process there.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createSimulator } from '@ocb/graph-simulator';
import type { SyncRunView } from '@ocb/service-clients';
import {
  build,
  cpuSeconds,
  flag as flagOf,
  INTERNAL,
  killAll,
  memory,
  ROOT,
  PLATFORM,
  postgresCpu,
  postgresCpuSince,
  serviceCall,
  start,
  startAuthStandIn,
  startSimulator,
  stop,
  syncEnv,
  waitFor,
  writeFigures,
  type SimClient,
} from './support';

interface SqliteDb {
  pragma(source: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): { get(...params: unknown[]): unknown };
  close(): void;
}
/** better-sqlite3 (installed for the services; no type package): read-only look at sync's database. */
const Database = createRequire(__filename)('better-sqlite3') as new (file: string, options?: { readonly?: boolean }) => SqliteDb;

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
}
/** pg (installed for the services). */
const PgClientClass = createRequire(__filename)('pg').Client as new (options: { connectionString: string }) => PgClient;

/** What (f) reads of sync's cache: row counts and rows written since a moment, on either database. */
interface CacheProbe {
  counts(userId: string): Promise<{ events: number; series: number }>;
  /** Rows of the mailbox written at or after `stamp` (events and series). */
  touched(userId: string, stamp: string): Promise<number>;
  /** Whether the mailbox's state row says it was brought up to date at or after `stamp` (the page's "last synced"). */
  stamped(userId: string, stamp: string): Promise<boolean>;
  /** A number that changes with every commit, where the database has one (SQLite's data_version). */
  version(): Promise<number | null>;
  close(): Promise<void>;
}

function sqliteProbe(file: string): CacheProbe {
  const db = new Database(file, { readonly: true });
  const n = (sql: string, ...params: unknown[]): number => (db.prepare(sql).get(...params) as { n: number }).n;
  return {
    counts: async (u) => ({
      events: n('SELECT count(*) AS n FROM sync_events WHERE user_id = ?', u),
      series: n('SELECT count(*) AS n FROM sync_series WHERE user_id = ?', u),
    }),
    touched: async (u, stamp) =>
      n('SELECT count(*) AS n FROM sync_events WHERE user_id = ? AND updated_at >= ?', u, stamp) +
      n('SELECT count(*) AS n FROM sync_series WHERE user_id = ? AND updated_at >= ?', u, stamp),
    stamped: async (u, stamp) => n('SELECT count(*) AS n FROM sync_mailbox_state WHERE user_id = ? AND last_delta_sync_at >= ?', u, stamp) === 1,
    version: async () => db.pragma('data_version', { simple: true }) as number,
    close: async () => db.close(),
  };
}

async function postgresProbe(url: string): Promise<CacheProbe> {
  const client = new PgClientClass({ connectionString: url });
  await client.connect();
  const n = async (sql: string, ...params: unknown[]): Promise<number> => Number((await client.query(sql, params)).rows[0]['n']);
  return {
    counts: async (u) => ({
      events: await n('SELECT count(*) AS n FROM sync_events WHERE user_id = $1', u),
      series: await n('SELECT count(*) AS n FROM sync_series WHERE user_id = $1', u),
    }),
    touched: async (u, stamp) =>
      (await n('SELECT count(*) AS n FROM sync_events WHERE user_id = $1 AND updated_at >= $2', u, stamp)) +
      (await n('SELECT count(*) AS n FROM sync_series WHERE user_id = $1 AND updated_at >= $2', u, stamp)),
    stamped: async (u, stamp) => (await n('SELECT count(*) AS n FROM sync_mailbox_state WHERE user_id = $1 AND last_delta_sync_at >= $2', u, stamp)) === 1,
    version: async () => null,
    close: () => client.end(),
  };
}

/** A fresh PostgreSQL database next to the one `url` names; returns its URL and how to drop it. */
async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_sync_${process.pid}_${Date.now()}`;
  const admin = new PgClientClass({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return {
    url: fresh.toString(),
    drop: async () => {
      const c = new PgClientClass({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => flagOf(args, name, def);
const USERS = Number(flag('users', '1000'));
const EVENTS = Number(flag('events', '200'));
const RPS = Number(flag('rps', '60'));
const SEED = Number(flag('seed', '42'));
const SIM_PORT = Number(flag('sim-port', '4230'));
const SYNC_PORT = Number(flag('sync-port', '3230'));
const AUTH_PORT = Number(flag('auth-port', '3231'));
const CPU_PROF = args.includes('--cpu-prof') ? resolve(flag('cpu-prof', '.')) : undefined;
const SIM_CPU_PROF = args.includes('--sim-cpu-prof') ? resolve(flag('sim-cpu-prof', '.')) : undefined;
const DATABASE = args.includes('--database') ? flag('database', '') : undefined;
if (DATABASE !== undefined && !/^postgres(ql)?:\/\//.test(DATABASE)) throw new Error('--database takes a postgres:// URL (SQLite is the default)');
const DAY = 86_400_000;
const SYNC_BASE = `http://127.0.0.1:${SYNC_PORT}`;

const tmp = mkdtempSync(join(tmpdir(), 'bench-sync-'));
let sim: SimClient;

const syncCall = <T>(method: string, path: string, headers: Record<string, string>): Promise<T> => serviceCall<T>(SYNC_BASE, method, path, headers);

/** Graph requests the sync service sent (HTTP requests; its `sync_graph_requests_total` counter). */
async function syncGraphRequests(): Promise<number> {
  const res = await fetch(`${SYNC_BASE}/metrics`);
  const text = await res.text();
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('sync_graph_requests_total')) n += Number(line.split(' ').pop());
  return n;
}

interface SimStats {
  requests: Record<string, Record<string, number>>;
  throttled: number;
  total: number;
}
type Run = SyncRunView;

/** The seed's method on the same tenant (same seed → same tenant): pages of 100 per user, from a replica's truth. */
function seedMethod(window: { from: number; to: number }): { requests: number; items: number; nonCancelled: number } {
  const replica = createSimulator({ seed: SEED });
  replica.seed({ users: USERS, eventsPerUser: EVENTS, seed: SEED });
  const state = replica.state;
  let requests = 0;
  let items = 0;
  let nonCancelled = 0;
  for (const u of state.users) {
    const mb = state.mailboxOf(u.id);
    if (!u.hasMailbox || !mb) {
      requests++;
      continue;
    }
    const view = state.view(mb, window.from, window.to);
    items += view.length;
    nonCancelled += view.filter((i) => !i.record.isCancelled).length;
    requests += Math.max(1, Math.ceil(view.length / 100));
  }
  return { requests, items, nonCancelled };
}

/** Samples a process's resident memory every 200 ms; the highest reading. */
function rssSampler(pid: number): { stop: () => number } {
  let peak = memory(pid).rssMb;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memory(pid).rssMb);
    } catch {
      // the process ended
    }
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

async function main(): Promise<void> {
  const simMain = build('graph-simulator', args);
  const syncMain = build('sync', args);
  const t0 = Date.now();
  const simulator = await startSimulator(simMain, SIM_PORT, join(tmp, 'cert'), [
    ...(SIM_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${SIM_CPU_PROF}`] : []),
    // V8/Node flags for the simulator process only, e.g. SIM_NODE_FLAGS="--require ./trace.cjs"
    ...(process.env['SIM_NODE_FLAGS'] ?? '').split(/\s+/).filter(Boolean),
  ]);
  sim = simulator.sim;
  const simProc = simulator.proc;
  await sim.call('POST', '/_sim/seed', { users: USERS, eventsPerUser: EVENTS, seed: SEED });
  await sim.call('PUT', '/_sim/faults', { maxRequestsPerSecond: RPS });
  console.log(`simulator pid ${simProc.pid} on ${sim.origin}, seeded ${USERS} users x ${EVENTS} events in ${Date.now() - t0} ms`);

  const auth = await startAuthStandIn(sim, AUTH_PORT);
  const dbFile = join(tmp, 'sync.db');
  const pg = DATABASE ? await freshPostgres(DATABASE) : undefined;
  if (pg) dropDatabase = pg.drop;
  writeFileSync(join(tmp, 'exit-on-message.cjs'), "process.on('message', (m) => { if (m === 'exit') process.exit(0); });\n");
  // sync's V8 heap flags as the stack and its image run it (tools/stack/stack.js NODE_FLAGS)
  const { NODE_FLAGS } = createRequire(__filename)(join(ROOT, 'tools/stack/stack.js')) as { NODE_FLAGS: Record<string, string[]> };
  const execArgv = [...NODE_FLAGS['sync']!, '--require', join(tmp, 'exit-on-message.cjs'), ...(process.env['SYNC_PRELOAD'] ? ['--require', process.env['SYNC_PRELOAD']] : [])];
  if (CPU_PROF) execArgv.push('--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`);
  // V8/Node flags for the sync process only (A/B runs of GC settings; after NODE_FLAGS, so they win), e.g. SYNC_NODE_FLAGS=--max-old-space-size=4096
  if (process.env['SYNC_NODE_FLAGS']) execArgv.push(...process.env['SYNC_NODE_FLAGS'].split(/\s+/).filter(Boolean));
  const syncProc = await start(
    'sync',
    syncMain,
    syncEnv({ port: SYNC_PORT, simOrigin: sim.origin, certPath: simulator.certPath, authPort: AUTH_PORT, databaseUrl: pg ? pg.url : `sqlite:${dbFile}`, rps: RPS }),
    null,
    execArgv,
  );
  await waitFor(`${SYNC_BASE}/metrics`, 'sync');
  console.log(`sync pid ${syncProc.pid} on ${SYNC_BASE}, ${pg ? `PostgreSQL ${pg.url.replace(/\/\/[^@]*@/, '//')}` : `SQLite ${dbFile}`}`);

  try {
    await new Promise((r) => setTimeout(r, 1000));
    const syncIdleRssMb = memory(syncProc.pid!).rssMb;
    await sim.call('POST', '/_sim/stats/reset');
    const simCpu0 = await sim.cpuSeconds();
    const syncCpu0 = cpuSeconds(syncProc.pid!);
    const pgCpu0 = pg ? postgresCpu() : undefined;
    const requests0 = await syncGraphRequests();
    const syncRss = rssSampler(syncProc.pid!);
    const started = Date.now();
    const { runId } = await syncCall<{ runId: string }>('POST', 'api/sync/full', PLATFORM);
    let run: Run;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      run = await syncCall<Run>('GET', `api/sync/runs/${runId}`, PLATFORM);
      if (run.status !== 'running') break;
    }
    const wallMs = Date.now() - started;
    const syncCpuS = cpuSeconds(syncProc.pid!) - syncCpu0;
    const simCpuS = (await sim.cpuSeconds()) - simCpu0;
    const syncPeakRssMb = syncRss.stop();
    const simRssMb = memory(simProc.pid!).rssMb;
    // PostgreSQL's server processes (its backends for sync, WAL writer, checkpointer...): they share the cores too
    const pgCpuS = pgCpu0 ? postgresCpuSince(pgCpu0) : 0;
    const httpRequests = (await syncGraphRequests()) - requests0;
    const simStats = await sim.call<SimStats>('GET', '/_sim/stats');
    const batches = Object.values(simStats.requests['POST /$batch'] ?? {}).reduce((a, b) => a + b, 0);
    const graphCounted = simStats.total - batches; // what Graph budgets: batch items + direct requests
    const loadAvg = readLoadAverage();

    // refresh of an unchanged mailbox: Graph requests, and whether the database changed at all
    const users = (await sim.call<{ value: Array<{ id: string; hasMailbox: boolean }> }>('GET', '/_sim/users')).value;
    const someone = users.find((u) => u.hasMailbox)!;
    const probe = pg ? await postgresProbe(pg.url) : sqliteProbe(dbFile);
    const before = await probe.counts(someone.id);
    const v0 = await probe.version();
    const stamp = new Date().toISOString();
    await sim.call('POST', '/_sim/stats/reset');
    const r0 = await syncGraphRequests();
    const refresh = await syncCall<{ eventsUpserted: number; eventsRemoved: number }>('POST', `api/internal/users/${someone.id}/refresh`, INTERNAL);
    const refreshRequests = (await syncGraphRequests()) - r0;
    const refreshStats = await sim.call<SimStats>('GET', '/_sim/stats');
    const refreshRoutes = refreshStats.requests;
    const after = await probe.counts(someone.id);
    const touched = await probe.touched(someone.id, stamp);
    const stateStamped = await probe.stamped(someone.id, stamp);
    const refreshRows = touched + Math.abs(before.events - after.events) + Math.abs(before.series - after.series);
    const v1 = await probe.version();
    const dbState = v0 === null ? 'no commit counter on PostgreSQL' : `database ${v1 !== v0 ? 'changed' : 'unchanged'}`;
    await probe.close();

    const window = (() => {
      const today = Math.floor(Date.now() / DAY) * DAY;
      return { from: today - DAY, to: today + 91 * DAY };
    })();
    const seed = seedMethod(window);

    // the run's own duration (the service's clock, from accepting the run to its last write), not
    // this process's polling, which adds up to 250 ms
    const runMs = Date.parse(run.finishedAt ?? new Date().toISOString()) - Date.parse(run.startedAt);
    const rate = graphCounted / (runMs / 1000);
    console.log(JSON.stringify({ run }, null, 1));
    console.log('');
    console.log(`cache: ${pg ? 'PostgreSQL' : 'SQLite'}; tenant: ${USERS} users x ${EVENTS} events; ${seed.nonCancelled} non-cancelled items in the window (${seed.items} with cancelled); simulator cap ${RPS} requests/s; load average at the end ${loadAvg}`);
    console.log(`(a) achieved Graph requests/s / ${RPS}: ${(rate / RPS).toFixed(3)}  (${graphCounted} Graph requests counted by the simulator: $batch items + direct requests, ${rate.toFixed(1)}/s; budget time ${(graphCounted / RPS).toFixed(1)} s)`);
    console.log(`(b) HTTP requests made: ${httpRequests}  (${batches} $batch + ${httpRequests - batches} direct)`);
    console.log(`(c) seed's method (calendarView per user, $top=100, a request per page): ${seed.requests}  -> ${(seed.requests / httpRequests).toFixed(1)}x more than (b)`);
    console.log(`(d) 429s received: simulator counted ${simStats.throttled}; Graph routes of the run ${JSON.stringify(simStats.requests)}`);
    console.log(
      `(e) wall time: ${(runMs / 1000).toFixed(1)} s from the run's start to its end (${(wallMs / 1000).toFixed(1)} s as this process polled it); CPU: sync process ${syncCpuS.toFixed(1)} s, simulator process ${simCpuS.toFixed(1)} s${pg ? `, PostgreSQL processes ${pgCpuS.toFixed(1)} s` : ''}  (events upserted ${run.eventsUpserted}, mailboxes skipped ${run.mailboxesSkipped}, failed ${run.mailboxesFailed}; token fetches ${auth.calls()})`,
    );
    console.log(
      `(f) refresh of an unchanged mailbox: ${refreshRequests} request(s), ${refreshRows} rows written (${dbState}${stateStamped ? ": the mailbox's last-synced time" : ''}), answer ${JSON.stringify(refresh)}, Graph saw ${JSON.stringify(refreshRoutes)}`,
    );
    console.log(`(g) memory: sync RSS ${syncIdleRssMb.toFixed(0)} MB idle, peak ${syncPeakRssMb.toFixed(0)} MB during the run; simulator RSS ${simRssMb.toFixed(0)} MB after it`);
    if (run.eventsUpserted !== seed.nonCancelled) console.log(`WARNING: sync upserted ${run.eventsUpserted} events, the replica shows ${seed.nonCancelled}`);
    writeFigures(args, {
      database: pg ? 'postgres' : 'sqlite',
      users: USERS,
      eventsPerUser: EVENTS,
      cap: RPS,
      runStatus: run.status,
      eventsUpserted: run.eventsUpserted,
      expectedEvents: seed.nonCancelled,
      mailboxesFailed: run.mailboxesFailed,
      rateOverCap: rate / RPS,
      graphRequestsCounted: graphCounted,
      httpRequests,
      originalMethodRequests: seed.requests,
      originalOverOurs: seed.requests / httpRequests,
      throttled: simStats.throttled,
      wallSeconds: runMs / 1000,
      // wall ÷ the time the cap allows for those requests: 1.0 is "as fast as the budget permits"
      wallOverBudgetTime: runMs / 1000 / (graphCounted / RPS),
      syncCpuSeconds: syncCpuS,
      simulatorCpuSeconds: simCpuS,
      postgresCpuSeconds: pg ? pgCpuS : null,
      syncCpuSecondsPer100kEvents: (syncCpuS / Math.max(1, run.eventsUpserted)) * 100_000,
      syncIdleRssMb,
      syncPeakRssMb,
      simulatorRssMb: simRssMb,
      refreshRequests,
      refreshGraphRequests: refreshStats.total,
      refreshRowsWritten: refreshRows,
      refreshDatabaseChanged: v0 === null ? null : v1 !== v0,
      refreshStateStamped: stateStamped,
      tokenFetches: auth.calls(),
      loadAverage: loadAvg,
    });
    auth.server.close();
  } finally {
    await stop(syncProc);
    if (SIM_CPU_PROF) await stop(simProc, false);
  }
}

function readLoadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

/** Drops the bench's PostgreSQL database (set once it exists). */
let dropDatabase: (() => Promise<void>) | undefined;

function cleanup(): void {
  killAll();
  if (args.includes('--keep')) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

async function dropBenchDatabase(): Promise<void> {
  if (!dropDatabase) return;
  await dropDatabase().catch((e: unknown) => console.error(`could not drop the bench database: ${e instanceof Error ? e.message : String(e)}`));
}

main().then(
  async () => {
    cleanup();
    await dropBenchDatabase();
    process.exit(0);
  },
  async (e) => {
    console.error(e);
    cleanup();
    await dropBenchDatabase();
    process.exit(1);
  },
);
