import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import type { UserTokenResponse } from '@ocb/service-clients';
import { DELEGATED_TOKEN_SOURCE, type DelegatedTokenSource } from './graph.tokens';

/** A token is reused until this long before it expires. */
const EXPIRY_MARGIN_MS = 2 * 60_000;

/**
 * Delegated tokens per user, from auth, kept in memory until shortly before they expire (auth
 * refreshes them). `forceRefresh` (Graph answered 401) drops the kept one and asks auth for a new one.
 */
@Injectable()
export class DelegatedTokens {
  private readonly cache = new Map<string, UserTokenResponse>();

  constructor(
    @Inject(DELEGATED_TOKEN_SOURCE) private readonly source: DelegatedTokenSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(user: string, forceRefresh = false): Promise<UserTokenResponse> {
    const key = user.toLowerCase();
    const kept = this.cache.get(key);
    if (!forceRefresh && kept && Date.parse(kept.expiresOn) - EXPIRY_MARGIN_MS > this.clock.now()) return kept;
    this.cache.delete(key);
    const token = await this.source.userToken(user, forceRefresh ? { forceRefresh: true } : {});
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, token);
    return token;
  }
}
