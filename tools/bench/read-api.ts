/**
 * P6 in isolation: sync's read API (`GET /api/users/{user}/events?limit=20`, and with `q=<word>`)
 * on a cache seeded once and kept, so that one change can be measured against another on the same
 * data. Two steps:
 *
 *   node tools/run-ts.mjs tools/bench/read-api.ts seed --dir /tmp/p6-sqlite [--events-total 100000] [--users 1000]
 *     [--database postgres://postgres@127.0.0.1:5432/p6_bench]
 *   node tools/run-ts.mjs tools/bench/read-api.ts load --dir /tmp/p6-sqlite [--rate 200] [--duration 20]
 *     [--database ...] [--cpu-prof <dir>] [--only search|listing] [--connections 20] [--no-build]
 *
 * `seed` starts the built simulator (seeded as tools/bench/stack.ts seeds it: ~events-total cached
 * occurrences over --users mailboxes), an auth stand-in and the built sync on `<dir>/sync.db` (or
 * the PostgreSQL database named by --database, created when missing and emptied), runs a full
 * sync and stops, leaving the cache and `<dir>/read-api.json` (the users and the search words).
 * `load` starts only the built sync on that cache (no Graph is needed to read it), warms it up,
 * then per kind drives --rate requests/s for --duration s with autocannon (in this process) and
 * prints p50/p99/max latency, errors, and sync's CPU-ms per request (process CPU over the requests
 * answered) — and PostgreSQL's, summed over its server processes, with --database — plus the load
 * average, and this process's own CPU-ms per request (autocannon's: it shares the cores).
 * `--cpu-prof <dir>` writes a V8 CPU profile of the sync process there; SYNC_NODE_FLAGS adds node
 * flags to the sync process (e.g. --trace-gc).
 *
 * autocannon's rate limit is a quota per connection refilled every second: at --rate 200 over 20
 * connections, each second starts with 200 requests sent as fast as 20 connections in a closed
 * loop allow, so a request waits for about 19 others; its latency histogram is corrected for
 * coordinated omission with a 1 ms expected interval (a 100 ms stall adds values 1..100 ms).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import autocannon from 'autocannon';
import {
  build,
  cpuSeconds,
  flag as flagOf,
  fullSync,
  killAll,
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
} from './support';

const args = process.argv.slice(2);
const mode = args[0];
const flag = (name: string, def: string): string => flagOf(args, name, def);
const DIR = resolve(flag('dir', '/tmp/read-api-bench'));
const DATABASE = args.includes('--database') ? flag('database', '') : undefined;
const EVENTS_TOTAL = Number(flag('events-total', '100000'));
const USERS = Number(flag('users', '1000'));
const RATE = Number(flag('rate', '200'));
const DURATION_S = Number(flag('duration', '20'));
const ONLY = args.includes('--only') ? flag('only', '') : undefined;
const CPU_PROF = args.includes('--cpu-prof') ? resolve(flag('cpu-prof', '.')) : undefined;
const CONNECTIONS = Number(flag('connections', '20'));
const SIM_PORT = Number(flag('sim-port', '4690'));
const SYNC_PORT = Number(flag('sync-port', '3690'));
const AUTH_PORT = Number(flag('auth-port', '3691'));
const SYNC_BASE = `http://127.0.0.1:${SYNC_PORT}`;

interface Fixture {
  userIds: string[];
  words: string[];
  cached: number;
}

function databaseUrl(): string {
  return DATABASE ?? `sqlite:${join(DIR, 'sync.db')}`;
}

/** Creates the PostgreSQL database of --database when missing, and empties it for `seed`. */
async function preparePostgres(fresh: boolean): Promise<void> {
  if (!DATABASE) return;
  const url = new URL(DATABASE);
  const name = url.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name) || name === 'postgres') throw new Error('--database must name a database of its own (not postgres)');
  const admin = new Client({ connectionString: Object.assign(new URL(DATABASE), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

async function seed(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  await preparePostgres(true);
  const simulator = await startSimulator(build('graph-simulator', args), SIM_PORT, join(DIR, 'graph-simulator'));
  const { sim } = simulator;
  const auth = await startAuthStandIn(sim, AUTH_PORT);
  try {
    const perUser = Math.max(1, Math.round(EVENTS_TOTAL / USERS / 2.1));
    await sim.call('POST', '/_sim/seed', { users: USERS, eventsPerUser: perUser, seed: 7 });
    const env = syncEnv({ port: SYNC_PORT, simOrigin: sim.origin, certPath: simulator.certPath, authPort: AUTH_PORT, databaseUrl: databaseUrl(), rps: 100_000 });
    const syncProc = await start('sync', build('sync', args), env, null);
    await waitFor(`${SYNC_BASE}/metrics`, 'sync');
    const t0 = Date.now();
    const run = await fullSync<{ status: string; eventsUpserted: number }>(SYNC_BASE);
    if (run.status === 'failed') throw new Error(`the full sync failed: ${JSON.stringify(run)}`);
    const userIds = (await sim.call<{ value: Array<{ id: string; hasMailbox: boolean }> }>('GET', '/_sim/users')).value.filter((u) => u.hasMailbox).map((u) => u.id);
    const words = new Set<string>();
    for (const u of userIds.slice(0, 20)) {
      const page = await serviceCall<{ items: Array<{ subject: string }> }>(SYNC_BASE, 'GET', `api/users/${u}/events?limit=50`, PLATFORM);
      for (const e of page.items) for (const w of e.subject.split(/\s+/)) if (w.length >= 4) words.add(w.toLowerCase());
    }
    const fixture: Fixture = { userIds, words: [...words].slice(0, 50), cached: run.eventsUpserted };
    writeFileSync(join(DIR, 'read-api.json'), JSON.stringify(fixture));
    console.log(`${run.eventsUpserted} events of ${userIds.length} mailboxes cached in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${databaseUrl()}`);
    await stop(syncProc, false);
  } finally {
    auth.server.close();
    await stop(simulator.proc, false);
  }
}

interface Figures {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  syncCpuMsPerRequest: number;
  postgresCpuMsPerRequest?: number;
  benchCpuMsPerRequest: number;
  loadAverage1m: number;
}

async function drive(pid: number, next: () => string, durationS: number): Promise<Figures> {
  const cpu0 = cpuSeconds(pid);
  const own0 = process.cpuUsage();
  const pg0 = DATABASE ? postgresCpu() : undefined;
  const result = await autocannon({
    url: SYNC_BASE,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: durationS,
    headers: PLATFORM,
    requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }],
  });
  const n = result.requests.total || 1;
  const own = process.cpuUsage(own0);
  return {
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    syncCpuMsPerRequest: Number((((cpuSeconds(pid) - cpu0) / n) * 1000).toFixed(3)),
    ...(pg0 ? { postgresCpuMsPerRequest: Number(((postgresCpuSince(pg0) / n) * 1000).toFixed(3)) } : {}),
    benchCpuMsPerRequest: Number(((own.user + own.system) / 1000 / n).toFixed(3)),
    loadAverage1m: loadavg()[0],
  };
}

async function load(): Promise<void> {
  const fixture = JSON.parse(readFileSync(join(DIR, 'read-api.json'), 'utf8')) as Fixture;
  await preparePostgres(false);
  const tmp = join(DIR, 'run');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'exit-on-message.cjs'), "process.on('message', (m) => { if (m === 'exit') process.exit(0); });\n");
  const execArgv = ['--require', join(tmp, 'exit-on-message.cjs')];
  if (CPU_PROF) execArgv.push('--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`);
  if (process.env['SYNC_NODE_FLAGS']) execArgv.push(...process.env['SYNC_NODE_FLAGS'].split(/\s+/).filter(Boolean));
  const env = syncEnv({ port: SYNC_PORT, simOrigin: `https://localhost:${SIM_PORT}`, certPath: join(DIR, 'graph-simulator', 'localhost-cert.pem'), authPort: AUTH_PORT, databaseUrl: databaseUrl(), rps: 10 });
  const syncProc = await start('sync', build('sync', args), env, null, execArgv);
  await waitFor(`${SYNC_BASE}/metrics`, 'sync');
  const pid = syncProc.pid!;
  let i = 0;
  const user = (): string => fixture.userIds[i++ % fixture.userIds.length];
  const kinds: Record<string, () => string> = {
    search: () => `/api/users/${user()}/events?q=${encodeURIComponent(fixture.words[i % fixture.words.length])}&limit=20`,
    listing: () => `/api/users/${user()}/events?limit=20`,
  };
  const out: Record<string, Figures> = {};
  try {
    for (const [kind, next] of Object.entries(kinds)) {
      if (ONLY && ONLY !== kind) continue;
      await drive(pid, next, 3); // warm-up: JIT, page cache
      out[kind] = await drive(pid, next, DURATION_S);
      console.log(`${DATABASE ? 'postgres' : 'sqlite'} ${kind}: ${JSON.stringify(out[kind])}`);
    }
  } finally {
    await stop(syncProc);
  }
  writeFigures(args, { database: DATABASE ? 'postgres' : 'sqlite', cachedEvents: fixture.cached, rate: RATE, durationSeconds: DURATION_S, ...out });
}

(mode === 'seed' ? seed() : mode === 'load' ? load() : Promise.reject(new Error('usage: read-api.ts seed|load --dir <dir> ...'))).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    killAll();
    process.exit(1);
  },
);
