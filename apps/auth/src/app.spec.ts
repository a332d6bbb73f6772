import { http, HttpResponse } from 'msw';
import { testDatabaseKinds } from '@ocb/testing';
import { authSuite } from './testing/auth-test-kit';

describe.each(testDatabaseKinds())('auth app (%s)', (kind) => {
  const rig = authSuite(kind);


  it('is ready when the database and the authority metadata answer, 503 otherwise', async () => {
    expect((await fetch(`${rig.auth.url}/api/health`)).status).toBe(200);
    const ready = await fetch(`${rig.auth.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ info: { database: { status: 'up' }, authority: { status: 'up' } } });
    rig.sim.server.use(http.get('*/:tenant/v2.0/.well-known/openid-configuration', () => HttpResponse.json({ error: 'temporarily_unavailable' }, { status: 503 }), { once: true }));
    const down = await fetch(`${rig.auth.url}/api/health/ready`);
    expect(down.status).toBe(503);
  });

  it('documents its routes', async () => {
    const doc = (await (await fetch(`${rig.auth.url}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/connect',
        '/api/auth/connect-url',
        '/api/auth/users/{user}/connection',
        '/api/internal/tokens/app',
        '/api/internal/users/{user}/token',
      ]),
    );
  });
});
