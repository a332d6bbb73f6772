/**
 * Change notifications end to end, each side in its own process, over HTTPS: the built standalone
 * simulator (seeded with `--mailboxes` users) and the built sync service with
 * NOTIFICATIONS_PUBLIC_URL = its own loopback URL, on a temporary SQLite database. After a full
 * sync (whose end subscribes every mailbox), `--changes` out-of-band changes are made through the
 * simulator's admin API at `--rate` per second, round-robin over the mailboxes, in rounds of create,
 * edit, delete (each mailbox one change per round). Each change's latency runs from the moment its
 * admin call is sent to the moment sync's database shows it (read-only, polled every 20 ms).
 *
 *   node tools/run-ts.mjs tools/bench/change-notifications.ts [--changes 500] [--mailboxes 100]
 *     [--events 20] [--rate 20] [--latency <simulator notification latency ms, its default 100>]
 *     [--coalesce <SYNC_NOTIFICATION_COALESCE_MS, sync's default>] [--concurrency <SYNC_NOTIFICATION_CONCURRENCY>]
 *     [--seed 19] [--sim-port 4240] [--sync-port 3240] [--auth-port 3241] [--no-build] [--json <file>]
 *
 * Prints the latency p50 / p90 / p99 / max, changes that did not arrive within 30 s, and the Graph
 * requests sync spent per change (its `sync_graph_requests_total`; delta requests from the
 * simulator's own counters beside it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { SubscriptionsState, SyncRunView } from '@ocb/service-clients';
import { build, flag as flagOf, fullSync, killAll, percentile, PLATFORM, serviceCall, start, startAuthStandIn, startSimulator, stop, syncEnv, waitFor, writeFigures } from './support';

interface SqliteDb {
  prepare(sql: string): { get(...params: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(__filename)('better-sqlite3') as new (file: string, options?: { readonly?: boolean }) => SqliteDb;

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => flagOf(args, name, def);
const CHANGES = Number(flag('changes', '500'));
const MAILBOXES = Number(flag('mailboxes', '100'));
const EVENTS = Number(flag('events', '20'));
const RATE = Number(flag('rate', '20'));
const SEED = Number(flag('seed', '19'));
const SIM_PORT = Number(flag('sim-port', '4240'));
const SYNC_PORT = Number(flag('sync-port', '3240'));
const AUTH_PORT = Number(flag('auth-port', '3241'));
const LATENCY = args.includes('--latency') ? Number(flag('latency', '100')) : undefined;
const COALESCE = args.includes('--coalesce') ? flag('coalesce', '250') : undefined;
const CONCURRENCY = args.includes('--concurrency') ? flag('concurrency', '16') : undefined;
const ARRIVAL_TIMEOUT_MS = 30_000;
const SYNC_BASE = `http://127.0.0.1:${SYNC_PORT}`;
const tmp = mkdtempSync(join(tmpdir(), 'bench-cn-'));

type Kind = 'create' | 'edit' | 'delete';
interface Change {
  kind: Kind;
  userId: string;
  eventId: string;
  subject: string;
  sentAt: number;
  arrivedMs?: number;
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${SYNC_BASE}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) n += Number(line.split(' ').pop());
  return n;
}

function deltaRequests(stats: { requests: Record<string, Record<string, number>> }): number {
  let n = 0;
  for (const [key, byStatus] of Object.entries(stats.requests)) if (/delta/i.test(key)) for (const c of Object.values(byStatus)) n += c;
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wall = (ms: number) => new Date(ms).toISOString().slice(0, 19);

async function main(): Promise<void> {
  const simMain = build('graph-simulator', args);
  const syncMain = build('sync', args);
  const simulator = await startSimulator(simMain, SIM_PORT, join(tmp, 'cert'));
  const sim = simulator.sim;
  // a few seeded users have no mailbox: seed enough users for `--mailboxes` mailboxes
  await sim.call('POST', '/_sim/seed', { users: Math.ceil(MAILBOXES * 1.15) + 2, eventsPerUser: EVENTS, seed: SEED });
  if (LATENCY !== undefined) await sim.call('PATCH', '/_sim/subscriptions/settings', { latencyMs: LATENCY });
  const settings = await sim.call<{ latencyMs: number }>('GET', '/_sim/subscriptions/settings');
  const auth = await startAuthStandIn(sim, AUTH_PORT);
  const dbFile = join(tmp, 'sync.db');
  const env: Record<string, string> = {
    ...syncEnv({ port: SYNC_PORT, simOrigin: sim.origin, certPath: simulator.certPath, authPort: AUTH_PORT, databaseUrl: `sqlite:${dbFile}`, rps: 1000 }),
    NOTIFICATIONS_PUBLIC_URL: SYNC_BASE,
    ...(COALESCE !== undefined ? { SYNC_NOTIFICATION_COALESCE_MS: COALESCE } : {}),
    ...(CONCURRENCY !== undefined ? { SYNC_NOTIFICATION_CONCURRENCY: CONCURRENCY } : {}),
  };
  const syncProc = await start('sync', syncMain, env, null);
  try {
    await waitFor(`${SYNC_BASE}/metrics`, 'sync');
    const withMailbox = (await sim.call<{ value: Array<{ id: string; hasMailbox: boolean }> }>('GET', '/_sim/users')).value.filter((u) => u.hasMailbox);
    if (withMailbox.length < MAILBOXES) throw new Error(`the seed has ${withMailbox.length} mailboxes, fewer than --mailboxes ${MAILBOXES}`);
    const users = withMailbox.slice(0, MAILBOXES);
    const run = await fullSync<SyncRunView>(SYNC_BASE);
    if (run.status !== 'succeeded') throw new Error(`full sync ${run.status}`);
    for (let i = 0; ; i++) {
      const state = await serviceCall<SubscriptionsState>(SYNC_BASE, 'GET', 'api/sync/subscriptions', PLATFORM);
      if (state.subscriptions.length >= withMailbox.length) break;
      if (i > 300) throw new Error(`only ${state.subscriptions.length} of ${withMailbox.length} mailboxes subscribed`);
      await sleep(100);
    }
    console.log(`${users.length} mailboxes synced (${run.eventsUpserted} events) and subscribed; simulator notification latency ${settings.latencyMs} ms`);
    await sleep(1000);

    const db = new Database(dbFile, { readonly: true });
    const row = db.prepare('SELECT subject FROM sync_events WHERE user_id = ? AND id = ?');
    // a change is in the cache when the row shows it or a later change of the same event (the next
    // change to a mailbox may land before this one was seen); a create or edit whose event was
    // deleted before it was seen arrives with that delete
    const laterOf = new Map<Change, Change[]>();
    const visible = (c: Change): boolean => {
      const r = row.get(c.userId, c.eventId) as { subject: string } | undefined;
      if (c.kind === 'delete') return r === undefined;
      const later = laterOf.get(c) ?? [];
      if (!r) return later.some((x) => x.kind === 'delete' && x.arrivedMs !== undefined);
      return r.subject === c.subject || later.some((x) => x.kind !== 'delete' && x.subject === r.subject);
    };
    const requests0 = await metric('sync_graph_requests_total');
    const deltas0 = deltaRequests(await sim.call('GET', '/_sim/stats'));
    const notified0 = await metric('sync_notifications_total');
    const changes: Change[] = [];
    const pending = new Set<Change>();
    const latest = new Map<string, { eventId: string; alive: boolean }>();
    let polling = true;
    const poller = (async () => {
      while (polling || pending.size) {
        const now = Date.now();
        for (const c of pending) {
          if (visible(c)) {
            c.arrivedMs = now - c.sentAt;
            pending.delete(c);
          } else if (now - c.sentAt > ARRIVAL_TIMEOUT_MS) pending.delete(c);
        }
        await sleep(20);
      }
    })();

    const t0 = Date.now();
    const startMs = Math.ceil((Date.now() + 5 * 86_400_000) / 3_600_000) * 3_600_000;
    for (let i = 0; i < CHANGES; i++) {
      const due = t0 + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      const user = users[i % users.length];
      const round = Math.floor(i / users.length);
      const mine = latest.get(user.id);
      const kind: Kind = !mine || !mine.alive ? 'create' : round % 3 === 1 ? 'edit' : 'delete';
      const subject = `cn-${i} ${kind}`;
      const sentAt = Date.now();
      let eventId: string;
      if (kind === 'create') {
        const created = await sim.call<{ id: string }>('POST', `/_sim/users/${user.id}/events`, {
          subject,
          start: { dateTime: wall(startMs + round * 3_600_000), timeZone: 'UTC' },
          end: { dateTime: wall(startMs + round * 3_600_000 + 1_800_000), timeZone: 'UTC' },
        });
        eventId = created.id;
        latest.set(user.id, { eventId, alive: true });
      } else {
        eventId = mine!.eventId;
        if (kind === 'edit') await sim.call('PATCH', `/_sim/users/${user.id}/events/${encodeURIComponent(eventId)}`, { subject });
        else {
          await sim.call('DELETE', `/_sim/users/${user.id}/events/${encodeURIComponent(eventId)}`);
          latest.set(user.id, { eventId, alive: false });
        }
      }
      const change: Change = { kind, userId: user.id, eventId, subject, sentAt };
      for (const c of changes) if (c.eventId === eventId && c.arrivedMs === undefined) laterOf.set(c, [...(laterOf.get(c) ?? []), change]);
      changes.push(change);
      pending.add(change);
    }
    const sendSeconds = (Date.now() - t0) / 1000;
    polling = false;
    await poller;
    // what is still queued or running settles before the requests are counted
    await sleep(2000);
    const graphRequests = (await metric('sync_graph_requests_total')) - requests0;
    const deltas = deltaRequests(await sim.call('GET', '/_sim/stats')) - deltas0;
    const notifications = (await metric('sync_notifications_total')) - notified0;
    const subsStats = await sim.call<{ notificationsDelivered: number; notificationsDropped: number }>('GET', '/_sim/subscriptions/stats');
    db.close();

    const arrived = changes.filter((c) => c.arrivedMs !== undefined).map((c) => c.arrivedMs as number).sort((a, b) => a - b);
    const byKind = Object.fromEntries(
      (['create', 'edit', 'delete'] as Kind[]).map((k) => {
        const xs = changes.filter((c) => c.kind === k && c.arrivedMs !== undefined).map((c) => c.arrivedMs as number).sort((a, b) => a - b);
        return [k, { n: xs.length, p50Ms: percentile(xs, 0.5), p99Ms: percentile(xs, 0.99) }];
      }),
    );
    const figures = {
      changes: CHANGES,
      mailboxes: users.length,
      ratePerSecond: RATE,
      sendSeconds: Math.round(sendSeconds * 10) / 10,
      simulatorLatencyMs: settings.latencyMs,
      coalesceMs: COALESCE === undefined ? 'default' : Number(COALESCE),
      arrived: arrived.length,
      lost: CHANGES - arrived.length,
      p50Ms: percentile(arrived, 0.5),
      p90Ms: percentile(arrived, 0.9),
      p99Ms: percentile(arrived, 0.99),
      maxMs: arrived[arrived.length - 1] ?? null,
      byKind,
      graphRequests,
      graphRequestsPerChange: Math.round((graphRequests / CHANGES) * 100) / 100,
      deltaRequests: deltas,
      notificationsReceived: notifications,
      notificationsDelivered: subsStats.notificationsDelivered,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    };
    console.log(
      `\n${CHANGES} out-of-band changes over ${users.length} mailboxes at ${RATE}/s: arrived ${arrived.length}, ` +
        `p50 ${figures.p50Ms} ms, p90 ${figures.p90Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms\n` +
        `Graph requests ${graphRequests} (${figures.graphRequestsPerChange} per change; ${deltas} delta requests), ` +
        `notifications received ${notifications}; load average ${figures.loadAverage}`,
    );
    console.log(JSON.stringify(byKind));
    writeFigures(args, figures);
    auth.server.close();
  } finally {
    await stop(syncProc, false);
  }
}

main().then(
  () => {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    killAll();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  },
);
