import { createTestDatabase, probeRouteGuards, type TestDatabase } from '@ocb/testing';
import { startApp, type NotificationsApp } from '../testing/notifications-test-kit';

describe('notifications: every keyed route judges the route the router matched, not the path text', () => {
  let db: TestDatabase;
  let app: NotificationsApp;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'notifications');
    app = await startApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('refuses the internal key on every spelling of every platform route', async () => {
    const r = await probeRouteGuards(app.app, app.url, { platformKey: 'dev-platform-key', internalKey: 'dev-internal-key' });
    expect(r.platform.map((x) => `${x.method} ${x.path}`)).toEqual(expect.arrayContaining(['GET /api/users/:user/notifications']));
    expect(r.breaches).toEqual([]);
  });
});
