/**
 * The simulated Microsoft identity platform: discovery, the authorization and token endpoints,
 * and the check of the Graph tokens it issued. Composed from its parts by role: `context`
 * (tenant, ids, signing key), `grants` (what it remembers), `scopes`, `tokens` (minting),
 * `authorize`, `token-endpoint`, `discovery` and `verification`.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { TokenCheck } from '../state/types';
import { authorize } from './authorize';
import { IdentityContext, type IdentityPlatformDeps } from './context';
import { instanceDiscovery, openidConfiguration } from './discovery';
import { Grants } from './grants';
import { publicJwk } from './jwt';
import { OIDC_SCOPES } from './scopes';
import { tokenEndpoint } from './token-endpoint';
import { TokenMinter } from './tokens';
import { TokenVerifier } from './verification';

export { DEFAULT_TOKEN_LIFETIME_SECONDS, type IdentityPlatformDeps } from './context';
export { AUTHORIZATION_CODE_LIFETIME_MS, REFRESH_TOKEN_LIFETIME_MS } from './grants';
export { GRAPH_APP_ID, GRAPH_RESOURCE } from './scopes';

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

export function createIdentityPlatform(deps: IdentityPlatformDeps): IdentityPlatform {
  const c = new IdentityContext(deps);
  const grants = new Grants();
  const minter = new TokenMinter(c, grants);
  const verifier = new TokenVerifier(c, grants);

  const mintForTests = (options: MintOptions): string => {
    const app = c.findApp(options.clientId ?? null) ?? deps.apps()[0];
    if (!app) throw new Error('mintForTests: no app registration');
    if (options.kind === 'app') {
      return minter.appAccessToken(app, { roles: options.roles, lifetime: options.lifetimeSeconds, audience: options.audience, issuedAt: options.issuedAt }).token;
    }
    const user = c.resolveUser(options.user ?? null);
    if (!user) throw new Error(`mintForTests: unknown user '${options.user ?? ''}'`);
    return minter.userAccessToken(app, user, options.scopes ?? app.delegatedScopes.filter((s) => !OIDC_SCOPES.includes(s.toLowerCase())), {
      lifetime: options.lifetimeSeconds,
      audience: options.audience,
      issuedAt: options.issuedAt,
    }).token;
  };

  const handlers = (): HttpHandler[] => [
    http.get('*/common/discovery/instance', ({ request }) => instanceDiscovery(request, c.tenantId)),
    http.get('*/:tenant/v2.0/.well-known/openid-configuration', ({ request, params }) => {
      const tenant = String(params['tenant']);
      if (!c.tenantAccepted(tenant)) return c.invalidTenant(tenant);
      return HttpResponse.json(openidConfiguration(new URL(request.url).origin, tenant, c.tenantId));
    }),
    http.get('*/:tenant/discovery/v2.0/keys', ({ params }) => {
      const tenant = String(params['tenant']);
      if (!c.tenantAccepted(tenant)) return c.invalidTenant(tenant);
      return HttpResponse.json({ keys: [publicJwk(c.signingKey())] });
    }),
    http.get('*/:tenant/oauth2/v2.0/authorize', ({ request, params }) => authorize(c, grants, request, String(params['tenant']))),
    http.post('*/:tenant/oauth2/v2.0/token', ({ request, params }) => tokenEndpoint(c, grants, minter, request, String(params['tenant']))),
  ];

  return {
    tenantId: deps.tenantId,
    handlers,
    verify: (header) => verifier.verify(header),
    revokeUser: (userId) => verifier.revokeUser(userId),
    revokeToken: (token) => verifier.revokeToken(token),
    setTokenLifetime: (seconds: number) => {
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`token lifetime must be positive, got ${seconds}`);
      c.lifetimeSeconds = Math.floor(seconds);
    },
    tokenLifetime: () => c.lifetimeSeconds,
    reset: () => {
      grants.clear();
      verifier.reset();
      c.lifetimeSeconds = c.configuredLifetime;
    },
    mintForTests,
    jwks: () => ({ keys: [publicJwk(c.signingKey())] }),
  };
}
