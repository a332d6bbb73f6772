import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import { CLOCK, type Clock } from '@ocb/clock';
import { APP_CONFIG } from '@ocb/config';
import { ApiError, MetricsService } from '@ocb/http';
import type { UserTokenResponse } from '@ocb/service-clients';
import type { AuthConfig } from '../config/auth.config';
import type { ResolvedUser } from '../directory/user-resolver.service';
import { TokenStore } from '../store/token-store.service';
import { UserCachePlugin } from '../store/user-cache.plugin';
import { describeMsalError, needsConsent } from './msal-errors';
import { MsalFactory } from './msal.factory';

/** The absolute connect link for a user (the 409's `connectUrl`). */
export function connectUrlFor(publicUrl: string, userPrincipalName: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/auth/connect?user=${encodeURIComponent(userPrincipalName)}`;
}

/**
 * Delegated Graph tokens from each user's cache partition: silent acquisition (MSAL refreshes
 * with the stored refresh token when the access token is due), one refresh per user at a time
 * in this process. A refresh token that no longer works disconnects the user: 409 CONSENT_REQUIRED.
 */
@Injectable()
export class DelegatedTokenService {
  private readonly logger = new Logger(DelegatedTokenService.name);
  private readonly inflight = new Map<string, Promise<UserTokenResponse>>();
  private readonly outcomes;

  constructor(
    private readonly msal: MsalFactory,
    private readonly store: TokenStore,
    @Inject(APP_CONFIG) private readonly config: Pick<AuthConfig, 'AUTH_PUBLIC_URL'>,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter('auth_user_token_requests_total', 'Delegated token requests by outcome', ['outcome']);
  }

  consentRequired(user: { userPrincipalName: string }, why: string): ApiError {
    return ApiError.conflict('CONSENT_REQUIRED', `${why}; the user must connect their Outlook calendar (open connectUrl)`, {
      connectUrl: connectUrlFor(this.config.AUTH_PUBLIC_URL, user.userPrincipalName),
    });
  }

  token(user: ResolvedUser, forceRefresh = false): Promise<UserTokenResponse> {
    const key = `${user.id}:${forceRefresh ? 'force' : 'silent'}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.acquire(user, forceRefresh).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async acquire(user: ResolvedUser, forceRefresh: boolean): Promise<UserTokenResponse> {
    if (!user.record?.connected || !user.record.cacheData) {
      this.outcomes.inc({ outcome: 'not_connected' });
      const reason = user.record?.disconnectedReason;
      throw this.consentRequired(user, reason ? `User ${user.userPrincipalName} is disconnected (${reason})` : `User ${user.userPrincipalName} has not connected`);
    }
    for (let attempt = 0; ; attempt++) {
      const plugin = new UserCachePlugin(this.store, user.id);
      const client = await this.msal.delegatedClient(plugin);
      const account = await this.accountOf(client.getTokenCache(), user);
      if (!account) {
        await this.store.disconnect(user.id, 'no account in the token cache', plugin.version ?? undefined);
        this.outcomes.inc({ outcome: 'not_connected' });
        throw this.consentRequired(user, `User ${user.userPrincipalName} has no stored tokens`);
      }
      let result: AuthenticationResult;
      try {
        result = await client.acquireTokenSilent({ account, scopes: this.msal.resourceScopes, forceRefresh });
      } catch (e) {
        if (!needsConsent(e)) {
          this.outcomes.inc({ outcome: 'error' });
          const why = describeMsalError(e);
          this.logger.error(`delegated token for user ${user.id} failed: ${why}`);
          throw new ApiError(502, 'UPSTREAM_UNAVAILABLE', `The identity platform failed the token refresh: ${why}`);
        }
        // Another instance may have rotated the refresh token under us: retry once on the newer record.
        const current = await this.store.load(user.id);
        if (attempt === 0 && current?.row.connected && current.row.version !== plugin.version) continue;
        const why = describeMsalError(e);
        await this.store.disconnect(user.id, why, plugin.version ?? undefined);
        this.logger.warn(`user ${user.id} disconnected: the refresh token no longer works (${why})`);
        this.outcomes.inc({ outcome: 'consent_required' });
        throw this.consentRequired(user, `The stored consent of ${user.userPrincipalName} no longer works (${why})`);
      }
      this.outcomes.inc({ outcome: 'ok' });
      return {
        accessToken: result.accessToken,
        expiresOn: (result.expiresOn ?? new Date(this.clock.now())).toISOString(),
        userId: user.id,
        userPrincipalName: user.userPrincipalName,
      };
    }
  }

  private async accountOf(
    cache: { getAccountByHomeId(id: string): Promise<AccountInfo | null>; getAllAccounts(): Promise<AccountInfo[]> },
    user: ResolvedUser,
  ): Promise<AccountInfo | null> {
    const homeId = user.record?.homeAccountId;
    if (homeId) {
      const byHome = await cache.getAccountByHomeId(homeId);
      if (byHome) return byHome;
    }
    const all = await cache.getAllAccounts();
    return all.find((a) => a.localAccountId === user.id) ?? all[0] ?? null;
  }
}
