import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '@ocb/clock';
import type { StartingEvent } from '@ocb/service-clients';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@ocb/testing';
import { ALICE, advanceTo, FakeSync, MIN, occurrence, startApp, T0, WebhookReceiver, type NotificationsApp } from '../testing/notifications-test-kit';

jest.setTimeout(30_000);

/** A tiny stand-in for sync's internal routes, speaking the shapes of @ocb/service-clients. */
function fakeSyncServer(events: StartingEvent[]) {
  const seen: Array<{ path: string; query: Record<string, string>; auth: string | undefined }> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer dev-internal-key') return json(401, { statusCode: 401, code: 'UNAUTHORIZED', message: 'key' });
    if (url.pathname === '/api/internal/events/starting') {
      const from = Date.parse(url.searchParams.get('from')!);
      const to = Date.parse(url.searchParams.get('to')!);
      const limit = Number(url.searchParams.get('limit'));
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const all = events.filter((e) => Date.parse(e.startUtc) >= from && Date.parse(e.startUtc) < to);
      // pages of one item to exercise the cursor, whatever limit was asked
      const page = all.slice(offset, offset + Math.min(limit, 1));
      return json(200, { items: page, nextCursor: offset + page.length < all.length ? String(offset + page.length) : null });
    }
    const m = /^\/api\/internal\/users\/([^/]+)\/events\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const e = events.find((x) => x.id === decodeURIComponent(m[2]) && x.user.id === decodeURIComponent(m[1]));
      if (!e) return json(404, { statusCode: 404, code: 'NOT_FOUND', message: 'no such event' });
      const { user: _u, ...detail } = e;
      return json(200, detail);
    }
    const u = /^\/api\/internal\/users\/([^/]+)$/.exec(url.pathname);
    if (u) {
      const id = decodeURIComponent(u[1]);
      if (id === ALICE.id || id === ALICE.userPrincipalName) return json(200, { ...ALICE, mail: ALICE.email, displayName: 'Alice' });
      return json(404, { statusCode: 404, code: 'NOT_FOUND', message: 'no such user' });
    }
    json(404, { statusCode: 404, code: 'NOT_FOUND', message: 'no route' });
  });
  return { server, seen };
}

describe.each(testDatabaseKinds())('the production due-events source (SyncClient) on %s', (kind) => {
  let db: TestDatabase;
  let app: NotificationsApp | undefined;
  let sync: ReturnType<typeof fakeSyncServer>;
  let receiver: WebhookReceiver;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await receiver.close();
    await new Promise((r) => sync.server.close(r));
    await db.drop();
  });

  it('plans from GET /api/internal/events/starting (all pages), re-checks each event, and drops a deleted one', async () => {
    db = await createTestDatabase(kind, 'notif_syncsrc');
    const clock = new FakeClock(T0);
    receiver = await new WebhookReceiver(clock).start();
    const events = [occurrence('one', T0 + 70 * MIN), occurrence('two', T0 + 75 * MIN), occurrence('gone', T0 + 80 * MIN)];
    sync = fakeSyncServer(events);
    await new Promise<void>((r) => sync.server.listen(0, '127.0.0.1', r));
    const syncUrl = `http://127.0.0.1:${(sync.server.address() as AddressInfo).port}`;

    app = await startApp({ databaseUrl: db.url, clock, webhookUrl: receiver.url, env: { SYNC_URL: syncUrl } });
    const pages = sync.seen.filter((s) => s.path === '/api/internal/events/starting');
    expect(pages.length).toBe(3);
    // from now: events created less than the lead before their start are planned too
    expect(pages[0].query).toEqual({ from: new Date(T0).toISOString(), to: new Date(T0 + 240 * MIN).toISOString(), limit: '500' });
    expect(pages[1].query.cursor).toBe('1');

    events.splice(2, 1); // deleted in the cache after planning
    await advanceTo(clock, T0 + 25 * MIN, [app]);
    expect(receiver.requests.map((r) => [r.body.event, r.at])).toEqual([
      [expect.objectContaining({ id: 'one' }), T0 + 10 * MIN],
      [expect.objectContaining({ id: 'two' }), T0 + 15 * MIN],
    ]);
    expect(sync.seen.filter((s) => /\/events\/(one|two|gone)$/.test(s.path))).toHaveLength(3);

    const { default: request } = await import('supertest');
    const unknown = await request(app.url).get('/api/users/nobody/notifications').set({ Authorization: 'Bearer dev-platform-key' });
    expect(unknown.status).toBe(404);
  });
});

describe.each(testDatabaseKinds())('real time (SystemClock) on %s', (kind) => {
  it('sends a reminder when it falls due, within a second', async () => {
    const db = await createTestDatabase(kind, 'notif_realtime');
    const clock = { now: () => Date.now() } as FakeClock;
    const receiver = await new WebhookReceiver(clock).start();
    const sync = new FakeSync();
    const due = Date.now() + 1500;
    sync.add(occurrence('soon', due + MIN));
    const app = await startApp({ databaseUrl: db.url, sync, webhookUrl: receiver.url, env: { REMINDER_LEAD_MINUTES: '1' } });
    try {
      for (let i = 0; i < 40 && !receiver.requests.length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0].at - due).toBeGreaterThanOrEqual(0);
      expect(receiver.requests[0].at - due).toBeLessThan(1000);
      expect(receiver.requests[0].body.message).toBe('Your meeting "Meeting soon" will start in 1 minute.');
    } finally {
      await app.close();
      await receiver.close();
      await db.drop();
    }
  });
});
