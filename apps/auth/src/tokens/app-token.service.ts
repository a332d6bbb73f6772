import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, ExpiringCache, type Clock } from '@ocb/clock';
import { ApiError, MetricsService } from '@ocb/http';
import type { AppTokenResponse } from '@ocb/service-clients';
import { describeMsalError } from './msal-errors';
import { MsalFactory } from './msal.factory';

/** Renew this long before expiry (or at half the lifetime for short-lived tokens). */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * The app-only Graph token (client credentials): cached until shortly before it expires, and
 * renewed once for all concurrent callers (single flight).
 */
@Injectable()
export class AppTokenService {
  private readonly logger = new Logger(AppTokenService.name);
  private readonly cache: ExpiringCache<AppTokenResponse>;
  private readonly calls;

  constructor(
    private readonly msal: MsalFactory,
    @Inject(CLOCK) clock: Clock,
    metrics: MetricsService,
  ) {
    this.cache = new ExpiringCache({ clock, renewBeforeMs: (lifetimeMs) => Math.min(RENEW_BEFORE_MS, lifetimeMs / 2), maxEntries: 1 });
    this.calls = metrics.counter('auth_app_token_requests_total', 'Client-credentials token requests to the identity platform', ['outcome']);
  }

  token(): Promise<AppTokenResponse> {
    return this.cache.get('app', () => this.acquire());
  }

  /** Forgets the cached token (e.g. after Graph answered 401 with it). */
  invalidate(token?: string): void {
    this.cache.invalidate('app', token ? (kept) => kept.accessToken === token : undefined);
  }

  private async acquire(): Promise<{ value: AppTokenResponse; expiresAt: number }> {
    let result;
    try {
      result = await this.msal.appClient().acquireTokenByClientCredential({ scopes: [this.msal.appScope], skipCache: true });
    } catch (e) {
      this.calls.inc({ outcome: 'error' });
      const why = describeMsalError(e);
      this.logger.error(`app token request failed: ${why}`);
      throw new ApiError(502, 'UPSTREAM_UNAVAILABLE', `The identity platform refused or failed the app token request: ${why}`);
    }
    if (!result?.accessToken || !result.expiresOn) {
      this.calls.inc({ outcome: 'error' });
      throw new ApiError(502, 'UPSTREAM_UNAVAILABLE', 'The identity platform returned no app token');
    }
    this.calls.inc({ outcome: 'ok' });
    return { value: { accessToken: result.accessToken, expiresOn: result.expiresOn.toISOString() }, expiresAt: result.expiresOn.getTime() };
  }
}
