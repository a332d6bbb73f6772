import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import { api, cachedIds, defaultWindow, fullSync, refuseRows, startInProcessSimulator, startSync, truth, type SyncRig } from '../testing/sync-test-kit';

jest.setTimeout(90_000);

/** Every mailbox user of the simulator has its window cached exactly. */
async function expectAllSynced(sim: InProcessSimulator, rig: SyncRig): Promise<void> {
  const w = defaultWindow();
  for (const u of sim.simulator.state.users.filter((x) => x.hasMailbox)) {
    expect({ user: u.id, ids: await cachedIds(rig, u.id) }).toEqual({ user: u.id, ids: truth(sim, u.id, w.from, w.to).sort() });
  }
}

describe.each(testDatabaseKinds())('Graph budgets below 20 requests/s (%s)', (kind) => {
  it('at 1 request/s a full sync of a small tenant syncs every mailbox (batches of one item)', async () => {
    const sim = startInProcessSimulator({ users: 3, eventsPerUser: 8, seed: 21 });
    const rig = await startSync(kind, sim, { GRAPH_MAX_REQUESTS_PER_SECOND: '1' });
    try {
      const run = await fullSync(rig, 80_000);
      expect(run).toMatchObject({ status: 'succeeded', usersTotal: 3, usersDone: 3, mailboxesFailed: 0, error: null });
      expect(run.eventsUpserted).toBeGreaterThan(0);
      await expectAllSynced(sim, rig);
    } finally {
      await rig.close();
      sim.close();
    }
  });

  it('at 10 requests/s a full sync syncs every mailbox, and Graph never sees more than 10 in a second', async () => {
    const sim = startInProcessSimulator({ users: 14, eventsPerUser: 15, seed: 22 });
    // the simulator throttles (429) whatever goes over 10 per second per app and mailbox
    await sim.admin('faults', { method: 'PUT', body: { maxRequestsPerSecond: 10 } });
    const rig = await startSync(kind, sim, { GRAPH_MAX_REQUESTS_PER_SECOND: '10' }, { pageSize: 50 });
    try {
      const run = await fullSync(rig, 60_000);
      expect(run).toMatchObject({ status: 'succeeded', usersTotal: 14, usersDone: 14, mailboxesFailed: 0, error: null });
      await expectAllSynced(sim, rig);
      expect(rig.stats.throttled).toBe(0);
    } finally {
      await rig.close();
      sim.close();
    }
  });
});

describe.each(testDatabaseKinds())('a run that leaves mailboxes unsynced (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 6, eventsPerUser: 10, seed: 23 });
    rig = await startSync(kind, sim);
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  it('reports status partial with the count and the failed mailbox named; the others are synced', async () => {
    const victim = sim.simulator.state.users.find((u) => u.hasMailbox)!;
    // a first run caches the user, so that the run view can name them
    expect((await fullSync(rig)).status).toBe('succeeded');
    await rig.ds.query(`DELETE FROM sync_events WHERE user_id = ${kind === 'postgres' ? '$1' : '?'}`, [victim.id]);
    const lift = await refuseRows(rig, 'sync_events', 'user_id', victim.id);
    let run;
    try {
      run = await fullSync(rig);
    } finally {
      await lift();
    }
    expect(run).toMatchObject({ status: 'partial', mailboxesFailed: 1, usersDone: run.usersTotal, error: null });
    expect(run.failures).toEqual([{ userId: victim.id, userPrincipalName: victim.userPrincipalName, error: expect.stringContaining('refused by test trigger') }]);
    const w = defaultWindow();
    for (const u of sim.simulator.state.users.filter((x) => x.hasMailbox && x.id !== victim.id)) {
      expect(await cachedIds(rig, u.id)).toEqual(truth(sim, u.id, w.from, w.to).sort());
    }
    const metrics = await (await fetch(`${rig.url}/metrics`)).text();
    expect(metrics).toMatch(/sync_runs_total\{kind="full",status="partial"\} 1/);
    expect(metrics).toMatch(/sync_run_mailboxes_failed_total\{kind="full"\} 1/);
    // the next run catches up and is a plain success again
    expect(await fullSync(rig)).toMatchObject({ status: 'succeeded', mailboxesFailed: 0, failures: [] });
    expect(await cachedIds(rig, victim.id)).toEqual(truth(sim, victim.id, w.from, w.to).sort());
  });

  it('documents the run view, its statuses included, in the OpenAPI', async () => {
    const doc = SwaggerModule.createDocument(rig.app.app, new DocumentBuilder().build()) as unknown as {
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    expect(doc.components.schemas['SyncRunViewDto'].properties['status'].enum).toEqual(['running', 'succeeded', 'partial', 'failed']);
    expect(Object.keys(doc.components.schemas['SyncRunFailureDto'].properties).sort()).toEqual(['error', 'userId', 'userPrincipalName']);
    expect((await api.get(rig, 'sync/runs/unknown')).status).toBe(404);
  });
});
