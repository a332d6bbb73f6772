import { probeRouteGuards } from '@ocb/testing';
import { authSuite } from '../testing/auth-test-kit';

// The platform key must never reach an internal route (the app-only token, a user's delegated
// token), however the path is spelled; nor the internal key a platform route.
describe('auth: every keyed route judges the route the router matched, not the path text', () => {
  const rig = authSuite('sqlite');

  it('refuses the wrong key on every spelling of every route', async () => {
    const r = await probeRouteGuards(rig.auth.app.app, rig.auth.url, { platformKey: 'dev-platform-key', internalKey: 'dev-internal-key' });
    expect(r.internal.map((x) => `${x.method} ${x.path}`)).toEqual(expect.arrayContaining(['GET /api/internal/tokens/app', 'GET /api/internal/users/:user/token']));
    expect(r.platform.length).toBeGreaterThan(0);
    expect(r.breaches).toEqual([]);
    expect(r.refusedInternalKey).toEqual([]);
  }, 30_000);
});
