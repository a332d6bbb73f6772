import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import { cachedIds, defaultWindow, fullSync, startInProcessSimulator, startSync, truth, type SyncRig } from '../testing/sync-test-kit';

jest.setTimeout(90_000);

describe.each(testDatabaseKinds())('transient Graph errors on $batch items (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 40, eventsPerUser: 12, seed: 31 });
    // small pages: each mailbox needs several delta rounds, so several chances to meet an error
    rig = await startSync(kind, sim, {}, { pageSize: 5 });
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  it('at 8 % of 500/502/503/504 on the delta items, a full sync ends with every mailbox synced', async () => {
    await sim.admin('faults', { method: 'PUT', body: { routes: { '*calendarView/delta*': { errorRate: 0.08 } } } });
    const retries = rig.stats.retries;
    let run;
    try {
      run = await fullSync(rig, 80_000);
    } finally {
      await sim.admin('faults', { method: 'PUT', body: { routes: null } });
    }
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0, failures: [], usersDone: 40 });
    // the faults were there, and were retried item by item
    expect(rig.stats.retries - retries).toBeGreaterThan(5);
    const w = defaultWindow();
    for (const u of sim.simulator.state.users.filter((x) => x.hasMailbox)) {
      expect({ user: u.id, ids: await cachedIds(rig, u.id) }).toEqual({ user: u.id, ids: truth(sim, u.id, w.from, w.to).sort() });
    }
  });
});
