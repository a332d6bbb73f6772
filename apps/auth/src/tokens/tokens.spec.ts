import { INTERNAL_AUTH, PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { UserResolver } from '../directory/user-resolver.service';
import { TokenCacheRepository } from '../store/token-cache.repository';
import { TokenStore } from '../store/token-store.service';
import { UserCachePlugin } from '../store/user-cache.plugin';
import { DelegatedTokenService } from './delegated-token.service';
import { ADELE, ALEX, type AuthRig, authSuite, connectRoundTrip, MEGAN, startAuth } from '../testing/auth-test-kit';

async function userToken(auth: AuthRig, user: string, forceRefresh?: boolean) {
  const qs = forceRefresh === undefined ? '' : `?forceRefresh=${forceRefresh}`;
  const res = await fetch(`${auth.url}/api/internal/users/${encodeURIComponent(user)}/token${qs}`, { headers: INTERNAL_AUTH });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe.each(testDatabaseKinds())('tokens (%s)', (kind) => {
  const rig = authSuite(kind);

  afterEach(() => rig.sim.identity.setTokenLifetime(3600));

  it('20 concurrent app-token requests cause exactly one token call, then the cache answers', async () => {
    const before = rig.sim.count('client_credentials');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${rig.auth.url}/api/internal/tokens/app`, { headers: INTERNAL_AUTH }).then(async (r) => ({ status: r.status, body: (await r.json()) as { accessToken: string; expiresOn: string } }))),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.body.accessToken)).size).toBe(1);
    expect(rig.sim.count('client_credentials')).toBe(before + 1);
    const token = answers[0].body;
    expect(rig.sim.identity.verify(`Bearer ${token.accessToken}`)).toMatchObject({ ok: true, principal: { kind: 'app' } });
    expect(Date.parse(token.expiresOn)).toBeGreaterThan(Date.now() + 50 * 60 * 1000);

    await fetch(`${rig.auth.url}/api/internal/tokens/app`, { headers: INTERNAL_AUTH });
    expect(rig.sim.count('client_credentials')).toBe(before + 1);
    // Shortly before expiry it is renewed, once.
    await rig.auth.clock.advance(56 * 60 * 1000);
    await Promise.all([1, 2, 3].map(() => fetch(`${rig.auth.url}/api/internal/tokens/app`, { headers: INTERNAL_AUTH })));
    expect(rig.sim.count('client_credentials')).toBe(before + 2);
  });

  it('the app token asks for {GRAPH_BASE_URL}/.default and needs the internal key', async () => {
    expect((await fetch(`${rig.auth.url}/api/internal/tokens/app`)).status).toBe(401);
    expect((await fetch(`${rig.auth.url}/api/internal/tokens/app`, { headers: PLATFORM_AUTH })).status).toBe(401);
  });

  it('serves the cached delegated token, refreshes it when asked', async () => {
    await connectRoundTrip(rig.auth.url, ADELE.id);
    const refreshes = rig.sim.count('refresh_token');
    const first = await userToken(rig.auth, ADELE.userPrincipalName);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ userId: ADELE.id, userPrincipalName: ADELE.userPrincipalName });
    expect(rig.sim.identity.verify(`Bearer ${first.body['accessToken']}`)).toMatchObject({ ok: true, principal: { kind: 'user', userId: ADELE.id } });
    expect(rig.sim.count('refresh_token')).toBe(refreshes);

    const forced = await userToken(rig.auth, ADELE.id, true);
    expect(forced.status).toBe(200);
    expect(forced.body['accessToken']).not.toBe(first.body['accessToken']);
    expect(rig.sim.count('refresh_token')).toBe(refreshes + 1);
    // The rotated refresh token was stored: another refresh works (the simulator retires used ones).
    expect((await userToken(rig.auth, ADELE.id, true)).status).toBe(200);
    expect(rig.sim.count('refresh_token')).toBe(refreshes + 2);
  });

  it('refreshes an expired access token silently', async () => {
    // Inside MSAL's 5-minute renewal window: every access token is due at once.
    expect((await rig.sim.sim.admin('tokens/lifetime', { method: 'PUT', body: { seconds: 60 } })).status).toBe(200);
    await connectRoundTrip(rig.auth.url, ALEX.id);
    const refreshes = rig.sim.count('refresh_token');
    const a = await userToken(rig.auth, ALEX.id);
    expect(a.status).toBe(200);
    expect(rig.sim.count('refresh_token')).toBe(refreshes + 1);
    const b = await userToken(rig.auth, ALEX.id);
    expect(b.status).toBe(200);
    expect(b.body['accessToken']).not.toBe(a.body['accessToken']);
    expect(rig.sim.count('refresh_token')).toBe(refreshes + 2);
    expect(rig.sim.identity.verify(`Bearer ${b.body['accessToken']}`).ok).toBe(true);
  });

  it('concurrent requests for one user share one refresh', async () => {
    await connectRoundTrip(rig.auth.url, ADELE.id);
    const refreshes = rig.sim.count('refresh_token');
    const user = await rig.auth.app.app.get(UserResolver).resolve(ADELE.id);
    const service = rig.auth.app.app.get(DelegatedTokenService);
    const answers = await Promise.all(Array.from({ length: 5 }, () => service.token(user, true)));
    expect(new Set(answers.map((a) => a.accessToken)).size).toBe(1);
    expect(rig.sim.count('refresh_token')).toBe(refreshes + 1);
    // Over HTTP, overlapping refreshes never lose the rotated refresh token.
    const overHttp = await Promise.all(Array.from({ length: 5 }, () => userToken(rig.auth, ADELE.id, true)));
    expect(overHttp.every((a) => a.status === 200)).toBe(true);
    expect((await userToken(rig.auth, ADELE.id, true)).status).toBe(200);
  });

  it('a revoked refresh token gives 409 CONSENT_REQUIRED with connectUrl and disconnects the user', async () => {
    await connectRoundTrip(rig.auth.url, MEGAN.id);
    expect((await rig.sim.sim.admin('tokens/revoke', { method: 'POST', body: { user: MEGAN.userPrincipalName } })).status).toBe(200);
    const r = await userToken(rig.auth, MEGAN.id, true);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      statusCode: 409,
      code: 'CONSENT_REQUIRED',
      connectUrl: `http://localhost:3001/api/auth/connect?user=${encodeURIComponent(MEGAN.userPrincipalName)}`,
    });
    expect(r.body['message']).toMatch(/invalid_grant/);
    const conn = await fetch(`${rig.auth.url}/api/auth/users/${MEGAN.id}/connection`, { headers: PLATFORM_AUTH });
    expect(await conn.json()).toEqual({ connected: false, scopes: [], expiresAt: null });
    const record = await rig.auth.app.app.get(TokenStore).findById(MEGAN.id);
    expect(record).toMatchObject({ connected: false, cacheData: null, disconnectedReason: expect.stringMatching(/invalid_grant/) });
    // Still 409 without another trip to the identity platform; reconnecting works again.
    const calls = rig.sim.tokenCalls.length;
    expect((await userToken(rig.auth, MEGAN.id)).status).toBe(409);
    expect(rig.sim.tokenCalls.length).toBe(calls);
    await connectRoundTrip(rig.auth.url, MEGAN.id);
    expect((await userToken(rig.auth, MEGAN.id, true)).status).toBe(200);
  });

  it('never connected: 409 CONSENT_REQUIRED; unknown user: 404', async () => {
    const auth2 = await startAuth(kind);
    try {
      const r = await userToken(auth2, ALEX.userPrincipalName);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'CONSENT_REQUIRED', connectUrl: expect.stringContaining('/api/auth/connect?user=AlexW%40contoso.onmicrosoft.com') });
      expect((await userToken(auth2, 'ghost@contoso.onmicrosoft.com')).status).toBe(404);
      expect((await userToken(auth2, ALEX.id, 'maybe' as unknown as boolean)).status).toBe(400);
      const conn = await fetch(`${auth2.url}/api/auth/users/ghost@contoso.onmicrosoft.com/connection`, { headers: PLATFORM_AUTH });
      expect(conn.status).toBe(404);
    } finally {
      await auth2.close();
    }
  });

  it('DELETE connection forgets the tokens (204)', async () => {
    await connectRoundTrip(rig.auth.url, ALEX.id);
    expect((await userToken(rig.auth, ALEX.id)).status).toBe(200);
    const del = await fetch(`${rig.auth.url}/api/auth/users/${ALEX.userPrincipalName}/connection`, { method: 'DELETE', headers: PLATFORM_AUTH });
    expect(del.status).toBe(204);
    expect((await userToken(rig.auth, ALEX.id)).status).toBe(409);
    expect(await (await fetch(`${rig.auth.url}/api/auth/users/${ALEX.id}/connection`, { headers: PLATFORM_AUTH })).json()).toMatchObject({ connected: false });
  });

  it('a stale write never overwrites a newer record (optimistic version)', async () => {
    await connectRoundTrip(rig.auth.url, ADELE.id);
    const store = rig.auth.app.app.get(TokenStore);
    const loaded = (await store.load(ADELE.id))!;
    const stale = loaded.row.version;
    expect((await store.save(ADELE.id, loaded.cache!, stale)).saved).toBe(true);
    expect(await store.save(ADELE.id, '{"stale":true}', stale)).toEqual({ saved: false, reason: 'conflict' });
    expect((await store.load(ADELE.id))!.cache).toBe(loaded.cache);
    expect(await rig.auth.app.app.get(TokenCacheRepository).update({ userId: 'nobody', cacheData: 'x', keyId: 'k', connected: true, scopes: [], expiresAt: null, now: new Date().toISOString() }, 1)).toEqual({ saved: false, reason: 'missing' });
    // The plugin records the conflict instead of clobbering.
    const plugin = new UserCachePlugin(store, ADELE.id);
    plugin.version = stale;
    await plugin.afterCacheAccess({ cacheHasChanged: true, tokenCache: { serialize: () => '{}' } } as never);
    expect(plugin.conflicted).toBe(true);
    expect((await userToken(rig.auth, ADELE.id, true)).status).toBe(200);
  });
});
