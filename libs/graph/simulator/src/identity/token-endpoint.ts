/** The token endpoint: client authentication and the three grants, answered as Microsoft does. */
import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import type { IdentityContext } from './context';
import { aadErrorResponse, noStoreHeaders } from './errors';
import type { Grants } from './grants';
import { appOnlyScopeValid, parseDelegatedScopes } from './scopes';
import type { TokenMinter } from './tokens';

interface TokenParams {
  get(name: string): string | null;
}

/** `POST /{tenant}/oauth2/v2.0/token`: client credentials, authorization code (PKCE) and refresh token grants. */
export async function tokenEndpoint(c: IdentityContext, grants: Grants, minter: TokenMinter, request: Request, tenant: string): Promise<Response> {
  const ctx = c.errCtx();
  const correlation = request.headers.get('client-request-id') ?? undefined;
  const err = (status: number, error: string, code: number, message: string): Response =>
    aadErrorResponse(ctx, status, error, code, message, correlation);
  if (!c.tenantAccepted(tenant)) {
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
  const app = c.findApp(clientId);
  if (!app) {
    return err(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${c.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
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
      const access = minter.appAccessToken(app);
      return HttpResponse.json(
        { token_type: 'Bearer', expires_in: access.lifetime, ext_expires_in: access.lifetime, access_token: access.token },
        { headers: { ...noStoreHeaders, 'x-ms-request-id': c.newId() } },
      );
    }
    case 'authorization_code': {
      const code = form.get('code');
      if (!code) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
      const record = grants.codes.get(code);
      if (!record || record.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
        return err(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
      }
      if (record.redeemed) {
        return err(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
      }
      if (c.clock.now() >= record.expiresAt) {
        grants.codes.delete(code);
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
      const user = c.deps.findUser(record.userId);
      if (!user) return err(400, 'invalid_grant', 50034, `The user account ${record.userId} does not exist in the ${c.tenantId} directory.`);
      return minter.delegatedTokenResponse(origin, app, user, record.grant, record.nonce, form.get('client_info') === '1');
    }
    case 'refresh_token': {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) return err(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
      const retired = grants.retiredRefreshTokens.get(refreshToken);
      if (retired === 'revoked') {
        return err(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
      }
      const record = grants.refreshTokens.get(refreshToken);
      if (!record || record.clientId.toLowerCase() !== app.clientId.toLowerCase()) {
        return err(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
      }
      if (c.clock.now() >= record.expiresAt) {
        grants.refreshTokens.delete(refreshToken);
        return err(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
      }
      const user = c.deps.findUser(record.userId);
      if (!user) return err(400, 'invalid_grant', 50034, `The user account ${record.userId} does not exist in the ${c.tenantId} directory.`);
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
      const response = minter.delegatedTokenResponse(origin, app, user, { ...grant, offlineAccess: true }, undefined, form.get('client_info') === '1');
      return response;
    }
    default:
      return err(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }
}
