import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, ExpiringCache, type Clock } from '@ocb/clock';
import type { UserTokenResponse } from '@ocb/service-clients';
import { DELEGATED_TOKEN_SOURCE, type DelegatedTokenSource } from './graph.tokens';

/** A token is reused until this long before it expires. */
const EXPIRY_MARGIN_MS = 2 * 60_000;

/**
 * Delegated tokens per user, from auth, kept in memory until shortly before they expire (auth
 * refreshes them), asked once for all concurrent calls of a user. `forceRefresh` (Graph answered 401)
 * drops the kept one and asks auth for a new one.
 */
@Injectable()
export class DelegatedTokens {
  private readonly cache: ExpiringCache<UserTokenResponse>;

  constructor(
    @Inject(DELEGATED_TOKEN_SOURCE) private readonly source: DelegatedTokenSource,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.cache = new ExpiringCache({ clock, renewBeforeMs: EXPIRY_MARGIN_MS });
  }

  get(user: string, forceRefresh = false): Promise<UserTokenResponse> {
    const load = async () => {
      const token = await this.source.userToken(user, forceRefresh ? { forceRefresh: true } : {});
      return { value: token, expiresAt: Date.parse(token.expiresOn) };
    };
    return this.cache.get(user.toLowerCase(), load, forceRefresh);
  }
}
