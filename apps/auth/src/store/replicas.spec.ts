/**
 * auth as stateless replicas: two instances on one database (PostgreSQL too when
 * TEST_DATABASE_URL is set). The connect state and the token cache live in the database, so either
 * replica finishes what the other started, and a refresh token rotated by one is the one the other
 * uses next (the simulator retires a refresh token once used, as Microsoft's identity platform may).
 */
import { INTERNAL_AUTH, PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { ADELE, ALEX, get, startAuth, startSimulator, toTestApp, type AuthRig, type SimulatorRig } from '../testing/auth-test-kit';

async function userToken(auth: AuthRig, user: string): Promise<{ status: number; accessToken: string }> {
  const res = await fetch(`${auth.url}/api/internal/users/${encodeURIComponent(user)}/token?forceRefresh=true`, { headers: INTERNAL_AUTH });
  const body = (await res.json()) as { accessToken: string };
  return { status: res.status, accessToken: body.accessToken };
}

async function connected(auth: AuthRig, user: string): Promise<boolean> {
  const res = await fetch(`${auth.url}/api/auth/users/${encodeURIComponent(user)}/connection`, { headers: PLATFORM_AUTH });
  return res.status === 200 && ((await res.json()) as { connected: boolean }).connected;
}

describe.each(testDatabaseKinds())('two auth replicas on one %s database', (kind) => {
  let sim: SimulatorRig;
  let a: AuthRig;
  let b: AuthRig;

  beforeAll(async () => {
    sim = startSimulator();
    a = await startAuth(kind);
    b = await startAuth(kind, {}, a.db);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    sim?.close();
  });

  it('a connect started on replica A completes on replica B', async () => {
    expect(b.url).not.toBe(a.url);
    const connect = await get(`${a.url}/api/auth/connect?user=${encodeURIComponent(ALEX.id)}`);
    expect(connect.status).toBe(302);
    const authorize = await get(connect.location!);
    expect(authorize.status).toBe(302);
    const callback = await get(toTestApp(authorize.location!, b.url));
    expect(callback.status).toBe(200);
    expect(callback.text).toMatch(/connected/i);
    expect(await connected(a, ALEX.id)).toBe(true);
    expect(await connected(b, ALEX.id)).toBe(true);
  });

  it('a refresh token rotated by one replica is the one the other uses next', async () => {
    const connect = await get(`${b.url}/api/auth/connect?user=${encodeURIComponent(ADELE.id)}`);
    const authorize = await get(connect.location!);
    expect((await get(toTestApp(authorize.location!, b.url))).status).toBe(200);
    const before = sim.count('refresh_token');
    const seen = new Set<string>();
    // A, B, A, B: each refresh retires the refresh token it used; the next (on the other replica) must use the new one
    for (const replica of [a, b, a, b]) {
      const t = await userToken(replica, ADELE.id);
      expect(t.status).toBe(200);
      expect(sim.identity.verify(`Bearer ${t.accessToken}`)).toMatchObject({ ok: true, principal: { kind: 'user', userId: ADELE.id } });
      seen.add(t.accessToken);
    }
    expect(seen.size).toBe(4);
    expect(sim.count('refresh_token')).toBe(before + 4);
  });
});
