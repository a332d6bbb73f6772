import type { AppTokenResponse, UserTokenResponse } from './contracts';
import { InternalHttp, InternalHttpOptions } from './internal-http';

/** Client of the auth service's internal routes. */
export class AuthClient {
  private readonly http: InternalHttp;

  constructor(options: InternalHttpOptions) {
    this.http = new InternalHttp(options);
  }

  /** The app-only Graph token (client credentials), cached by auth. */
  appToken(): Promise<AppTokenResponse> {
    return this.http.request('GET', 'api/internal/tokens/app');
  }

  /** The user's delegated Graph token; ServiceError 409 CONSENT_REQUIRED (+ connectUrl) when not connected. */
  userToken(user: string, options: { forceRefresh?: boolean } = {}): Promise<UserTokenResponse> {
    return this.http.request('GET', `api/internal/users/${encodeURIComponent(user)}/token`, undefined, {
      forceRefresh: options.forceRefresh ? 'true' : undefined,
    });
  }
}
