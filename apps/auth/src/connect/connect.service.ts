import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthError, ResponseMode, type AuthenticationResult } from '@azure/msal-node';
import { createHash, randomBytes } from 'node:crypto';
import { CLOCK, type Clock } from '@ocb/clock';
import { APP_CONFIG } from '@ocb/config';
import { ApiError } from '@ocb/http';
import { toInstant } from '@ocb/persistence';
import type { AuthConfig } from '../config/auth.config';
import { UserResolver } from '../directory/user-resolver.service';
import { TokenCrypto } from '../store/token-crypto';
import { TokenStore } from '../store/token-store.service';
import { describeMsalError } from '../tokens/msal-errors';
import { MsalFactory } from '../tokens/msal.factory';
import { ConnectStateRepository } from './connect-state.repository';
import { isAllowedReturnUrl, parseAllowList, withConnectedFlag } from './return-url';

export const STATE_TTL_MS = 10 * 60 * 1000;

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

export type CallbackOutcome =
  | { ok: true; userPrincipalName: string; redirectTo: string | null }
  | { ok: false; status: 400 | 403 | 502; code: string; message: string };

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const fail = (status: 400 | 403 | 502, code: string, message: string): CallbackOutcome => ({ ok: false, status, code, message });

/**
 * User consent (authorization code + PKCE): builds the authorize URL with a one-use state kept
 * server-side, and redeems the code on the callback for the user who started the connect only.
 */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger(ConnectService.name);
  private readonly allowList: URL[];

  constructor(
    private readonly msal: MsalFactory,
    private readonly users: UserResolver,
    private readonly states: ConnectStateRepository,
    private readonly store: TokenStore,
    private readonly crypto: TokenCrypto,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: Pick<AuthConfig, 'ALLOWED_RETURN_URLS'>,
  ) {
    this.allowList = parseAllowList(config.ALLOWED_RETURN_URLS);
  }

  /** The authorize URL for `user`; `returnUrl` must sit under ALLOWED_RETURN_URLS. */
  async authorizeUrl(user: string, returnUrl?: string): Promise<string> {
    if (returnUrl !== undefined && !isAllowedReturnUrl(returnUrl, this.allowList)) {
      throw ApiError.validation('returnUrl: must be an absolute URL under one of the allowed return URL prefixes (ALLOWED_RETURN_URLS)');
    }
    const target = await this.users.resolve(user);
    const now = this.clock.now();
    await this.states.purgeExpired(toInstant(now));

    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const stateHash = sha256(state);
    const sealedVerifier = this.crypto.seal(verifier, stateHash);
    await this.states.create({
      stateHash,
      userId: target.id,
      userPrincipalName: target.userPrincipalName,
      codeVerifier: sealedVerifier.data,
      keyId: sealedVerifier.keyId,
      nonce,
      returnUrl: returnUrl ?? null,
      createdAt: toInstant(now),
      expiresAt: toInstant(now + STATE_TTL_MS),
      usedAt: null,
    });
    const client = await this.msal.delegatedClient();
    return client.getAuthCodeUrl({
      scopes: this.msal.delegatedScopes,
      redirectUri: this.msal.redirectUri,
      responseMode: ResponseMode.QUERY,
      state,
      nonce,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint: target.userPrincipalName,
    });
  }

  async callback(query: CallbackQuery): Promise<CallbackOutcome> {
    if (!query.state) return fail(400, 'INVALID_STATE', 'state: missing; start again from the connect link');
    const stateHash = sha256(query.state);
    const pending = await this.states.findByHash(stateHash);
    const now = this.clock.now();
    if (!pending) return fail(400, 'INVALID_STATE', 'state: unknown; start again from the connect link');
    if (pending.usedAt) return fail(400, 'INVALID_STATE', 'state: already used; each connect link works once, start again');
    if (now >= Date.parse(pending.expiresAt)) return fail(400, 'INVALID_STATE', 'state: expired (connect links are valid for 10 minutes); start again');
    if (!(await this.states.consume(stateHash, toInstant(now)))) {
      return fail(400, 'INVALID_STATE', 'state: already used; each connect link works once, start again');
    }

    if (query.error) {
      const description = (query.error_description ?? '').split(/\r?\n/)[0].slice(0, 300);
      this.logger.warn(`connect of user ${pending.userId} ended at the authorize step: ${query.error}`);
      return fail(400, query.error === 'access_denied' ? 'CONSENT_DENIED' : 'AUTHORIZATION_FAILED',
        `Microsoft sign-in did not grant access: ${query.error}${description ? ` (${description})` : ''}. Nothing was stored.`);
    }
    if (!query.code) return fail(400, 'VALIDATION_FAILED', 'code: missing from the callback');

    const verifier = this.crypto.open({ keyId: pending.keyId, data: pending.codeVerifier }, stateHash).plaintext;
    let result: AuthenticationResult;
    let serialized: string;
    try {
      const client = await this.msal.delegatedClient();
      result = await client.acquireTokenByCode({
        code: query.code,
        scopes: this.msal.delegatedScopes,
        redirectUri: this.msal.redirectUri,
        codeVerifier: verifier,
        nonce: pending.nonce,
      });
      serialized = client.getTokenCache().serialize();
    } catch (e) {
      const why = describeMsalError(e);
      this.logger.warn(`connect of user ${pending.userId}: code redemption failed: ${why}`);
      const refused = e instanceof AuthError && !/network|endpoints_resolution|timeout/i.test(e.errorCode);
      return fail(refused ? 400 : 502, refused ? 'AUTHORIZATION_FAILED' : 'UPSTREAM_UNAVAILABLE', `Could not redeem the authorization code: ${why}. Nothing was stored.`);
    }
    const signedIn = this.signedInAccount(result);
    const matches =
      (signedIn.oid !== null && signedIn.oid.toLowerCase() === pending.userId.toLowerCase()) ||
      (signedIn.oid === null && signedIn.upn?.toLowerCase() === pending.userPrincipalName.toLowerCase());
    if (!matches) {
      this.logger.warn(`connect for user ${pending.userId} completed by another account (${signedIn.oid ?? 'unknown'}); nothing stored`);
      return fail(
        403,
        'ACCOUNT_MISMATCH',
        `Signed in as ${signedIn.upn ?? 'another account'}, but this connect link was for ${pending.userPrincipalName}. Nothing was stored; sign in with ${pending.userPrincipalName}.`,
      );
    }
    await this.store.connect(pending.userId, pending.userPrincipalName, serialized);
    this.logger.log(`user ${pending.userId} connected`);
    return { ok: true, userPrincipalName: pending.userPrincipalName, redirectTo: pending.returnUrl ? withConnectedFlag(pending.returnUrl) : null };
  }

  private signedInAccount(result: AuthenticationResult): { oid: string | null; upn: string | null } {
    const claims = (result.idTokenClaims ?? {}) as { oid?: unknown; preferred_username?: unknown };
    const oid = typeof claims.oid === 'string' ? claims.oid : result.account?.localAccountId || null;
    const upn = typeof claims.preferred_username === 'string' ? claims.preferred_username : result.account?.username || null;
    return { oid, upn };
  }
}
