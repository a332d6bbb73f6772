import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError, MetricsService } from '@ocb/http';
import type { AppTokenResponse } from '@ocb/service-clients';
import { describeMsalError } from './msal-errors';
import { MsalFactory } from './msal.factory';

interface CachedToken {
  response: AppTokenResponse;
  /** Clock time after which the token is renewed. */
  renewAt: number;
}

/** Renew this long before expiry (or at half the lifetime for short-lived tokens). */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * The app-only Graph token (client credentials): cached until shortly before it expires, and
 * renewed once for all concurrent callers (single flight).
 */
@Injectable()
export class AppTokenService {
  private readonly logger = new Logger(AppTokenService.name);
  private cached?: CachedToken;
  private inflight?: Promise<AppTokenResponse>;
  private readonly calls;

  constructor(
    private readonly msal: MsalFactory,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.calls = metrics.counter('auth_app_token_requests_total', 'Client-credentials token requests to the identity platform', ['outcome']);
  }

  async token(): Promise<AppTokenResponse> {
    if (this.cached && this.clock.now() < this.cached.renewAt) return this.cached.response;
    if (!this.inflight) {
      this.inflight = this.acquire().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Forgets the cached token (e.g. after Graph answered 401 with it). */
  invalidate(token?: string): void {
    if (!token || this.cached?.response.accessToken === token) this.cached = undefined;
  }

  private async acquire(): Promise<AppTokenResponse> {
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
    const lifetimeMs = Math.max(0, result.expiresOn.getTime() - this.clock.now());
    const renewBefore = Math.min(RENEW_BEFORE_MS, lifetimeMs / 2);
    const response: AppTokenResponse = { accessToken: result.accessToken, expiresOn: result.expiresOn.toISOString() };
    this.cached = { response, renewAt: this.clock.now() + lifetimeMs - renewBefore };
    return response;
  }
}
