import { probeRouteGuards } from '@ocb/testing';
import { startInProcessSimulator, startSync, type SyncRig } from '../testing/sync-test-kit';

describe('sync: every keyed route judges the route the router matched, not the path text', () => {
  let sim: ReturnType<typeof startInProcessSimulator>;
  let rig: SyncRig;
  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 2, eventsPerUser: 1, seed: 3 });
    rig = await startSync('sqlite', sim);
  });
  afterAll(async () => {
    await rig?.close();
    sim?.close();
  });

  it('refuses the wrong key on every spelling of every route', async () => {
    const r = await probeRouteGuards(rig.app.app, rig.url, { platformKey: 'dev-platform-key', internalKey: 'dev-internal-key' });
    expect(r.internal.map((x) => `${x.method} ${x.path}`)).toEqual(expect.arrayContaining(['POST /api/internal/users/:user/refresh', 'GET /api/internal/events/starting']));
    expect(r.platform.map((x) => `${x.method} ${x.path}`)).toEqual(expect.arrayContaining(['POST /api/sync/full', 'GET /api/users/:user/events']));
    expect(r.breaches).toEqual([]);
    expect(r.refusedInternalKey).toEqual([]);
  });
});
