import type { Clock } from '@ocb/clock';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { SimAppRegistration, SimPrincipal, SimUser, TokenCheck } from '../state/types';
import { aadErrorPage, aadErrorResponse, aadTimestamp, escapeHtml, noStoreHeaders, type AadErrorContext } from './errors';
import { decodeJwt, generateSigningKey, publicJwk, signJwt, verifyJwtSignature, type JwtPayload, type SigningKey } from './jwt';

/** Graph's resource URI and its well-known application id (both appear as `aud` of Graph tokens). */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60 * 1000;
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3600 * 1000;

const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export interface IdentityPlatformDeps {
  tenantId: string;
  apps: () => SimAppRegistration[];
  findUser: (idOrUpn: string) => SimUser | undefined;
  listUsers: () => SimUser[];
  clock: Clock;
  tokenLifetimeSeconds?: number;
  /** Source of ids, codes and refresh tokens; crypto randomness when omitted. */
  random?: () => number;
  /** Reuse a signing key (e.g. across simulator instances in tests); one is generated otherwise. */
  signingKey?: SigningKey;
}

export interface MintOptions {
  kind: 'app' | 'user';
  /** Delegated tokens: the user's id or UPN. */
  user?: string;
  clientId?: string;
  /** Delegated scopes (`scp`); defaults to the app registration's delegated scopes. */
  scopes?: string[];
  /** Application roles (`roles`); defaults to the app registration's app roles. */
  roles?: string[];
  lifetimeSeconds?: number;
  audience?: string;
  /** Issue time (ms); defaults to the clock's now. */
  issuedAt?: number;
}

export interface IdentityPlatform {
  readonly tenantId: string;
  /** msw handlers for the identity endpoints, on any origin. */
  handlers(): HttpHandler[];
  /** Checks an `Authorization` header value carrying a Graph access token. */
  verify(authorizationHeader: string | null | undefined): TokenCheck;
  /** Invalidates every access and refresh token issued to the user so far (and pending codes). */
  revokeUser(userId: string): void;
  /** Invalidates one access token or refresh token; false when unknown. */
  revokeToken(token: string): boolean;
  setTokenLifetime(seconds: number): void;
  tokenLifetime(): number;
  /** Forgets codes, refresh tokens and revocations; restores the configured token lifetime. */
  reset(): void;
  /** Issues a signed Graph access token directly, for tests. */
  mintForTests(options: MintOptions): string;
  /** The JWKS served at /discovery/v2.0/keys. */
  jwks(): { keys: ReturnType<typeof publicJwk>[] };
}

interface Grant {
  /** Delegated Graph permissions, canonical names (as registered). */
  graphScopes: string[];
  /** Scope string echoed in the token response (requested spelling, OIDC scopes but offline_access). */
  responseScope: string;
  openid: boolean;
  email: boolean;
  offlineAccess: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  userId: string;
  grant: Grant;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

interface RefreshRecord {
  clientId: string;
  userId: string;
  grant: Grant;
  expiresAt: number;
}

type ScopeParse = { ok: true; grant: Grant } | { ok: false; scope: string };

interface TokenParams {
  get(name: string): string | null;
}

export function createIdentityPlatform(deps: IdentityPlatformDeps): IdentityPlatform {
  const { clock } = deps;
  const configuredLifetime = deps.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  let lifetimeSeconds = configuredLifetime;
  let key: SigningKey | undefined = deps.signingKey;
  const signingKey = (): SigningKey => (key ??= generateSigningKey());

  const codes = new Map<string, CodeRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  /** Refresh tokens replaced by rotation or revoked: kept to answer with the right error. */
  const retiredRefreshTokens = new Map<string, 'revoked'>();
  const userTokenIds = new Map<string, Set<string>>();
  const revokedTokenIds = new Set<string>();
  /** Tokens whose signature has been checked, with their payloads (bounded). */
  const verifiedSignatures = new Map<string, JwtPayload>();

  const random = deps.random;
  const randomByte = random ? () => Math.floor(random() * 256) & 0xff : undefined;
  const bytes = (n: number): Buffer => {
    if (!randomByte) return randomBytes(n);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = randomByte();
    return b;
  };
  const newId = (): string => {
    if (!randomByte) return randomUUID();
    const b = bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const errCtx = (): AadErrorContext => ({ now: clock.now(), newId });

  const tenantAccepted = (tenant: string | readonly string[] | undefined): boolean => {
    const t = String(tenant ?? '').toLowerCase();
    return t === deps.tenantId.toLowerCase() || t === 'organizations' || t === 'common';
  };
  const findApp = (clientId: string | null): SimAppRegistration | undefined =>
    clientId ? deps.apps().find((a) => a.clientId.toLowerCase() === clientId.toLowerCase()) : undefined;
  const resolveUser = (hint: string | null): SimUser | undefined => {
    if (!hint) return undefined;
    const direct = deps.findUser(hint);
    if (direct) return direct;
    const h = hint.toLowerCase();
    return deps
      .listUsers()
      .find((u) => u.id.toLowerCase() === h || u.userPrincipalName.toLowerCase() === h || u.mail?.toLowerCase() === h);
  };
  const servicePrincipalId = (clientId: string): string => {
    const h = createHash('sha256').update(`sp:${deps.tenantId}:${clientId}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };

  // ---------- scopes ----------

  const parseDelegatedScopes = (app: SimAppRegistration, scopeParam: string, origin: string): ScopeParse => {
    const requested = scopeParam.split(/\s+/).filter(Boolean);
    const graphPrefixes = [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`, `${origin.toLowerCase()}/`];
    const graphScopes: string[] = [];
    const echoed: string[] = [];
    const grant: Grant = { graphScopes, responseScope: '', openid: false, email: false, offlineAccess: false };
    for (const scope of requested) {
      const lower = scope.toLowerCase();
      if (OIDC_SCOPES.includes(lower)) {
        if (lower === 'openid') grant.openid = true;
        if (lower === 'email') grant.email = true;
        if (lower === 'offline_access') grant.offlineAccess = true;
        else echoed.push(lower);
        continue;
      }
      const prefix = graphPrefixes.find((p) => lower.startsWith(p));
      if (!prefix && lower.includes('/')) return { ok: false, scope };
      const name = prefix ? scope.slice(prefix.length) : scope;
      if (name === '.default') {
        // `.default`: every delegated permission consented for the app (OIDC ones stay apart).
        for (const s of app.delegatedScopes) {
          if (OIDC_SCOPES.includes(s.toLowerCase()) || graphScopes.includes(s)) continue;
          graphScopes.push(s);
          echoed.push(s);
        }
        continue;
      }
      const canonical = app.delegatedScopes.find((s) => s.toLowerCase() === name.toLowerCase());
      if (!canonical) return { ok: false, scope };
      if (!graphScopes.includes(canonical)) graphScopes.push(canonical);
      echoed.push(scope);
    }
    grant.responseScope = [...new Set(echoed)].join(' ');
    return { ok: true, grant };
  };

  const appOnlyScopeValid = (scopeParam: string, origin: string): boolean => {
    const scopes = scopeParam.split(/\s+/).filter(Boolean);
    if (scopes.length !== 1) return false;
    const s = scopes[0].toLowerCase();
    return [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID, origin.toLowerCase()].some((r) => s === `${r.replace(/\/$/, '')}/.default`);
  };

  // ---------- tokens ----------

  const issuerV1 = `https://sts.windows.net/${deps.tenantId}/`;

  const trackUserToken = (userId: string, tokenId: string): void => {
    let set = userTokenIds.get(userId);
    if (!set) userTokenIds.set(userId, (set = new Set()));
    set.add(tokenId);
  };

  const appAccessToken = (app: SimAppRegistration, opts: { roles?: string[]; lifetime?: number; audience?: string; issuedAt?: number } = {}): { token: string; lifetime: number } => {
    const nowS = Math.floor((opts.issuedAt ?? clock.now()) / 1000);
    const lifetime = opts.lifetime ?? lifetimeSeconds;
    const oid = servicePrincipalId(app.clientId);
    const payload: JwtPayload = {
      aud: opts.audience ?? GRAPH_RESOURCE,
      iss: issuerV1,
      iat: nowS,
      nbf: nowS,
      exp: nowS + lifetime,
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: '1',
      idp: issuerV1,
      idtyp: 'app',
      oid,
      roles: opts.roles ?? app.appRoles,
      sub: oid,
      tid: deps.tenantId,
      uti: newId(),
      ver: '1.0',
    };
    return { token: signJwt(signingKey(), payload), lifetime };
  };

  const userAccessToken = (app: SimAppRegistration, user: SimUser, scopes: string[], opts: { lifetime?: number; audience?: string; issuedAt?: number } = {}): { token: string; lifetime: number } => {
    const nowS = Math.floor((opts.issuedAt ?? clock.now()) / 1000);
    const lifetime = opts.lifetime ?? lifetimeSeconds;
    const uti = newId();
    const payload: JwtPayload = {
      aud: opts.audience ?? GRAPH_APP_ID,
      iss: issuerV1,
      iat: nowS,
      nbf: nowS,
      exp: nowS + lifetime,
      acct: 0,
      amr: ['pwd'],
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: '1',
      family_name: user.surname,
      given_name: user.givenName,
      idtyp: 'user',
      name: user.displayName,
      oid: user.id,
      scp: scopes.join(' '),
      sub: pairwiseSub(user.id, app.clientId),
      tid: deps.tenantId,
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      preferred_username: user.userPrincipalName,
      uti,
      ver: '1.0',
    };
    trackUserToken(user.id, uti);
    return { token: signJwt(signingKey(), payload), lifetime };
  };

  const idToken = (origin: string, app: SimAppRegistration, user: SimUser, grant: Grant, nonce: string | undefined): string => {
    const nowS = Math.floor(clock.now() / 1000);
    const payload: JwtPayload = {
      ver: '2.0',
      iss: `${origin}/${deps.tenantId}/v2.0`,
      sub: pairwiseSub(user.id, app.clientId),
      aud: app.clientId,
      exp: nowS + lifetimeSeconds,
      iat: nowS,
      nbf: nowS,
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      oid: user.id,
      tid: deps.tenantId,
      ...(grant.email && user.mail ? { email: user.mail } : {}),
      ...(nonce ? { nonce } : {}),
      uti: newId(),
    };
    return signJwt(signingKey(), payload);
  };

  const newRefreshToken = (record: RefreshRecord): string => {
    const token = `1.A${bytes(48).toString('base64url')}`;
    refreshTokens.set(token, record);
    return token;
  };

  const delegatedTokenResponse = (
    origin: string,
    app: SimAppRegistration,
    user: SimUser,
    grant: Grant,
    nonce: string | undefined,
    requestedClientInfo: boolean,
  ): Response => {
    const access = userAccessToken(app, user, grant.graphScopes.length ? grant.graphScopes : ['openid']);
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: grant.responseScope,
      expires_in: access.lifetime,
      ext_expires_in: access.lifetime,
      access_token: access.token,
    };
    if (grant.offlineAccess) {
      body['refresh_token'] = newRefreshToken({
        clientId: app.clientId,
        userId: user.id,
        grant,
        expiresAt: clock.now() + REFRESH_TOKEN_LIFETIME_MS,
      });
      body['refresh_token_expires_in'] = Math.floor(REFRESH_TOKEN_LIFETIME_MS / 1000);
    }
    if (grant.openid) body['id_token'] = idToken(origin, app, user, grant, nonce);
    if (requestedClientInfo || grant.openid) {
      body['client_info'] = Buffer.from(JSON.stringify({ uid: user.id, utid: deps.tenantId })).toString('base64url');
    }
    return HttpResponse.json(body, { headers: { ...noStoreHeaders, 'x-ms-request-id': newId() } });
  };

  // ---------- endpoints ----------

  const openidConfiguration = (origin: string, tenant: string): Record<string, unknown> => {
    const base = `${origin}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${origin}/${tenantAcceptedAsId(tenant)}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'WW',
      cloud_instance_name: new URL(origin).hostname,
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(origin).host,
      rbac_url: 'https://pas.windows.net',
    };
  };
  // Microsoft answers `{tenantid}` in the issuer of the multi-tenant metadata; MSAL compares
  // scheme and host only, so the simulator's own tenant id is given for every accepted tenant.
  const tenantAcceptedAsId = (_tenant: string): string => deps.tenantId;

  const instanceDiscovery = (request: Request): Response => {
    const url = new URL(request.url);
    const authEndpoint = url.searchParams.get('authorization_endpoint');
    let tenant = deps.tenantId;
    if (authEndpoint) {
      try {
        tenant = new URL(authEndpoint).pathname.split('/').filter(Boolean)[0] ?? tenant;
      } catch {
        // keep the default tenant
      }
    }
    const host = url.host;
    const publicCloud = ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'];
    const first = publicCloud.includes(host)
      ? { preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: publicCloud }
      : { preferred_network: host, preferred_cache: host, aliases: [host] };
    return HttpResponse.json({
      tenant_discovery_endpoint: `${url.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        first,
        { preferred_network: 'login.partner.microsoftonline.cn', preferred_cache: 'login.partner.microsoftonline.cn', aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'] },
        { preferred_network: 'login.microsoftonline.de', preferred_cache: 'login.microsoftonline.de', aliases: ['login.microsoftonline.de'] },
        { preferred_network: 'login.microsoftonline.us', preferred_cache: 'login.microsoftonline.us', aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'] },
        { preferred_network: 'login-us.microsoftonline.com', preferred_cache: 'login-us.microsoftonline.com', aliases: ['login-us.microsoftonline.com'] },
      ],
    });
  };

  const invalidTenant = (tenant: string): Response =>
    HttpResponse.json(
      {
        error: 'invalid_tenant',
        error_description: aadErrorBodyDescription(90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
        error_codes: [90002],
      },
      { status: 400 },
    );
  const aadErrorBodyDescription = (code: number, message: string): string =>
    `AADSTS${code}: ${message}\r\nTrace ID: ${newId()}\r\nCorrelation ID: ${newId()}\r\nTimestamp: ${aadTimestamp(clock.now())}`;

  // ----- /authorize -----

  const redirectWith = (redirectUri: string, responseMode: string, params: Record<string, string | undefined>): Response => {
    const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
    if (responseMode === 'form_post') {
      const inputs = entries.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      const html = `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
      return new HttpResponse(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...noStoreHeaders } });
    }
    const qs = new URLSearchParams(entries).toString();
    const location = responseMode === 'fragment' ? `${redirectUri}#${qs}` : `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${qs}`;
    return new HttpResponse(null, { status: 302, headers: { location, ...noStoreHeaders } });
  };

  const authorize = (request: Request, tenant: string): Response => {
    const url = new URL(request.url);
    const q = url.searchParams;
    const ctx = errCtx();
    if (!tenantAccepted(tenant)) return aadErrorPage(ctx, 400, 90002, `Tenant '${tenant}' not found.`);
    const clientId = q.get('client_id');
    const app = findApp(clientId);
    if (!clientId) return aadErrorPage(ctx, 400, 900144, "The request body must contain the following parameter: 'client_id'.");
    if (!app) return aadErrorPage(ctx, 400, 700016, `Application with identifier '${clientId}' was not found in the directory '${deps.tenantId}'.`);
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
      return aadErrorPage(ctx, 400, 50011, `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`);
    }
    const state = q.get('state') ?? undefined;
    const responseMode = q.get('response_mode') ?? 'query';
    const fail = (error: string, code: number, message: string, extra: Record<string, string> = {}): Response => {
      const body = aadErrorBodyDescription(code, message);
      return redirectWith(redirectUri, responseMode, { error, ...extra, error_description: body, error_uri: `https://login.microsoftonline.com/error?code=${code}`, state });
    };
    const responseType = q.get('response_type');
    if (!responseType) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'response_type'.");
    if (responseType !== 'code') return fail('unsupported_response_type', 70005, `response_type '${responseType}' is not enabled for the application.`);
    const scopeParam = q.get('scope');
    if (!scopeParam || !scopeParam.trim()) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    const parsed = parseDelegatedScopes(app, scopeParam, url.origin);
    if (!parsed.ok) return fail('invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${parsed.scope} is not valid.`);
    const codeChallenge = q.get('code_challenge') ?? undefined;
    const method = q.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      return fail('invalid_request', 501491, `Invalid code_challenge_method '${method}'. Supported values are 'S256' and 'plain'.`);
    }
    if (method && !codeChallenge) return fail('invalid_request', 501481, 'The code_challenge parameter is missing while code_challenge_method is present.');
    if (codeChallenge && !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge)) {
      return fail('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');
    }
    if (q.get('sim_deny') === '1') {
      return fail('access_denied', 65004, 'User declined to consent to access the app.', { error_subcode: 'cancel' });
    }
    const user = resolveUser(q.get('user')) ?? resolveUser(q.get('login_hint'));
    const prompt = q.get('prompt');
    if (prompt === 'none' && !user) {
      return fail('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
    }
    if (!user || (prompt === 'select_account' && !q.get('user'))) return pickerPage(url, app);
    const code = `0.A${bytes(64).toString('base64url')}`;
    codes.set(code, {
      clientId: app.clientId,
      redirectUri,
      userId: user.id,
      grant: parsed.grant,
      codeChallenge,
      codeChallengeMethod: method as 'S256' | 'plain' | undefined,
      nonce: q.get('nonce') ?? undefined,
      expiresAt: clock.now() + AUTHORIZATION_CODE_LIFETIME_MS,
      redeemed: false,
    });
    const clientInfo = q.get('client_info') === '1'
      ? Buffer.from(JSON.stringify({ uid: user.id, utid: deps.tenantId })).toString('base64url')
      : undefined;
    return redirectWith(redirectUri, responseMode, { code, client_info: clientInfo, state, session_state: newId() });
  };

  const pickerPage = (url: URL, app: SimAppRegistration): Response => {
    const link = (extra: Record<string, string>): string => {
      const params = new URLSearchParams(url.searchParams);
      params.delete('user');
      params.delete('sim_deny');
      for (const [k, v] of Object.entries(extra)) params.set(k, v);
      return `${url.pathname}?${params.toString()}`;
    };
    const items = deps
      .listUsers()
      .map((u) => `<li><a class="user" data-upn="${escapeHtml(u.userPrincipalName)}" href="${escapeHtml(link({ user: u.id }))}">${escapeHtml(u.displayName)} &lt;${escapeHtml(u.userPrincipalName)}&gt;</a></li>`)
      .join('\n');
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Sign in to your account</title></head><body>
<h1>Pick an account</h1>
<p>to continue to ${escapeHtml(app.displayName)} (simulated Microsoft identity platform)</p>
<ul id="accounts">
${items}
</ul>
<p><a id="cancel" href="${escapeHtml(link({ sim_deny: '1' }))}">Cancel</a></p>
</body></html>`;
    return new HttpResponse(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...noStoreHeaders } });
  };

  // ----- /token -----

  const token = async (request: Request, tenant: string): Promise<Response> => {
    const ctx = errCtx();
    const correlation = request.headers.get('client-request-id') ?? undefined;
    const err = (status: number, error: string, code: number, message: string): Response =>
      aadErrorResponse(ctx, status, error, code, message, correlation);
    if (!tenantAccepted(tenant)) {
      return err(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const contentType = request.headers.get('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    const form: TokenParams = new URLSearchParams(await request.text());
    const origin = new URL(request.url).origin;

    // Client authentication: secret in the body or HTTP Basic.
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const authz = request.headers.get('authorization');
    if (authz?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authz.slice(6).trim(), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        clientId = decodeURIComponent(decoded.slice(0, i));
        clientSecret = decodeURIComponent(decoded.slice(i + 1));
      }
    }
    const grantType = form.get('grant_type');
    if (!grantType) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    if (!clientId) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const app = findApp(clientId);
    if (!app) {
      return err(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${deps.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    if (!clientSecret) {
      return err(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (clientSecret !== app.clientSecret) {
      return err(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }

    switch (grantType) {
      case 'client_credentials': {
        const scope = form.get('scope');
        if (!scope) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
        if (!appOnlyScopeValid(scope, origin)) {
          return err(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
        }
        const access = appAccessToken(app);
        return HttpResponse.json(
          { token_type: 'Bearer', expires_in: access.lifetime, ext_expires_in: access.lifetime, access_token: access.token },
          { headers: { ...noStoreHeaders, 'x-ms-request-id': newId() } },
        );
      }
      case 'authorization_code': {
        const code = form.get('code');
        if (!code) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
        const record = codes.get(code);
        if (!record || record.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
          return err(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
        }
        if (record.redeemed) {
          return err(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
        }
        if (clock.now() >= record.expiresAt) {
          codes.delete(code);
          return err(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
        }
        const redirectUri = form.get('redirect_uri');
        if (redirectUri !== record.redirectUri) {
          return err(400, 'invalid_grant', 50011, `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URI used to obtain the authorization code.`);
        }
        if (record.codeChallenge) {
          const verifier = form.get('code_verifier');
          if (!verifier) return err(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
          const expected = record.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
          if (expected !== record.codeChallenge) {
            return err(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
          }
        }
        record.redeemed = true;
        const user = deps.findUser(record.userId);
        if (!user) return err(400, 'invalid_grant', 50034, `The user account ${record.userId} does not exist in the ${deps.tenantId} directory.`);
        return delegatedTokenResponse(origin, app, user, record.grant, record.nonce, form.get('client_info') === '1');
      }
      case 'refresh_token': {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
        const retired = retiredRefreshTokens.get(refreshToken);
        if (retired === 'revoked') {
          return err(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
        }
        const record = refreshTokens.get(refreshToken);
        if (!record || record.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
          return err(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
        }
        if (clock.now() >= record.expiresAt) {
          refreshTokens.delete(refreshToken);
          return err(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
        }
        const user = deps.findUser(record.userId);
        if (!user) return err(400, 'invalid_grant', 50034, `The user account ${record.userId} does not exist in the ${deps.tenantId} directory.`);
        let grant = record.grant;
        const scope = form.get('scope');
        if (scope && scope.trim()) {
          const parsed = parseDelegatedScopes(app, scope, origin);
          if (!parsed.ok) return err(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${parsed.scope} is not valid.`);
          const notGranted = parsed.grant.graphScopes.filter((s) => !record.grant.graphScopes.includes(s));
          if (notGranted.length) {
            return err(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`);
          }
          if (parsed.grant.graphScopes.length) {
            grant = { ...parsed.grant, offlineAccess: record.grant.offlineAccess || parsed.grant.offlineAccess };
          }
        }
        // Microsoft issues a new refresh token with every redemption but does not revoke the one
        // redeemed: it stays valid until its own expiry or a revocation, so a refresh retried after
        // a lost answer (or by a second replica holding the older token) still works.
        // The new refresh token carries the user's whole consent, not the narrowed request.
        const response = delegatedTokenResponse(origin, app, user, { ...grant, offlineAccess: true }, undefined, form.get('client_info') === '1');
        return response;
      }
      default:
        return err(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
  };

  // ---------- verification ----------

  const verify = (authorizationHeader: string | null | undefined): TokenCheck => {
    if (!authorizationHeader || !authorizationHeader.trim()) return { ok: false, reason: 'missing' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader);
    if (!m) return { ok: false, reason: 'malformed' };
    const raw = m[1];
    let payload = verifiedSignatures.get(raw);
    if (!payload) {
      const jwt = decodeJwt(raw);
      if (!jwt) return { ok: false, reason: 'malformed' };
      if (!verifyJwtSignature(signingKey(), jwt)) return { ok: false, reason: 'invalid_signature' };
      payload = jwt.payload;
      if (verifiedSignatures.size >= 10_000) verifiedSignatures.clear();
      verifiedSignatures.set(raw, payload);
    }
    const aud = payload['aud'];
    if (aud !== GRAPH_RESOURCE && aud !== GRAPH_APP_ID && aud !== `${GRAPH_RESOURCE}/`) return { ok: false, reason: 'wrong_audience' };
    const nowS = clock.now() / 1000;
    const exp = Number(payload['exp']);
    const nbf = Number(payload['nbf'] ?? payload['iat']);
    if (!Number.isFinite(exp) || nowS >= exp || (Number.isFinite(nbf) && nowS < nbf - 300)) return { ok: false, reason: 'expired' };
    const tokenId = String(payload['uti'] ?? '');
    if (revokedTokenIds.has(tokenId)) return { ok: false, reason: 'revoked' };
    if (String(payload['tid']) !== deps.tenantId) return { ok: false, reason: 'invalid_signature' };
    const isUser = payload['idtyp'] === 'user' || typeof payload['scp'] === 'string';
    const principal: SimPrincipal = {
      kind: isUser ? 'user' : 'app',
      tenantId: String(payload['tid']),
      appId: String(payload['appid']),
      roles: Array.isArray(payload['roles']) ? (payload['roles'] as unknown[]).map(String) : [],
      scopes: typeof payload['scp'] === 'string' ? payload['scp'].split(' ').filter(Boolean) : [],
      tokenId,
    };
    if (isUser) principal.userId = String(payload['oid']);
    return { ok: true, principal };
  };

  const revokeUser = (userId: string): void => {
    const ids = [userId];
    const u = resolveUser(userId);
    if (u && u.id !== userId) ids.push(u.id);
    for (const id of ids) {
      for (const t of userTokenIds.get(id) ?? []) revokedTokenIds.add(t);
      userTokenIds.delete(id);
      for (const [t, r] of refreshTokens) {
        if (r.userId === id) {
          refreshTokens.delete(t);
          retiredRefreshTokens.set(t, 'revoked');
        }
      }
      for (const [c, r] of codes) if (r.userId === id) codes.delete(c);
    }
  };

  const revokeToken = (tokenValue: string): boolean => {
    const raw = tokenValue.replace(/^Bearer\s+/i, '');
    if (refreshTokens.delete(raw)) {
      retiredRefreshTokens.set(raw, 'revoked');
      return true;
    }
    const jwt = decodeJwt(raw);
    if (!jwt || !verifyJwtSignature(signingKey(), jwt)) return false;
    const uti = jwt.payload['uti'];
    if (typeof uti !== 'string') return false;
    revokedTokenIds.add(uti);
    return true;
  };

  const mintForTests = (options: MintOptions): string => {
    const app = findApp(options.clientId ?? null) ?? deps.apps()[0];
    if (!app) throw new Error('mintForTests: no app registration');
    if (options.kind === 'app') {
      return appAccessToken(app, { roles: options.roles, lifetime: options.lifetimeSeconds, audience: options.audience, issuedAt: options.issuedAt }).token;
    }
    const user = resolveUser(options.user ?? null);
    if (!user) throw new Error(`mintForTests: unknown user '${options.user ?? ''}'`);
    return userAccessToken(app, user, options.scopes ?? app.delegatedScopes.filter((s) => !OIDC_SCOPES.includes(s.toLowerCase())), {
      lifetime: options.lifetimeSeconds,
      audience: options.audience,
      issuedAt: options.issuedAt,
    }).token;
  };

  const handlers = (): HttpHandler[] => [
    http.get('*/common/discovery/instance', ({ request }) => instanceDiscovery(request)),
    http.get('*/:tenant/v2.0/.well-known/openid-configuration', ({ request, params }) => {
      const tenant = String(params['tenant']);
      if (!tenantAccepted(tenant)) return invalidTenant(tenant);
      return HttpResponse.json(openidConfiguration(new URL(request.url).origin, tenant));
    }),
    http.get('*/:tenant/discovery/v2.0/keys', ({ params }) => {
      const tenant = String(params['tenant']);
      if (!tenantAccepted(tenant)) return invalidTenant(tenant);
      return HttpResponse.json({ keys: [publicJwk(signingKey())] });
    }),
    http.get('*/:tenant/oauth2/v2.0/authorize', ({ request, params }) => authorize(request, String(params['tenant']))),
    http.post('*/:tenant/oauth2/v2.0/token', ({ request, params }) => token(request, String(params['tenant']))),
  ];

  return {
    tenantId: deps.tenantId,
    handlers,
    verify,
    revokeUser,
    revokeToken,
    setTokenLifetime: (seconds: number) => {
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`token lifetime must be positive, got ${seconds}`);
      lifetimeSeconds = Math.floor(seconds);
    },
    tokenLifetime: () => lifetimeSeconds,
    reset: () => {
      codes.clear();
      refreshTokens.clear();
      retiredRefreshTokens.clear();
      userTokenIds.clear();
      revokedTokenIds.clear();
      verifiedSignatures.clear();
      lifetimeSeconds = configuredLifetime;
    },
    mintForTests,
    jwks: () => ({ keys: [publicJwk(signingKey())] }),
  };
}

function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}:${clientId}`).digest('base64url').slice(0, 43);
}
