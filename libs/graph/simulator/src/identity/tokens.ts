/** Minting: the access, ID and refresh tokens the identity platform issues, shaped as Microsoft's. */
import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import type { SimAppRegistration, SimUser } from '../state/types';
import type { IdentityContext } from './context';
import { noStoreHeaders } from './errors';
import { REFRESH_TOKEN_LIFETIME_MS, type Grants, type RefreshRecord } from './grants';
import { signJwt, type JwtPayload } from './jwt';
import { GRAPH_APP_ID, GRAPH_RESOURCE, type Grant } from './scopes';

export class TokenMinter {
  private readonly issuerV1: string;

  constructor(
    private readonly c: IdentityContext,
    private readonly grants: Grants,
  ) {
    this.issuerV1 = `https://sts.windows.net/${c.tenantId}/`;
  }

  appAccessToken(app: SimAppRegistration, opts: { roles?: string[]; lifetime?: number; audience?: string; issuedAt?: number } = {}): { token: string; lifetime: number } {
    const nowS = Math.floor((opts.issuedAt ?? this.c.clock.now()) / 1000);
    const lifetime = opts.lifetime ?? this.c.lifetimeSeconds;
    const oid = servicePrincipalId(this.c.tenantId, app.clientId);
    const payload: JwtPayload = {
      aud: opts.audience ?? GRAPH_RESOURCE,
      iss: this.issuerV1,
      iat: nowS,
      nbf: nowS,
      exp: nowS + lifetime,
      app_displayname: app.displayName,
      appid: app.clientId,
      appidacr: '1',
      idp: this.issuerV1,
      idtyp: 'app',
      oid,
      roles: opts.roles ?? app.appRoles,
      sub: oid,
      tid: this.c.tenantId,
      uti: this.c.newId(),
      ver: '1.0',
    };
    return { token: signJwt(this.c.signingKey(), payload), lifetime };
  }

  userAccessToken(app: SimAppRegistration, user: SimUser, scopes: string[], opts: { lifetime?: number; audience?: string; issuedAt?: number } = {}): { token: string; lifetime: number } {
    const nowS = Math.floor((opts.issuedAt ?? this.c.clock.now()) / 1000);
    const lifetime = opts.lifetime ?? this.c.lifetimeSeconds;
    const uti = this.c.newId();
    const payload: JwtPayload = {
      aud: opts.audience ?? GRAPH_APP_ID,
      iss: this.issuerV1,
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
      tid: this.c.tenantId,
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      preferred_username: user.userPrincipalName,
      uti,
      ver: '1.0',
    };
    this.grants.trackUserToken(user.id, uti);
    return { token: signJwt(this.c.signingKey(), payload), lifetime };
  }

  idToken(origin: string, app: SimAppRegistration, user: SimUser, grant: Grant, nonce: string | undefined): string {
    const nowS = Math.floor(this.c.clock.now() / 1000);
    const payload: JwtPayload = {
      ver: '2.0',
      iss: `${origin}/${this.c.tenantId}/v2.0`,
      sub: pairwiseSub(user.id, app.clientId),
      aud: app.clientId,
      exp: nowS + this.c.lifetimeSeconds,
      iat: nowS,
      nbf: nowS,
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      oid: user.id,
      tid: this.c.tenantId,
      ...(grant.email && user.mail ? { email: user.mail } : {}),
      ...(nonce ? { nonce } : {}),
      uti: this.c.newId(),
    };
    return signJwt(this.c.signingKey(), payload);
  }

  newRefreshToken(record: RefreshRecord): string {
    const token = `1.A${this.c.bytes(48).toString('base64url')}`;
    this.grants.refreshTokens.set(token, record);
    return token;
  }

  delegatedTokenResponse(
    origin: string,
    app: SimAppRegistration,
    user: SimUser,
    grant: Grant,
    nonce: string | undefined,
    requestedClientInfo: boolean,
  ): Response {
    const access = this.userAccessToken(app, user, grant.graphScopes.length ? grant.graphScopes : ['openid']);
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: grant.responseScope,
      expires_in: access.lifetime,
      ext_expires_in: access.lifetime,
      access_token: access.token,
    };
    if (grant.offlineAccess) {
      body['refresh_token'] = this.newRefreshToken({
        clientId: app.clientId,
        userId: user.id,
        grant,
        expiresAt: this.c.clock.now() + REFRESH_TOKEN_LIFETIME_MS,
      });
      body['refresh_token_expires_in'] = Math.floor(REFRESH_TOKEN_LIFETIME_MS / 1000);
    }
    if (grant.openid) body['id_token'] = this.idToken(origin, app, user, grant, nonce);
    if (requestedClientInfo || grant.openid) {
      body['client_info'] = Buffer.from(JSON.stringify({ uid: user.id, utid: this.c.tenantId })).toString('base64url');
    }
    return HttpResponse.json(body, { headers: { ...noStoreHeaders, 'x-ms-request-id': this.c.newId() } });
  }
}

/** The object id of an app's service principal in the tenant (stable per tenant and client id). */
export function servicePrincipalId(tenantId: string, clientId: string): string {
  const h = createHash('sha256').update(`sp:${tenantId}:${clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The pairwise `sub` of a user for an app. */
export function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}:${clientId}`).digest('base64url').slice(0, 43);
}
