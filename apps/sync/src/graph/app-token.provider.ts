import type { Clock } from '@ocb/clock';
import { AuthClient } from '@ocb/service-clients';
import type { GraphTokenProvider } from './graph.tokens';

/**
 * The production token provider: the app-only token from the auth service (which caches it),
 * kept here until a minute before it expires; a 401 from Graph (forceRefresh) asks again.
 */
export function authServiceTokenProvider(client: Pick<AuthClient, 'appToken'>, clock: Pick<Clock, 'now'>): GraphTokenProvider {
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  return async (ctx) => {
    if (!ctx.forceRefresh && cached && cached.expiresAt - 60_000 > clock.now()) return cached.token;
    pending ??= client
      .appToken()
      .then((r) => {
        const expiresAt = Date.parse(r.expiresOn);
        cached = { token: r.accessToken, expiresAt: Number.isNaN(expiresAt) ? clock.now() + 300_000 : expiresAt };
        return r.accessToken;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}
