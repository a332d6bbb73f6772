import { PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { ADELE, ALEX, authSuite, CLIENT_SECRET, connectRoundTrip, get } from '../testing/auth-test-kit';
import { TokenStore } from '../store/token-store.service';

describe.each(testDatabaseKinds())('connect (%s)', (kind) => {
  const rig = authSuite(kind);


  it('connects a user by following the redirects (connect → authorize with login_hint → callback)', async () => {
    const before = rig.sim.count('authorization_code');
    const trip = await connectRoundTrip(rig.auth.url, ADELE.id, { returnUrl: 'http://localhost:3000/settings?tab=calendar' });

    const authorize = trip.authorizeUrl;
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${rig.auth.config.AUTHORITY_HOST}/${rig.auth.config.TENANT_ID}/oauth2/v2.0/authorize`);
    const q = authorize.searchParams;
    expect(q.get('login_hint')).toBe(ADELE.userPrincipalName);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('redirect_uri')).toBe('http://localhost:3001/app/api/auth/serviceAction/callback');
    expect(q.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['Calendars.ReadWrite', 'offline_access']));

    expect(trip.callback.status).toBe(302);
    const back = new URL(trip.callback.location!);
    expect(back.origin + back.pathname).toBe('http://localhost:3000/settings');
    expect(back.searchParams.get('tab')).toBe('calendar');
    expect(back.searchParams.get('connected')).toBe('1');
    expect(rig.sim.count('authorization_code')).toBe(before + 1);

    const conn = await fetch(`${rig.auth.url}/api/auth/users/${encodeURIComponent(ADELE.userPrincipalName)}/connection`, { headers: PLATFORM_AUTH });
    expect(conn.status).toBe(200);
    const body = (await conn.json()) as { connected: boolean; scopes: string[]; expiresAt: string };
    expect(body.connected).toBe(true);
    expect(body.scopes).toContain('Calendars.ReadWrite');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('shows a "connected" page when no returnUrl was given', async () => {
    const trip = await connectRoundTrip(rig.auth.url, ALEX.userPrincipalName);
    expect(trip.callback.status).toBe(200);
    expect(trip.callback.text).toMatch(/connected/i);
  });

  it('refuses a replayed state', async () => {
    const trip = await connectRoundTrip(rig.auth.url, ADELE.id);
    expect(trip.callback.status).toBe(200);
    const replay = await get(trip.callbackUrl, { Accept: 'application/json' });
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.text)).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/already used/) });
    const html = await get(trip.callbackUrl);
    expect(html.status).toBe(400);
    expect(html.text).toMatch(/already used/);
  });

  it('refuses an unknown or missing state', async () => {
    const unknown = await get(`${rig.auth.url}/app/api/auth/serviceAction/callback?code=abc&state=nope`);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/state: unknown/);
    const missing = await get(`${rig.auth.url}/app/api/auth/serviceAction/callback?code=abc`);
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/state: missing/);
  });

  it('refuses an expired state (10 minutes)', async () => {
    const connect = await get(`${rig.auth.url}/api/auth/connect?user=${ADELE.id}`);
    const authorize = await get(connect.location!);
    await rig.auth.clock.advance(10 * 60 * 1000 + 1);
    const cb = await get(`${rig.auth.url}${new URL(authorize.location!).pathname}${new URL(authorize.location!).search}`);
    expect(cb.status).toBe(400);
    expect(cb.text).toMatch(/expired/);
  });

  it('refuses an account other than the one who started the connect, and stores nothing', async () => {
    const codes = rig.sim.count('authorization_code');
    const trip = await connectRoundTrip(rig.auth.url, ALEX.id, {
      alterAuthorize: (u) => u.searchParams.set('login_hint', 'MeganB@contoso.onmicrosoft.com'),
      accept: 'application/json',
    });
    expect(trip.callback.status).toBe(403);
    expect(JSON.parse(trip.callback.text)).toMatchObject({ code: 'ACCOUNT_MISMATCH', message: expect.stringMatching(/MeganB@contoso.onmicrosoft.com.*AlexW@contoso.onmicrosoft.com/) });
    expect(rig.sim.count('authorization_code')).toBe(codes + 1);
    const megan = await fetch(`${rig.auth.url}/api/auth/users/MeganB@contoso.onmicrosoft.com/connection`, { headers: PLATFORM_AUTH });
    expect(await megan.json()).toEqual({ connected: false, scopes: [], expiresAt: null });
    expect(await rig.auth.app.app.get(TokenStore).findByUpn('MeganB@contoso.onmicrosoft.com')).toEqual([]);
  });

  it('shows the authorize error (access_denied) clearly', async () => {
    const trip = await connectRoundTrip(rig.auth.url, ADELE.id, { alterAuthorize: (u) => u.searchParams.set('sim_deny', '1') });
    expect(trip.callback.status).toBe(400);
    expect(trip.callback.text).toMatch(/access_denied/);
    expect(trip.callback.text).toMatch(/CONSENT_DENIED/);
  });

  it('400 VALIDATION_FAILED naming returnUrl outside the allow-list (no open redirect)', async () => {
    for (const returnUrl of ['https://evil.example.com/', 'http://localhost:3000.evil.com/', 'https://workspace.example.com/apps/calendarX', 'javascript:alert(1)', '/relative']) {
      const r = await get(`${rig.auth.url}/api/auth/connect?user=${ADELE.id}&returnUrl=${encodeURIComponent(returnUrl)}`);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringMatching(/returnUrl/) });
    }
    const ok = await get(`${rig.auth.url}/api/auth/connect?user=${ADELE.id}&returnUrl=${encodeURIComponent('https://workspace.example.com/apps/calendar/x')}`);
    expect(ok.status).toBe(302);
  });

  it('404 NOT_FOUND for an unknown user, 400 without one', async () => {
    const r = await get(`${rig.auth.url}/api/auth/connect?user=nobody@contoso.onmicrosoft.com`);
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'NOT_FOUND' });
    const missing = await get(`${rig.auth.url}/api/auth/connect`);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).message).toMatch(/user/);
  });

  it('connect-url answers the authorize URL with the platform key only', async () => {
    expect((await get(`${rig.auth.url}/api/auth/connect-url?user=${ADELE.id}`)).status).toBe(401);
    const r = await get(`${rig.auth.url}/api/auth/connect-url?user=${ADELE.id}`, PLATFORM_AUTH);
    expect(r.status).toBe(200);
    expect(new URL(JSON.parse(r.text).url).searchParams.get('login_hint')).toBe(ADELE.userPrincipalName);
  });

  it('logs no token, code or secret during a round trip', async () => {
    rig.auth.logs.length = 0;
    const trip = await connectRoundTrip(rig.auth.url, ADELE.id);
    expect(trip.callback.status).toBe(200);
    const token = await fetch(`${rig.auth.url}/api/internal/users/${ADELE.id}/token?forceRefresh=true`, { headers: { Authorization: 'Bearer dev-internal-key' } });
    const { accessToken } = (await token.json()) as { accessToken: string };
    const loaded = await rig.auth.app.app.get(TokenStore).load(ADELE.id);
    const cache = JSON.parse(loaded!.cache!) as { RefreshToken: Record<string, { secret: string }>; IdToken: Record<string, { secret: string }> };
    const refreshToken = Object.values(cache.RefreshToken)[0].secret;
    const idToken = Object.values(cache.IdToken)[0].secret;
    const state = trip.authorizeUrl.searchParams.get('state')!;
    const text = rig.auth.logs.join('');
    expect(text).toContain('connected');
    for (const secret of [accessToken, accessToken.split('.')[2], refreshToken, idToken.split('.')[2], trip.code!, state, CLIENT_SECRET, rig.auth.config.TOKEN_ENCRYPTION_KEY]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(text).not.toContain(secret);
    }
  });
});
