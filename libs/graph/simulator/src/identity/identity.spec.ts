import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import { setupServer } from 'msw/node';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID } from '../state/types';
import { decodeJwt } from './jwt';
import { createIdentityPlatform, GRAPH_APP_ID, GRAPH_RESOURCE } from './platform';
import { REDIRECT_URI, testApp, testIdentity, testUsers } from '../testing/identity-test-tenant';

const AUTHORITY_HOST = 'https://login.microsoftonline.com';
const AUTHORITY = `${AUTHORITY_HOST}/${DEFAULT_TENANT_ID}`;
const TOKEN_URL = `${AUTHORITY}/oauth2/v2.0/token`;
const AUTHORIZE_URL = `${AUTHORITY}/oauth2/v2.0/authorize`;

const { identity, clock } = testIdentity();
const server = setupServer(...identity.handlers());

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => identity.reset());
afterAll(() => server.close());

function msal(): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, authority: AUTHORITY },
    // The clock is fake; MSAL's cache uses real time, so tokens must not look expired to it.
    system: { loggerOptions: { loggerCallback: () => undefined } },
  });
}

async function postToken(form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const pkce = (verifier = 'v'.repeat(43) + 'erifier-0123456789'): { verifier: string; challenge: string } => ({
  verifier,
  challenge: createHash('sha256').update(verifier).digest('base64url'),
});

function authorizeUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'https://graph.microsoft.com/Calendars.ReadWrite offline_access openid profile',
    state: 'st-1',
    ...params,
  });
  return `${AUTHORIZE_URL}?${q.toString()}`;
}

async function authorize(params: Record<string, string>): Promise<Response> {
  return fetch(authorizeUrl(params), { redirect: 'manual' });
}

async function codeFor(user: string, extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const res = await authorize({ login_hint: user, code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return { code: location.searchParams.get('code')!, verifier };
}

describe('identity platform: metadata', () => {
  it('advertises the request origin as issuer and endpoints', async () => {
    const res = await fetch(`${AUTHORITY}/v2.0/.well-known/openid-configuration`);
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body['issuer']).toBe(`${AUTHORITY}/v2.0`);
    expect(body['token_endpoint']).toBe(TOKEN_URL);
    expect(body['authorization_endpoint']).toBe(AUTHORIZE_URL);
    expect(body['jwks_uri']).toBe(`${AUTHORITY}/discovery/v2.0/keys`);

    const orgs = (await (await fetch(`https://localhost:4000/organizations/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(orgs['token_endpoint']).toBe('https://localhost:4000/organizations/oauth2/v2.0/token');
    expect(orgs['issuer']).toBe(`https://localhost:4000/${DEFAULT_TENANT_ID}/v2.0`);
  });

  it('rejects an unknown tenant like Microsoft (AADSTS90002)', async () => {
    const res = await fetch(`${AUTHORITY_HOST}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
  });

  it('answers instance discovery for its own host and publishes its signing key', async () => {
    const res = await fetch(`https://localhost:4000/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`https://localhost:4000/${DEFAULT_TENANT_ID}/oauth2/v2.0/authorize`)}`);
    const body = (await res.json()) as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] };
    expect(body.tenant_discovery_endpoint).toBe(`https://localhost:4000/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(body.metadata[0].aliases).toEqual(['localhost:4000']);

    const keys = (await (await fetch(`${AUTHORITY}/discovery/v2.0/keys`)).json()) as { keys: { kid: string; kty: string }[] };
    const token = identity.mintForTests({ kind: 'app' });
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0].kty).toBe('RSA');
    expect(decodeJwt(token)!.header['kid']).toBe(keys.keys[0].kid);
  });
});

describe('identity platform: client credentials', () => {
  it('issues an app-only Graph token to MSAL, with the registration roles', async () => {
    const result = await msal().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(result?.accessToken).toBeTruthy();
    const check = identity.verify(`Bearer ${result!.accessToken}`);
    expect(check).toEqual({
      ok: true,
      principal: expect.objectContaining({ kind: 'app', tenantId: DEFAULT_TENANT_ID, appId: DEFAULT_CLIENT_ID, roles: testApp.appRoles, scopes: [] }),
    });
    const claims = decodeJwt(result!.accessToken)!.payload;
    expect(claims['aud']).toBe(GRAPH_RESOURCE);
    expect(claims['exp']).toBe(Math.floor(clock.now() / 1000) + 3600);
  });

  it('accepts HTTP Basic client authentication and the Graph app id as resource', async () => {
    const basic = Buffer.from(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`).toString('base64');
    const res = await postToken({ grant_type: 'client_credentials', scope: `${GRAPH_APP_ID}/.default` }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: expect.any(String) });
  });

  it('answers errors in the identity platform shape', async () => {
    const wrongSecret = await postToken({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' }, { 'client-request-id': '0f0f0f0f-1111-4222-8333-444444444444' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215], correlation_id: '0f0f0f0f-1111-4222-8333-444444444444' });
    expect(String(wrongSecret.body['error_description'])).toMatch(/^AADSTS7000215: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: 0f0f0f0f-1111-4222-8333-444444444444\r\nTimestamp: 2026-03-02 09:00:00Z$/s);
    expect(wrongSecret.body['timestamp']).toBe('2026-03-02 09:00:00Z');

    const badScope = await postToken({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, scope: 'https://foo.microsoft.com/.default' });
    expect(badScope.status).toBe(400);
    expect(badScope.body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });

    const unknownApp = await postToken({ grant_type: 'client_credentials', client_id: '99999999-2222-3333-4444-555555555555', client_secret: 'x', scope: 'https://graph.microsoft.com/.default' });
    expect(unknownApp).toMatchObject({ status: 400, body: { error: 'unauthorized_client', error_codes: [700016] } });

    const noSecret = await postToken({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, scope: 'https://graph.microsoft.com/.default' });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000218] } });

    const grant = await postToken({ grant_type: 'password', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET });
    expect(grant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('surfaces errors to MSAL as ServerError with the AADSTS code', async () => {
    const bad = new ConfidentialClientApplication({ auth: { clientId: DEFAULT_CLIENT_ID, clientSecret: 'wrong', authority: AUTHORITY } });
    await expect(bad.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });
});

describe('identity platform: verify', () => {
  it('distinguishes missing, malformed, tampered, expired, revoked and wrong-audience tokens', async () => {
    expect(identity.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(identity.verify('')).toEqual({ ok: false, reason: 'missing' });
    expect(identity.verify('Basic abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(identity.verify('Bearer not.a.jwt!')).toEqual({ ok: false, reason: 'malformed' });

    const token = identity.mintForTests({ kind: 'user', user: 'AdeleV@contoso.onmicrosoft.com' });
    const [h, p] = token.split('.');
    const forged = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    forged['scp'] = 'Directory.ReadWrite.All';
    expect(identity.verify(`Bearer ${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${token.split('.')[2]}`)).toEqual({ ok: false, reason: 'invalid_signature' });

    const { identity: other } = testIdentity();
    expect(other.verify(`Bearer ${token}`).ok).toBe(true); // same shared test key
    const ok = identity.verify(`Bearer ${token}`);
    expect(ok).toEqual({ ok: true, principal: expect.objectContaining({ kind: 'user', userId: testUsers[0].id, scopes: testApp.delegatedScopes }) });

    expect(identity.verify(`Bearer ${identity.mintForTests({ kind: 'app', audience: 'https://management.azure.com' })}`)).toEqual({ ok: false, reason: 'wrong_audience' });

    identity.setTokenLifetime(60);
    const short = identity.mintForTests({ kind: 'app' });
    await clock.advance(59_000);
    expect(identity.verify(`Bearer ${short}`).ok).toBe(true);
    await clock.advance(1_000);
    expect(identity.verify(`Bearer ${short}`)).toEqual({ ok: false, reason: 'expired' });

    const app = identity.mintForTests({ kind: 'app' });
    expect(identity.revokeToken(app)).toBe(true);
    expect(identity.verify(`Bearer ${app}`)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('rejects a token signed by another simulator instance', () => {
    const stranger = createIdentityPlatform({ tenantId: DEFAULT_TENANT_ID, apps: () => [testApp], findUser: () => testUsers[0], listUsers: () => testUsers, clock });
    const token = stranger.mintForTests({ kind: 'app' });
    expect(identity.verify(`Bearer ${token}`)).toEqual({ ok: false, reason: 'invalid_signature' });
  });
});

describe('identity platform: authorization code', () => {
  it('signs a login_hint user in at once, and MSAL redeems the code with PKCE', async () => {
    const cca = msal();
    const crypto = new CryptoProvider();
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      scopes: ['https://graph.microsoft.com/Calendars.ReadWrite', 'https://graph.microsoft.com/User.Read'],
      redirectUri: REDIRECT_URI,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint: 'adele.vance@CONTOSO.com',
      state: 'opaque-state',
      nonce: 'nonce-123',
    });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('opaque-state');
    const code = location.searchParams.get('code')!;

    const result = await cca.acquireTokenByCode({
      code,
      codeVerifier: verifier,
      redirectUri: REDIRECT_URI,
      scopes: ['https://graph.microsoft.com/Calendars.ReadWrite', 'https://graph.microsoft.com/User.Read'],
      state: 'opaque-state',
      nonce: 'nonce-123',
    });
    expect(result.account?.localAccountId).toBe(testUsers[0].id);
    expect(result.account?.tenantId).toBe(DEFAULT_TENANT_ID);
    expect(result.account?.username).toBe(testUsers[0].userPrincipalName);
    expect(result.idTokenClaims).toMatchObject({ nonce: 'nonce-123', aud: DEFAULT_CLIENT_ID, iss: `${AUTHORITY}/v2.0` });
    const check = identity.verify(`Bearer ${result.accessToken}`);
    expect(check).toEqual({ ok: true, principal: expect.objectContaining({ kind: 'user', userId: testUsers[0].id, scopes: ['Calendars.ReadWrite', 'User.Read'] }) });
    const claims = decodeJwt(result.accessToken)!.payload;
    expect(claims).toMatchObject({ aud: GRAPH_APP_ID, upn: testUsers[0].userPrincipalName, tid: DEFAULT_TENANT_ID, appid: DEFAULT_CLIENT_ID });

    // Refresh through MSAL (refresh_token grant), then the cache holds the rotated token.
    const refreshed = await cca.acquireTokenSilent({ account: result.account!, scopes: ['https://graph.microsoft.com/Calendars.ReadWrite'], forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    expect(identity.verify(`Bearer ${refreshed.accessToken}`).ok).toBe(true);
  });

  it('returns the raw token response with client_info, id_token and a new refresh token per redemption; the redeemed one stays valid', async () => {
    const { code, verifier } = await codeFor('AlexW@contoso.onmicrosoft.com', { nonce: 'n-1' });
    const first = await postToken({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_info: '1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, scope: 'https://graph.microsoft.com/Calendars.ReadWrite openid profile' });
    expect(JSON.parse(Buffer.from(String(first.body['client_info']), 'base64url').toString())).toEqual({ uid: testUsers[1].id, utid: DEFAULT_TENANT_ID });
    const idClaims = decodeJwt(String(first.body['id_token']))!.payload;
    expect(idClaims).toMatchObject({ nonce: 'n-1', oid: testUsers[1].id, tid: DEFAULT_TENANT_ID, preferred_username: testUsers[1].userPrincipalName, name: 'Alex Wilber', aud: DEFAULT_CLIENT_ID });

    const rt1 = String(first.body['refresh_token']);
    const second = await postToken({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: rt1, scope: 'https://graph.microsoft.com/Calendars.ReadWrite offline_access' });
    expect(second.status).toBe(200);
    const rt2 = String(second.body['refresh_token']);
    expect(rt2).not.toBe(rt1);
    // as Microsoft: redeeming a refresh token does not revoke it (a retry after a lost answer works)
    const reused = await postToken({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: rt1 });
    expect(reused.status).toBe(200);
    expect(identity.verify(`Bearer ${String(reused.body['access_token'])}`).ok).toBe(true);
    const reusedAgain = await postToken({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: rt1 });
    expect(reusedAgain.status).toBe(200);

    const wider = await postToken({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: rt2, scope: 'MailboxSettings.Read' });
    expect(wider).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [65001] } });

    // Revoking the user kills both its access tokens and its refresh tokens.
    const access = String(second.body['access_token']);
    expect(identity.verify(`Bearer ${access}`).ok).toBe(true);
    identity.revokeUser(testUsers[1].id);
    expect(identity.verify(`Bearer ${access}`)).toEqual({ ok: false, reason: 'revoked' });
    const revoked = await postToken({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: rt2 });
    expect(revoked).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [50173] } });
    // every refresh token of the user goes, the older ones still unexpired included
    const revokedOld = await postToken({ grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, refresh_token: rt1 });
    expect(revokedOld).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [50173] } });

    // A token issued after the revocation works.
    const again = await codeFor('AlexW@contoso.onmicrosoft.com');
    const fresh = await postToken({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, code: again.code, code_verifier: again.verifier, redirect_uri: REDIRECT_URI });
    expect(identity.verify(`Bearer ${String(fresh.body['access_token'])}`).ok).toBe(true);
  });

  it('redeems a code once, within ten minutes, with the matching verifier and redirect URI', async () => {
    const base = { grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, redirect_uri: REDIRECT_URI };
    const a = await codeFor(testUsers[0].userPrincipalName);
    expect(await postToken({ ...base, code: a.code, code_verifier: 'x'.repeat(43) })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [501481] } });
    expect(await postToken({ ...base, code: a.code, code_verifier: a.verifier, redirect_uri: 'http://localhost:9999/cb' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await postToken({ ...base, code: a.code, code_verifier: a.verifier })).status).toBe(200);
    expect(await postToken({ ...base, code: a.code, code_verifier: a.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [54005] } });

    const b = await codeFor(testUsers[0].userPrincipalName);
    await clock.advance(10 * 60 * 1000);
    expect(await postToken({ ...base, code: b.code, code_verifier: b.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [70008] } });
    expect(await postToken({ ...base, code: 'made-up', code_verifier: b.verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [70000] } });
  });

  it('omits the refresh token without offline_access and the id token without openid', async () => {
    const { code, verifier } = await codeFor(testUsers[0].id, { scope: 'Calendars.ReadWrite User.Read' });
    const res = await postToken({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
    expect(res.status).toBe(200);
    expect(res.body['refresh_token']).toBeUndefined();
    expect(res.body['id_token']).toBeUndefined();
    expect(res.body['scope']).toBe('Calendars.ReadWrite User.Read');
    expect(decodeJwt(String(res.body['access_token']))!.payload['scp']).toBe('Calendars.ReadWrite User.Read');
  });

  it('grants every consented delegated permission for .default', async () => {
    const { code, verifier } = await codeFor(testUsers[0].id, { scope: 'https://graph.microsoft.com/.default offline_access openid' });
    const res = await postToken({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, code, code_verifier: verifier, redirect_uri: REDIRECT_URI });
    expect(res.body['scope']).toBe('Calendars.ReadWrite User.Read MailboxSettings.Read openid');
    expect(decodeJwt(String(res.body['access_token']))!.payload['scp']).toBe('Calendars.ReadWrite User.Read MailboxSettings.Read');
    expect(res.body['refresh_token']).toEqual(expect.any(String));
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI or client', async () => {
    const res = await authorize({ redirect_uri: 'https://evil.example/cb', login_hint: testUsers[0].userPrincipalName });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('AADSTS50011');
    const unknown = await authorize({ client_id: '99999999-2222-3333-4444-555555555555' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('AADSTS700016');
  });

  it('redirects with error, AADSTS description and state for bad requests, consent refusal and prompt=none', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ scope: 'https://foo.microsoft.com/mail.read' }, 'invalid_scope', 'AADSTS70011'],
      [{ scope: 'Sites.FullControl.All' }, 'invalid_scope', 'AADSTS70011'],
      [{ response_type: 'token' }, 'unsupported_response_type', 'AADSTS70005'],
      [{ code_challenge: pkce().challenge, code_challenge_method: 'S512' }, 'invalid_request', 'AADSTS501491'],
      [{ login_hint: testUsers[0].userPrincipalName, sim_deny: '1' }, 'access_denied', 'AADSTS65004'],
      [{ prompt: 'none' }, 'login_required', 'AADSTS50058'],
    ];
    for (const [params, error, code] of cases) {
      const res = await authorize(params);
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toMatch(new RegExp(`^${code}: `));
      expect(location.searchParams.get('state')).toBe('st-1');
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('without a known login_hint shows a picker whose links complete the sign-in or cancel it', async () => {
    const res = await authorize({ login_hint: 'nobody@contoso.com' });
    expect(res.status).toBe(200);
    const html = await res.text();
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#38;/g, '&'));
    expect(links).toHaveLength(testUsers.length + 1);
    const pick = await fetch(new URL(links[1], AUTHORITY_HOST), { redirect: 'manual' });
    expect(pick.status).toBe(302);
    const location = new URL(pick.headers.get('location')!);
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('st-1');
    const cancel = await fetch(new URL(links[links.length - 1], AUTHORITY_HOST), { redirect: 'manual' });
    expect(new URL(cancel.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('supports response_mode=form_post', async () => {
    const res = await authorize({ login_hint: testUsers[0].userPrincipalName, response_mode: 'form_post' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`action="${REDIRECT_URI}"`);
    expect(html).toMatch(/name="code" value="0\.A[\w-]+"/);
    expect(html).toContain('name="state" value="st-1"');
  });
});

describe('identity platform: determinism', () => {
  it('derives codes from the injected random source', async () => {
    const seq = (): (() => number) => {
      let x = 42;
      return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    };
    const a = testIdentity({ random: seq() }).identity;
    const b = testIdentity({ random: seq() }).identity;
    const mint = (i: typeof a): unknown => decodeJwt(i.mintForTests({ kind: 'app' }))!.payload['uti'];
    expect(mint(a)).toBe(mint(b));
  });
});
