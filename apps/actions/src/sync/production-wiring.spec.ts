import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startActions, type ActionsHarness } from '../testing/actions-test-kit';

/** A tiny stand-in for a sibling service's internal routes. */
async function fakeService(handle: (req: IncomingMessage) => { status: number; body?: unknown }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const { status, body } = handle(req);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('production wiring: AuthClient and SyncClient over HTTP', () => {
  let h: ActionsHarness;
  let auth: { server: Server; url: string };
  let sync: { server: Server; url: string };
  const seen: string[] = [];
  let mint: (user: string) => string = () => '';
  let userIds: Record<string, string> = {};

  beforeAll(async () => {
    auth = await fakeService((req) => {
      seen.push(`auth ${req.method} ${req.url} ${req.headers.authorization}`);
      const m = /^\/api\/internal\/users\/([^/?]+)\/token/.exec(req.url ?? '');
      const user = m ? decodeURIComponent(m[1]) : '';
      if (user === 'unconnected@contoso.com') {
        return { status: 409, body: { statusCode: 409, code: 'CONSENT_REQUIRED', message: 'connect first', connectUrl: 'http://auth/api/auth/connect?user=unconnected' } };
      }
      return { status: 200, body: { accessToken: mint(user), expiresOn: new Date(Date.now() + 3_600_000).toISOString(), userId: userIds[user] ?? user, userPrincipalName: user } };
    });
    sync = await fakeService((req) => {
      seen.push(`sync ${req.method} ${req.url} ${req.headers.authorization}`);
      if (req.method === 'POST') return { status: 200, body: { eventsUpserted: 1, eventsRemoved: 0 } };
      const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      return { status: 200, body: { id, subject: 'as cached by sync' } };
    });
    h = await startActions({ productionClients: true, env: { AUTH_URL: auth.url, SYNC_URL: sync.url, INTERNAL_API_KEY: 'internal-secret' } });
    mint = (user) => h.sim.simulator.userToken(user);
    userIds = Object.fromEntries(h.users.map((u) => [u.userPrincipalName, u.id]));
  });

  afterAll(async () => {
    await h?.close();
    auth?.server.close();
    sync?.server.close();
  });

  it('creates with the token from auth and answers with sync\'s detail after its refresh', async () => {
    const upn = h.users[0].userPrincipalName;
    const r = await h.api('POST', `/users/${encodeURIComponent(upn)}/events`, {
      title: 'Wired',
      start: '2027-01-05T09:00:00',
      end: '2027-01-05T09:30:00',
      timeZone: 'UTC',
    });
    expect(r.status).toBe(201);
    // sync's detail, plus the conflicts found (none: no attendee)
    expect(r.body).toEqual({ id: expect.any(String), subject: 'as cached by sync', conflicts: [] });
    const path = encodeURIComponent(upn);
    expect(seen).toEqual([
      `auth GET /api/internal/users/${path}/token Bearer internal-secret`,
      `sync POST /api/internal/users/${path}/refresh Bearer internal-secret`,
      `sync GET /api/internal/users/${path}/events/${encodeURIComponent(String(r.body.id))} Bearer internal-secret`,
    ]);
    expect((await h.mailbox(h.users[0].id)).map((e) => e['subject'])).toContain('Wired');
  });

  it('passes 409 CONSENT_REQUIRED from auth through with connectUrl', async () => {
    const writes = await h.writes();
    const r = await h.api('POST', '/users/unconnected@contoso.com/events', { title: 'x', start: '2027-01-05T09:00', end: '2027-01-05T10:00', timeZone: 'UTC' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ statusCode: 409, code: 'CONSENT_REQUIRED', message: 'connect first', connectUrl: 'http://auth/api/auth/connect?user=unconnected' });
    expect(await h.writes()).toBe(writes);
  });
});
