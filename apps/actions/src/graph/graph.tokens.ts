import type { UserTokenResponse } from '@ocb/service-clients';

/** Injection token: where delegated tokens come from (`AuthClient` in production). */
export const DELEGATED_TOKEN_SOURCE = Symbol('DELEGATED_TOKEN_SOURCE');
/** Injection token: the service's one `GraphClient` (one limiter for the whole service). */
export const GRAPH_CLIENT = Symbol('GRAPH_CLIENT');

/**
 * The user's delegated Graph token: `AuthClient.userToken` answers it, or throws ServiceError
 * 409 CONSENT_REQUIRED (with `connectUrl`) / 404 NOT_FOUND.
 */
export interface DelegatedTokenSource {
  userToken(user: string, options?: { forceRefresh?: boolean }): Promise<UserTokenResponse>;
}
