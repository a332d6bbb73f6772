import { ExpiringCache, type Clock } from '@ocb/clock';
import { AuthClient } from '@ocb/service-clients';
import type { GraphTokenProvider } from './graph.tokens';

/**
 * The production token provider: the app-only token from the auth service (which caches it),
 * kept here until a minute before it expires; a 401 from Graph (forceRefresh) asks again.
 */
export function authServiceTokenProvider(client: Pick<AuthClient, 'appToken'>, clock: Pick<Clock, 'now'>): GraphTokenProvider {
  const cache = new ExpiringCache<string>({ clock, renewBeforeMs: 60_000 });
  const load = async () => {
    const r = await client.appToken();
    const expiresAt = Date.parse(r.expiresOn);
    return { value: r.accessToken, expiresAt: Number.isNaN(expiresAt) ? clock.now() + 300_000 : expiresAt };
  };
  return (ctx) => cache.get('app', load, ctx.forceRefresh);
}
