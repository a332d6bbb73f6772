/**
 * The whole stack as `npm start` runs it (tools/stack/stack.js: the built simulator over HTTPS and
 * the four built services, each its own process), measured for:
 *
 * - P7 idle memory: each service's RSS once started and settled, before any data;
 * - P5 reminder lateness: the tenant seeded with about --events-total cached events, then --reminders
 *   events created out-of-band (as another Outlook client would) whose reminders fall due within
 *   --spread seconds; a local webhook receiver records when each reminder arrives; lateness =
 *   arrival − `dueAt`; then the planner's CPU per poll (notifications' and sync's CPU over --quiet
 *   seconds of polls with nothing due, divided by the polls);
 * - P6 the events search (`q`) and the plain listing on that cache at --rate requests/s for
 *   --duration seconds, paced (tools/bench/paced-load.ts, from this process), then for a third of
 *   that in autocannon's per-second bursts (20 connections) as a reference, on SQLite and, with
 *   --database, on PostgreSQL:
 *   p50/p99 latency, errors, non-2xx, sync's RSS;
 * - the web pages' server time: every page a signed-in user reads, --page-samples times each
 *   (tools/bench/web-pages.ts), on that cache.
 *
 *   node tools/run-ts.mjs tools/bench/stack.ts [--events-total 100000] [--reminders 1000] [--spread 60]
 *     [--rate 200] [--duration 60] [--quiet 30] [--database postgres://postgres@127.0.0.1:5432/postgres]
 *     [--no-build] [--json figures.json]
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from 'pg';
import autocannon from 'autocannon';
import { cpuSeconds, flag as flagOf, fullSync, memory, PLATFORM, ROOT, serviceCall, SimClient, percentile, writeFigures } from './support';
import { readFileSync } from 'node:fs';
import { measurePages } from './web-pages';
import { pacedLoad, type LoadFigures, type PacedFigures } from './paced-load';

interface StackChild {
  name: string;
  child: { pid?: number };
}
interface Stack {
  simOrigin: string;
  certPath: string;
  urls: Record<'auth' | 'sync' | 'actions' | 'notifications' | 'web', string>;
  startedInMs: number;
  stop: () => Promise<void>;
  children: StackChild[];
}
interface StackModule {
  build: (apps?: string[]) => void;
  startStack: (o: {
    dataDir: string;
    database?: 'sqlite' | 'postgres';
    databaseUrl?: (service: string) => string;
    ports?: Record<string, number>;
    env?: Record<string, string>;
    changeNotifications?: boolean;
    serviceEnv?: Record<string, Record<string, string>>;
    simulator?: { seed?: number; users?: number; eventsPerUser?: number };
  }) => Promise<Stack>;
  SERVICES: string[];
}
/** tools/stack/stack.js, loaded from the repository at run time (it resolves the bundles from there). */
const stackModule = createRequire(__filename)(join(ROOT, 'tools/stack/stack.js')) as StackModule;

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => flagOf(args, name, def);
const EVENTS_TOTAL = Number(flag('events-total', '100000'));
const USERS = Number(flag('users', '1000'));
const REMINDERS = Number(flag('reminders', '1000'));
const SPREAD_S = Number(flag('spread', '60'));
const RATE = Number(flag('rate', '200'));
const DURATION_S = Number(flag('duration', '60'));
const QUIET_S = Number(flag('quiet', '30'));
const DATABASE = args.includes('--database') ? flag('database', '') : undefined;
const PAGE_SAMPLES = Number(flag('page-samples', '50'));
const AUTOCANNON_CONNECTIONS = 20;
const PORTS = { simulator: 4500, auth: 3501, sync: 3502, actions: 3503, notifications: 3504, web: 3505 };
const RECEIVER_PORT = 3599;
const POLL_SECONDS = 5;
const LEAD_MINUTES = 60;

interface Received {
  id: string;
  dueAt: string;
  subject: string;
  at: number;
}

function startReceiver(): Promise<{ server: Server; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { id: string; dueAt: string; event: { subject: string } };
        received.push({ id: body.id, dueAt: body.dueAt, subject: body.event.subject, at });
      } catch {
        // not a reminder: still accepted
      }
      res.writeHead(204).end();
    });
  });
  return new Promise((r) => server.listen(RECEIVER_PORT, '127.0.0.1', () => r({ server, received })));
}

/** Per-service PostgreSQL databases for one stack, dropped afterwards. */
async function postgresDatabases(admin: string, services: string[]): Promise<{ url: (s: string) => string; drop: () => Promise<void> }> {
  const label = `bench_stack_${process.pid}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  for (const s of services) await c.query(`CREATE DATABASE ${label}_${s}`);
  await c.end();
  return {
    url: (s) => {
      const u = new URL(admin);
      u.pathname = `/${label}_${s}`;
      return u.toString();
    },
    drop: async () => {
      const d = new Client({ connectionString: admin });
      await d.connect();
      for (const s of services) await d.query(`DROP DATABASE IF EXISTS ${label}_${s} WITH (FORCE)`);
      await d.end();
    },
  };
}

const pidOf = (stack: Stack, name: string): number => {
  const pid = stack.children.find((c) => c.name === name)?.child.pid;
  if (!pid) throw new Error(`no process ${name}`);
  return pid;
};

/** Seeds about EVENTS_TOTAL cached events (the seed's series expand to ~2 occurrences an event) and fully syncs them. */
async function seedAndSync(stack: Stack, sim: SimClient): Promise<{ cached: number; syncSeconds: number }> {
  const perUser = Math.max(1, Math.round(EVENTS_TOTAL / USERS / 2.1));
  await sim.call('POST', '/_sim/seed', { users: USERS, eventsPerUser: perUser, seed: 7 });
  const t0 = Date.now();
  const run = await fullSync<{ status: string; eventsUpserted: number }>(stack.urls.sync);
  if (run.status === 'failed') throw new Error(`the full sync failed: ${JSON.stringify(run)}`);
  return { cached: run.eventsUpserted, syncSeconds: (Date.now() - t0) / 1000 };
}

/** autocannon at RATE requests/s (its per-connection allowance: a burst each second, see paced-load.ts) for `durationS` against paths from `next()`. */
async function burstLoad(base: string, durationS: number, next: () => string): Promise<LoadFigures> {
  const result = await autocannon({
    url: base,
    connections: AUTOCANNON_CONNECTIONS,
    overallRate: RATE,
    duration: durationS,
    headers: PLATFORM,
    requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }],
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
  };
}

interface P6Figures {
  /** at RATE requests/s, paced (the target's figure) */
  search: PacedFigures;
  listing: PacedFigures;
  /** autocannon's bursts at the same average rate, for a third of the time (a reference: the most the service takes at once) */
  burst: { connections: number; durationSeconds: number; search: LoadFigures; listing: LoadFigures };
  syncPeakRssMb: number;
}

/** P6 on one stack: the search and the plain listing, paced, then in autocannon's bursts; sync's RSS sampled meanwhile. */
async function searchLoad(stack: Stack, userIds: string[], words: string[]): Promise<P6Figures> {
  const syncPid = pidOf(stack, 'sync');
  let peak = memory(syncPid).rssMb;
  const sampler = setInterval(() => (peak = Math.max(peak, memory(syncPid).rssMb)), 250);
  let i = 0;
  const user = (): string => userIds[i++ % userIds.length];
  try {
    const searchPath = (): string => `/api/users/${user()}/events?q=${encodeURIComponent(words[i % words.length])}&limit=20`;
    const listingPath = (): string => `/api/users/${user()}/events?limit=20`;
    const paced = (path: () => string): Promise<PacedFigures> => pacedLoad({ base: stack.urls.sync, rate: RATE, durationS: DURATION_S, headers: PLATFORM, path });
    const search = await paced(searchPath);
    const listing = await paced(listingPath);
    const burstS = Math.max(5, Math.round(DURATION_S / 3));
    const burst = { connections: AUTOCANNON_CONNECTIONS, durationSeconds: burstS, search: await burstLoad(stack.urls.sync, burstS, searchPath), listing: await burstLoad(stack.urls.sync, burstS, listingPath) };
    return { search, listing, burst, syncPeakRssMb: peak };
  } finally {
    clearInterval(sampler);
  }
}

/** Words from cached subjects, for the search load. */
async function searchWords(stack: Stack, userIds: string[]): Promise<string[]> {
  const words = new Set<string>();
  for (const u of userIds.slice(0, 20)) {
    const page = await serviceCall<{ items: Array<{ subject: string }> }>(stack.urls.sync, 'GET', `api/users/${u}/events?limit=50`, PLATFORM);
    for (const e of page.items) for (const w of e.subject.split(/\s+/)) if (w.length >= 4) words.add(w.toLowerCase());
  }
  return [...words].slice(0, 50);
}

async function reminders(stack: Stack, sim: SimClient, userIds: string[], syncSeconds: number, received: Received[]): Promise<Record<string, number>> {
  // due times start after a delta of every mailbox has surely finished (a delta costs less than the full sync)
  const firstDue = Date.now() + Math.ceil(syncSeconds * 1.5 + 20) * 1000;
  for (let i = 0; i < REMINDERS; i++) {
    const due = firstDue + Math.floor((i * SPREAD_S * 1000) / REMINDERS);
    const start = new Date(due + LEAD_MINUTES * 60_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    const iso = (d: Date): string => d.toISOString().slice(0, 23);
    await sim.call('POST', `/_sim/users/${userIds[i % userIds.length]}/events`, {
      subject: `bench reminder ${i}`,
      start: { dateTime: iso(start), timeZone: 'UTC' },
      end: { dateTime: iso(end), timeZone: 'UTC' },
    });
  }
  const run = await serviceCall<{ runId: string }>(stack.urls.sync, 'POST', 'api/sync/delta', PLATFORM);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const view = await serviceCall<{ status: string }>(stack.urls.sync, 'GET', `api/sync/runs/${run.runId}`, PLATFORM);
    if (view.status !== 'running') break;
  }
  const lastDue = firstDue + SPREAD_S * 1000;
  if (Date.now() > firstDue) console.log(`WARNING: the delta ended ${((Date.now() - firstDue) / 1000).toFixed(1)} s after the first due time`);
  const deadline = lastDue + 60_000;
  const mine = (): Received[] => received.filter((r) => r.subject.startsWith('bench reminder '));
  while (mine().length < REMINDERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  const got = mine();
  const ids = new Set(got.map((r) => r.id));
  const lateness = got.map((r) => r.at - Date.parse(r.dueAt)).sort((a, b) => a - b);

  // the planner's cost per poll, with nothing due: POLL_SECONDS between polls
  const notifPid = pidOf(stack, 'notifications');
  const syncPid = pidOf(stack, 'sync');
  const n0 = cpuSeconds(notifPid);
  const s0 = cpuSeconds(syncPid);
  await new Promise((r) => setTimeout(r, QUIET_S * 1000));
  const polls = QUIET_S / POLL_SECONDS;
  return {
    reminders: REMINDERS,
    delivered: ids.size,
    duplicates: got.length - ids.size,
    latenessP50Ms: percentile(lateness, 0.5),
    latenessP99Ms: percentile(lateness, 0.99),
    latenessMaxMs: lateness.length ? lateness[lateness.length - 1] : NaN,
    plannerPollsMeasured: polls,
    notificationsCpuMsPerPoll: ((cpuSeconds(notifPid) - n0) / polls) * 1000,
    syncCpuMsPerPoll: ((cpuSeconds(syncPid) - s0) / polls) * 1000,
  };
}

async function oneStack(database: 'sqlite' | 'postgres', withReminders: boolean): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-stack-${database}-`));
  const pg = database === 'postgres' && DATABASE ? await postgresDatabases(DATABASE, stackModule.SERVICES) : undefined;
  const receiver = await startReceiver();
  let stack: Stack | undefined;
  try {
    stack = await stackModule.startStack({
      dataDir,
      database,
      databaseUrl: pg?.url,
      ports: PORTS,
      simulator: { users: 0, eventsPerUser: 0 },
      // P5–P7 measure reminders and the read API as before change notifications (figures stay comparable; their own benchmark is change-notifications.ts)
      changeNotifications: false,
      env: { LOG_LEVEL: 'warn', SYNC_CRON_ENABLED: 'false' },
      serviceEnv: {
        notifications: {
          NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${RECEIVER_PORT}/webhook`,
          REMINDER_LEAD_MINUTES: String(LEAD_MINUTES),
          REMINDER_PLAN_INTERVAL_SECONDS: String(POLL_SECONDS),
        },
      },
    });
    const sim = new SimClient(stack.simOrigin, readFileSync(stack.certPath, 'utf8'));
    await new Promise((r) => setTimeout(r, 5000));
    const idleRssMb = Object.fromEntries(['graph-simulator', ...stackModule.SERVICES].map((s) => [s, memory(pidOf(stack!, s)).rssMb]));
    const { cached, syncSeconds } = await seedAndSync(stack, sim);
    const userIds = (await sim.call<{ value: Array<{ id: string; hasMailbox: boolean }> }>('GET', '/_sim/users')).value.filter((u) => u.hasMailbox).map((u) => u.id);
    console.log(`${database}: stack up in ${stack.startedInMs} ms; ${cached} events cached by a full sync of ${userIds.length} mailboxes in ${syncSeconds.toFixed(1)} s`);
    const words = await searchWords(stack, userIds);
    const p6 = await searchLoad(stack, userIds, words);
    console.log(`${database}: P6 paced: search ${JSON.stringify(p6.search)}; listing ${JSON.stringify(p6.listing)}`);
    console.log(`${database}: P6 autocannon bursts (${p6.burst.connections} connections): search ${JSON.stringify(p6.burst.search)}; listing ${JSON.stringify(p6.burst.listing)}; sync peak RSS ${p6.syncPeakRssMb.toFixed(0)} MB`);
    const pages = await measurePages({ web: stack.urls.web, sync: stack.urls.sync, simCa: readFileSync(stack.certPath, 'utf8'), user: userIds[0], samples: PAGE_SAMPLES });
    console.log(`${database}: web pages (server time p50 / p99 over ${PAGE_SAMPLES} requests each): ${Object.entries(pages).map(([k, t]) => `${k} ${t.p50Ms.toFixed(1)} / ${t.p99Ms.toFixed(1)} ms`).join('; ')}`);
    const p5 = withReminders ? await reminders(stack, sim, userIds, syncSeconds, receiver.received) : undefined;
    if (p5) console.log(`${database}: P5 ${JSON.stringify(p5)}`);
    return { database, cachedEvents: cached, idleRssMb, p6, pages, ...(p5 ? { p5 } : {}) };
  } finally {
    await stack?.stop();
    receiver.server.close();
    await pg?.drop().catch((e: unknown) => console.error(`could not drop the bench databases: ${String(e)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!args.includes('--no-build')) stackModule.build();
  const sqlite = await oneStack('sqlite', true);
  const postgres = DATABASE ? await oneStack('postgres', false) : undefined;
  writeFigures(args, { eventsTotalAsked: EVENTS_TOTAL, users: USERS, rate: RATE, durationSeconds: DURATION_S, sqlite, postgres: postgres ?? null });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
