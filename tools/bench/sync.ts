/**
 * Full sync of a large tenant, in process: the simulator (msw) seeded with 1,000 users x 200
 * events and enforcing 60 requests/s, the sync service on a temporary SQLite database.
 *
 *   node tools/run-ts.mjs tools/bench/sync.ts [--users 1000] [--events 200] [--rps 60]
 *
 * Prints (a) achieved Graph requests/s / budget, (b) HTTP requests made, (c) requests the seed's
 * method would need (one calendarView per user, $top=100, each page a request), (d) 429s,
 * (e) wall time, (f) requests and rows written by a refresh of an unchanged mailbox.
 */
import 'reflect-metadata';
import { INTERNAL_AUTH, PLATFORM_AUTH, startInProcessSimulator } from '@ocb/testing';
import { startSync, truth } from '../../apps/sync/src/testing/sync-test-kit';
import { FullSyncService } from '../../apps/sync/src/sync/full-sync.service';
import { SyncRunsService } from '../../apps/sync/src/sync/sync-runs.service';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const USERS = Number(flag('users', '1000'));
const EVENTS = Number(flag('events', '200'));
const RPS = Number(flag('rps', '60'));
const DAY = 86_400_000;

async function main(): Promise<void> {
  const t0 = Date.now();
  const sim = startInProcessSimulator({ users: USERS, eventsPerUser: EVENTS, seed: 42 });
  const state = sim.simulator.state;
  console.log(`seeded ${sim.simulator.describe()} in ${Date.now() - t0} ms`);
  const rig = await startSync('sqlite', sim, { GRAPH_MAX_REQUESTS_PER_SECOND: String(RPS), SYNC_LOG_EVERY: '100000' }, { batchesInFlight: Number(flag('batches', '4')) });
  try {
    sim.simulator.faults = { maxRequestsPerSecond: RPS };
    sim.simulator.resetStats();
    const requests0 = rig.stats.requests;
    const throttled0 = rig.stats.throttled;
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const { runId } = await rig.app.app.get(FullSyncService).start();
    const runs = rig.app.app.get(SyncRunsService);
    await runs.settled('full');
    const run = await runs.view(runId);
    const wallMs = Date.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const simStats = sim.simulator.stats();
    const batches = Object.values(simStats.requests['POST /$batch'] ?? {}).reduce((a, b) => a + b, 0);
    const graphCounted = simStats.total - batches; // what Graph budgets: batch items + direct requests
    const httpRequests = rig.stats.requests - requests0;
    const throttled = rig.stats.throttled - throttled0;

    // the seed's method: one calendarView per user over the same window, $top=100, each page a request
    const today = Math.floor(Date.now() / DAY) * DAY;
    const from = new Date(today - DAY);
    const to = new Date(today + 91 * DAY);
    let seedRequests = 0;
    let instances = 0;
    for (const u of state.users) {
      if (!u.hasMailbox) {
        seedRequests++;
        continue;
      }
      const n = state.view(state.mailboxOf(u.id)!, from.getTime(), to.getTime()).length;
      instances += truth(sim, u.id, from, to).length;
      seedRequests += Math.max(1, Math.ceil(n / 100));
    }

    // refresh of an unchanged mailbox
    const someone = state.users.find((u) => u.hasMailbox)!;
    sim.simulator.resetStats();
    const r0 = rig.stats.requests;
    const w0 = rig.events.rowsWritten;
    const res = await fetch(`${rig.url}/api/internal/users/${someone.id}/refresh`, { method: 'POST', headers: INTERNAL_AUTH });
    const refresh = await res.json();
    const refreshRequests = rig.stats.requests - r0;
    const refreshRows = rig.events.rowsWritten - w0;
    const refreshRoutes = sim.simulator.stats().requests;
    void PLATFORM_AUTH;

    const rate = graphCounted / (wallMs / 1000);
    console.log(JSON.stringify({ run }, null, 1));
    console.log('');
    console.log(`tenant: ${USERS} users x ${EVENTS} events; ${instances} non-cancelled items in the window; simulator cap ${RPS} requests/s`);
    console.log(`(a) achieved Graph requests/s / ${RPS}: ${(rate / RPS).toFixed(3)}  (${graphCounted} Graph requests counted by Graph: $batch items + direct requests, ${rate.toFixed(1)}/s)`);
    console.log(`(b) HTTP requests made: ${httpRequests}  (${batches} $batch + ${httpRequests - batches} direct)`);
    console.log(`(c) seed's method (calendarView per user, $top=100, a request per page): ${seedRequests}  -> ${(seedRequests / httpRequests).toFixed(1)}x more`);
    console.log(`(d) 429s received: ${throttled}  (simulator counted ${simStats.throttled})`);
    console.log(`(e) wall time: ${(wallMs / 1000).toFixed(1)} s, CPU ${(cpuMs / 1000).toFixed(1)} s of this process (simulator + sync)  (events upserted ${run.eventsUpserted}, mailboxes skipped ${run.mailboxesSkipped}, failed ${run.mailboxesFailed})`);
    console.log(`(f) refresh of an unchanged mailbox: ${refreshRequests} request(s), ${refreshRows} rows written, answer ${JSON.stringify(refresh)}, Graph saw ${JSON.stringify(refreshRoutes)}`);
  } finally {
    await rig.close();
    sim.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
