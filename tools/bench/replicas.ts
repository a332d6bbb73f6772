/**
 * Full-sync throughput with 1, 2 and 3 sync replicas on one PostgreSQL and one Redis, against the
 * built standalone simulator capped at `--rps` (not the bottleneck: its cap is the budget):
 *
 *   node tools/run-ts.mjs tools/bench/replicas.ts [--users 2000] [--events 5] [--rps 40] [--margin 75]
 *     [--replicas 1,2,3] [--kill 0.4] [--database postgres://postgres@127.0.0.1:5432/postgres]
 *     [--redis redis://127.0.0.1:6379] [--port 4330] [--no-build] [--json <file>]
 *
 * Per replica count: mailboxes/s over the run's own duration, Graph requests counted by the
 * simulator (batch items + direct requests) ÷ (duration × cap), 429s, and where the time goes (the
 * plan step: directory; the budget-bound time = requests ÷ cap; CPU of each replica, the simulator
 * and PostgreSQL); then the cache is compared with the simulator's truth. `--kill <share>`:
 * SIGKILL the last replica once that share of the mailboxes is done (its jobs are taken up again).
 * `--margin`: SYNC_RATE_WINDOW_MARGIN_MS of the replicas (default: sync's own, 25 ms). Keep `--rps`
 * a multiple of 20 (a batch of 20 needs 20 free requests of the window at once).
 */
import { build, flag as flagOf, writeFigures } from './support';
import { runReplicaScenario, type ScenarioResult } from './replicas-scenario';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => flagOf(args, name, def);

async function main(): Promise<void> {
  const simMain = build('graph-simulator', args);
  const syncMain = build('sync', args);
  const counts = flag('replicas', '1,2,3').split(',').map(Number);
  const kill = flag('kill', '');
  const results: ScenarioResult[] = [];
  for (const replicas of counts) {
    const r = await runReplicaScenario({
      simMain,
      syncMain,
      users: Number(flag('users', '2000')),
      events: Number(flag('events', '5')),
      rps: Number(flag('rps', '40')),
      replicas,
      killAt: kill ? Number(kill) : undefined,
      postgresUrl: flag('database', 'postgres://postgres@127.0.0.1:5432/postgres'),
      redisUrl: flag('redis', 'redis://127.0.0.1:6379'),
      basePort: Number(flag('port', '4330')),
      lockMs: 4000,
      marginMs: flag('margin', '') ? Number(flag('margin', '')) : undefined,
    });
    results.push(r);
    const cpu = r.cpuS.syncReplicas.map((c) => (Number.isNaN(c) ? 'killed' : `${c.toFixed(1)} s`)).join(' / ');
    console.log(
      `${replicas} replica(s): run ${r.run.status} in ${r.runS.toFixed(1)} s; ${r.mailboxesPerS.toFixed(1)} mailboxes/s; ` +
        `Graph rate ÷ cap ${r.graphRateOverCap.toFixed(3)} over the run, ${r.fetchPhaseRateOverCap.toFixed(3)} from 10 % to 90 % done (${r.graphCounted} counted requests); 429s ${r.throttled}; ` +
        `cache vs the simulator's truth: ${r.truth.missing} missing, ${r.truth.extra} extra, ${r.truth.staleChangeKey} stale changeKeys, ${r.truth.duplicates} duplicates of ${r.truth.expected} in ${r.truth.mailboxes} mailboxes${r.killed ? '; one replica SIGKILLed mid-run' : ''}`,
    );
    console.log(
      `   where the time goes: plan (directory) ${r.planS.toFixed(1)} s; budget-bound minimum ${r.budgetBoundS.toFixed(1)} s; ` +
        `CPU: sync ${cpu}, simulator ${r.cpuS.simulator.toFixed(1)} s, PostgreSQL ${r.cpuS.postgres.toFixed(1)} s; jobs by replica ${JSON.stringify(Object.values(r.jobsByWorker))}`,
    );
  }
  writeFigures(args, { users: Number(flag('users', '2000')), rps: Number(flag('rps', '40')), results });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
