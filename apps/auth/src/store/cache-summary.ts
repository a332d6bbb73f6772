/** What the connection routes report, read from a serialized MSAL cache (one user's partition). */
export interface CacheSummary {
  homeAccountId: string | null;
  username: string | null;
  hasRefreshToken: boolean;
  scopes: string[];
  expiresAt: string | null;
}

interface SerializedCache {
  Account?: Record<string, { home_account_id?: string; username?: string }>;
  AccessToken?: Record<string, { target?: string; expires_on?: string | number }>;
  RefreshToken?: Record<string, unknown>;
}

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

export function summarizeCache(serialized: string): CacheSummary {
  let cache: SerializedCache;
  try {
    cache = JSON.parse(serialized) as SerializedCache;
  } catch {
    return { homeAccountId: null, username: null, hasRefreshToken: false, scopes: [], expiresAt: null };
  }
  const account = Object.values(cache.Account ?? {})[0];
  let latest: { target?: string; expires_on?: string | number } | undefined;
  for (const at of Object.values(cache.AccessToken ?? {})) {
    if (!latest || Number(at.expires_on) > Number(latest.expires_on)) latest = at;
  }
  const scopes = (latest?.target ?? '').split(/\s+/).filter((s) => s && !OIDC.has(s.toLowerCase()));
  const expiresOn = Number(latest?.expires_on);
  return {
    homeAccountId: account?.home_account_id ?? null,
    username: account?.username ?? null,
    hasRefreshToken: Object.keys(cache.RefreshToken ?? {}).length > 0,
    scopes,
    expiresAt: Number.isFinite(expiresOn) && expiresOn > 0 ? new Date(expiresOn * 1000).toISOString() : null,
  };
}
