import { probeRouteGuards } from '@ocb/testing';
import { startActions, type ActionsHarness } from '../testing/actions-test-kit';

describe('actions: every keyed route judges the route the router matched, not the path text', () => {
  let h: ActionsHarness;
  beforeAll(async () => {
    h = await startActions();
  });
  afterAll(() => h?.close());

  it('refuses the internal key on every spelling of every platform route, and writes nothing', async () => {
    const r = await probeRouteGuards(h.nest, h.url, { platformKey: 'dev-platform-key', internalKey: 'dev-internal-key' });
    expect(r.platform.map((x) => `${x.method} ${x.path}`)).toEqual(expect.arrayContaining(['POST /api/users/:user/events', 'PATCH /api/users/:user/events/:eventId', 'DELETE /api/users/:user/events/:eventId']));
    expect(r.breaches).toEqual([]);
    expect(await h.writes()).toBe(0);
  });
});
