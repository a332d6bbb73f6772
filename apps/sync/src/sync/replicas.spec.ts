/**
 * Two sync replicas on one PostgreSQL database and one Redis (REDIS_URL: the BullMQ queue), the
 * in-process simulator as Graph. Needs TEST_DATABASE_URL (CI's PostgreSQL) and Redis.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createTestDatabase, testConfig, type InProcessSimulator, type TestDatabase } from '@ocb/testing';
import { createTestApp } from '@ocb/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { loadSyncConfig } from '../config/sync.config';
import { GRAPH_TOKEN_PROVIDER } from '../graph/graph.tokens';
import { api, cachedIds, clientCredentialsTokenProvider, defaultWindow, startInProcessSimulator, truth, waitRun, type SyncRig } from '../testing/sync-test-kit';
import { GraphStats } from '../graph/graph-stats.service';
import { EventsRepository } from '../events/events.repository';
import { RunJobsRepository } from './run-jobs.repository';
import { lockMailbox } from './mailbox-lock';

const maybe = testConfig.postgresUrl ? describe : describe.skip;

maybe('sync replicas on one PostgreSQL and one Redis (BullMQ)', () => {
  let sim: InProcessSimulator;
  let db: TestDatabase;
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const replicas: SyncRig[] = [];

  async function replica(env: Record<string, string> = {}): Promise<SyncRig> {
    const config = loadSyncConfig({
      DATABASE_URL: db.url,
      GRAPH_BASE_URL: sim.graphBaseUrl,
      AUTHORITY_HOST: sim.authorityHost,
      REDIS_URL: testConfig.redisUrl,
      REDIS_PREFIX: prefix,
      SYNC_CRON_ENABLED: 'false',
      SYNC_QUEUE_CONCURRENCY: '2',
      LOG_LEVEL: 'silent',
      ...env,
    });
    const app = await createTestApp(AppModule.forRoot(config), {}, (b) => b.overrideProvider(GRAPH_TOKEN_PROVIDER).useValue(clientCredentialsTokenProvider(config)));
    const rig: SyncRig = {
      app,
      url: app.url,
      db,
      config,
      stats: app.app.get(GraphStats),
      events: app.app.get(EventsRepository),
      ds: app.app.get<DataSource>(getDataSourceToken()),
      close: () => app.close(),
    };
    replicas.push(rig);
    return rig;
  }

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 70, eventsPerUser: 6, seed: 11 });
    db = await createTestDatabase('postgres', 'sync-replicas');
    await replica();
    await replica();
  }, 60_000);
  afterAll(async () => {
    for (const r of replicas) await r.close();
    const redis = new IORedis(testConfig.redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.drop();
    sim.close();
  });

  it('a full run started on one replica: 409 on the other, its jobs taken by both, progress the sum of the jobs, cache = truth', async () => {
    const [a, b] = replicas;
    const started = await api.post<{ runId: string }>(a, 'sync/full');
    expect(started.status).toBe(202);
    const again = await api.post<{ runId: string }>(b, 'sync/full');
    expect(again.status).toBe(409);
    expect(again.body.runId).toBe(started.body.runId);
    const run = await waitRun(b, started.body.runId, 120_000);
    expect(run).toMatchObject({ kind: 'full', status: 'succeeded', usersTotal: 70, usersDone: 70, mailboxesFailed: 0 });
    expect(run.graphRequests).toBeGreaterThan(0);
    const byWorker = await a.app.app.get(RunJobsRepository).byWorker(started.body.runId);
    // plan + 4 groups of <= 20 mailboxes, written by both replicas
    expect(Object.values(byWorker).reduce((n, x) => n + x, 0)).toBe(5);
    expect(Object.keys(byWorker).length).toBe(2);
    const w = defaultWindow();
    let total = 0;
    for (const u of sim.simulator.state.users.filter((x) => x.hasMailbox)) {
      const expected = truth(sim, u.id, w.from, w.to).sort();
      expect(await cachedIds(a, u.id)).toEqual(expected);
      total += expected.length;
    }
    expect(run.eventsUpserted).toBe(total);
    // a delta run through the queue, from the other replica: nothing changed, nothing written
    const delta = await api.post<{ runId: string }>(b, 'sync/delta');
    expect(delta.status).toBe(202);
    expect(await waitRun(a, delta.body.runId, 60_000)).toMatchObject({ kind: 'delta', status: 'succeeded', usersDone: run.usersTotal - run.mailboxesSkipped, eventsUpserted: 0, eventsRemoved: 0 });
  }, 180_000);

  it('GET /api/sync/queue: counts across replicas (2 workers); queue gauges on /metrics', async () => {
    const q = await api.get<Record<string, number>>(replicas[1], 'sync/queue');
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ active: 0, waiting: 0, failed: 0, workers: 2 });
    expect(q.body['completed']).toBeGreaterThan(0);
    const metrics = await (await fetch(`${replicas[0].url}/metrics`)).text();
    expect(metrics).toMatch(/sync_queue_jobs\{state="workers"\} 2/);
  });

  it('crons are BullMQ job schedulers: every replica upserts the same two, each tick runs once', async () => {
    const c = await replica({ SYNC_CRON_ENABLED: 'true', SYNC_FULL_CRON: '0 3 * * 0', SYNC_DELTA_CRON: '*/2 * * * * *' });
    const d = await replica({ SYNC_CRON_ENABLED: 'true', SYNC_FULL_CRON: '0 3 * * 0', SYNC_DELTA_CRON: '*/2 * * * * *' });
    const connection = new IORedis(testConfig.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('sync', { connection, prefix });
    try {
      expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(['sync-delta', 'sync-full']);
      const started = Date.now();
      await new Promise((r) => setTimeout(r, 7_000));
      const seconds = (Date.now() - started) / 1000;
      const fired = await Promise.all([c, d, ...replicas.slice(0, 2)].map(async (r) => firedOf(await (await fetch(`${r.url}/metrics`)).text())));
      const sum = fired.reduce((n, x) => n + x, 0);
      // ticks every 2 s: about seconds / 2 in all, where a cron per replica would give twice that per replica
      expect(sum).toBeGreaterThanOrEqual(2);
      expect(sum).toBeLessThanOrEqual(Math.ceil(seconds / 2) + 1);
    } finally {
      await queue.close();
      await connection.quit();
    }
  }, 60_000);

  it('a mailbox is written by one replica at a time: the advisory lock holds a second transaction until the first ends', async () => {
    const [a, b] = replicas;
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = a.ds.transaction(async (m) => {
      await lockMailbox(m, 'someone');
      order.push('a locked');
      await held;
      order.push('a commits');
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = b.ds.transaction(async (m) => {
      await lockMailbox(m, 'someone');
      order.push('b locked');
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual(['a locked']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a locked', 'a commits', 'b locked']);
  });
});

function firedOf(metrics: string): number {
  let n = 0;
  for (const m of metrics.matchAll(/^sync_cron_fired_total\{kind="\w+"\} (\d+)/gm)) n += Number(m[1]);
  return n;
}
