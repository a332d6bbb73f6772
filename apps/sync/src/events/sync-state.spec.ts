import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import { api, fullSync, startInProcessSimulator, startSync, type SyncRig } from '../testing/sync-test-kit';

interface SyncState {
  lastSyncedAt: string | null;
  lastFullSyncAt: string | null;
  lastDeltaSyncAt: string | null;
  lastError: string | null;
}

describe.each(testDatabaseKinds())('GET /api/users/{user}/sync-state (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 2, eventsPerUser: 5, seed: 11 });
    rig = await startSync(kind, sim);
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  it('404 naming user before the user is cached', async () => {
    const r = await api.get<{ code: string; message: string }>(rig, `users/${encodeURIComponent('nobody@contoso.com')}/sync-state`);
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/^user: /);
  });

  it('the full sync sets lastSyncedAt; a refresh that finds nothing new moves it on (the cache is current as of then)', async () => {
    const u = sim.simulator.state.users[0];
    const before = Date.now();
    expect((await fullSync(rig)).status).toBe('succeeded');
    const first = await api.get<SyncState>(rig, `users/${encodeURIComponent(u.userPrincipalName)}/sync-state`);
    expect(first.status).toBe(200);
    expect(first.body.lastFullSyncAt).not.toBeNull();
    expect(first.body.lastSyncedAt).toBe(first.body.lastFullSyncAt);
    expect(Date.parse(first.body.lastSyncedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(first.body.lastDeltaSyncAt).toBeNull();

    await new Promise((r) => setTimeout(r, 20));
    const refreshed = await api.post<{ eventsUpserted: number }>(rig, `users/${encodeURIComponent(u.userPrincipalName)}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.eventsUpserted).toBe(0);
    const second = await api.get<SyncState>(rig, `users/${u.id}/sync-state`);
    expect(second.body.lastDeltaSyncAt).not.toBeNull();
    expect(second.body.lastSyncedAt).toBe(second.body.lastDeltaSyncAt);
    expect(Date.parse(second.body.lastSyncedAt ?? '')).toBeGreaterThan(Date.parse(first.body.lastSyncedAt ?? ''));
    expect(second.body.lastFullSyncAt).toBe(first.body.lastFullSyncAt);
  });

  it('a delta run with no changes marks every mailbox current', async () => {
    const u = sim.simulator.state.users[1];
    const prior = await api.get<SyncState>(rig, `users/${u.id}/sync-state`);
    await new Promise((r) => setTimeout(r, 20));
    const started = await api.post<{ runId: string }>(rig, 'sync/delta');
    expect(started.status).toBe(202);
    for (let i = 0; i < 500; i++) {
      const run = await api.get<{ status: string; eventsUpserted: number }>(rig, `sync/runs/${started.body.runId}`);
      if (run.body.status !== 'running') {
        expect(run.body).toMatchObject({ status: 'succeeded', eventsUpserted: 0 });
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const after = await api.get<SyncState>(rig, `users/${u.id}/sync-state`);
    expect(Date.parse(after.body.lastSyncedAt ?? '')).toBeGreaterThan(Date.parse(prior.body.lastSyncedAt ?? ''));
  });
});
