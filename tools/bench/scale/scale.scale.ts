/**
 * The scale test (`npm test`, phase `scale`: needs PostgreSQL and Redis; `node tools/test/run-all.mjs
 * scale` alone): see scenario.ts. Built processes, a 2,000-mailbox tenant at a 40 requests/s cap.
 */
import { build } from '../support';
import { runScale, type ScaleResult } from './scenario';

const OFFSET = Number(process.env['E2E_PORT_OFFSET'] ?? 0);
// a multiple of 20: a $batch of 20 items needs 20 free requests of the window at once, so at 50/s
// only 2 batches fit a second (0.78 of the cap)
const CAP = 40;
const USERS = 2000;
let r: ScaleResult;

beforeAll(async () => {
  for (const app of ['graph-simulator', 'auth', 'sync', 'actions', 'notifications']) build(app, process.env['SCALE_NO_BUILD'] ? ['--no-build'] : []);
  r = await runScale({
    users: USERS,
    eventsPerUser: 2,
    cap: CAP,
    reminders: 200,
    postgresUrl: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    basePort: 4600 + OFFSET,
    killAt: 0.4,
    marginMs: 75,
  });
  console.log(`scale test figures: ${JSON.stringify(r, null, 1)}`);
}, 600_000);

describe('3 sync, 2 notifications, 2 actions replicas and auth on PostgreSQL and Redis', () => {
  it('ends the full run of 2,000 mailboxes succeeded although a sync replica was SIGKILLed mid-run', () => {
    expect(r.run.status).toBe('succeeded');
    expect(r.run.usersTotal).toBe(USERS);
    expect(r.run.usersDone).toBe(USERS);
    expect(r.run.mailboxesFailed).toBe(0);
    expect(r.killedAtDone).toBeGreaterThan(0);
    expect(r.killedAtDone).toBeLessThan(USERS);
    // the run's jobs were taken by the three replicas, the killed one's stalled jobs by the others
    expect(Object.keys(r.jobsByWorker).length).toBeGreaterThanOrEqual(2);
  });

  it('caches exactly the simulator’s truth for every mailbox: nothing missing, extra, stale or duplicated', () => {
    expect(r.truth.mailboxes).toBe(USERS);
    expect(r.truth.expected).toBeGreaterThanOrEqual(USERS * 2);
    expect(r.truth).toEqual(expect.objectContaining({ missing: 0, extra: 0, staleChangeKey: 0, duplicates: 0, mailboxesDiffering: 0 }));
    expect(r.truth.cached).toBe(r.truth.expected);
  });

  it('uses at least 0.9 of the Graph cap while it fetches, with no 429 across the replicas', () => {
    expect(r.throttledDuringRun).toBe(0);
    expect(r.steadyRateOverCap).toBeGreaterThanOrEqual(0.9);
    expect(r.steadyRateOverCap).toBeLessThanOrEqual(1.05);
    expect(r.rateOverCap).toBeLessThanOrEqual(1.05);
  });

  it('fires each cron tick once across the replicas', () => {
    expect(r.cron.ticks).toBeGreaterThanOrEqual(3);
    expect(Math.abs(r.cron.fired - r.cron.ticks)).toBeLessThanOrEqual(1);
    expect(r.cron.deltaRunsPerTickMax).toBeLessThanOrEqual(1);
  });

  it('delivers 200 due reminders each exactly once while a notifications replica restarts', () => {
    expect(r.reminders.delivered).toBe(200);
    expect(r.reminders.duplicates).toBe(0);
    expect(r.reminders.unverified).toBe(0);
    expect(r.reminders.notificationsRestartedAt).toBeGreaterThan(r.reminders.firstDueAt);
    expect(r.reminders.notificationsRestartedAt).toBeLessThan(r.reminders.lastDueAt);
  });

  it('keeps both actions replicas serving', () => {
    expect(r.actionsHealthy).toBe(2);
  });
});
