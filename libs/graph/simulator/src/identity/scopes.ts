/** Scopes as the identity platform reads them: delegated scope lists and the app-only `.default`. */
import type { SimAppRegistration } from '../state/types';

/** Graph's resource URI and its well-known application id (both appear as `aud` of Graph tokens). */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export interface Grant {
  /** Delegated Graph permissions, canonical names (as registered). */
  graphScopes: string[];
  /** Scope string echoed in the token response (requested spelling, OIDC scopes but offline_access). */
  responseScope: string;
  openid: boolean;
  email: boolean;
  offlineAccess: boolean;
}

export type ScopeParse = { ok: true; grant: Grant } | { ok: false; scope: string };

export function parseDelegatedScopes(app: SimAppRegistration, scopeParam: string, origin: string): ScopeParse {
  const requested = scopeParam.split(/\s+/).filter(Boolean);
  const graphPrefixes = [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`, `${origin.toLowerCase()}/`];
  const graphScopes: string[] = [];
  const echoed: string[] = [];
  const grant: Grant = { graphScopes, responseScope: '', openid: false, email: false, offlineAccess: false };
  for (const scope of requested) {
    const lower = scope.toLowerCase();
    if (OIDC_SCOPES.includes(lower)) {
      if (lower === 'openid') grant.openid = true;
      if (lower === 'email') grant.email = true;
      if (lower === 'offline_access') grant.offlineAccess = true;
      else echoed.push(lower);
      continue;
    }
    const prefix = graphPrefixes.find((p) => lower.startsWith(p));
    if (!prefix && lower.includes('/')) return { ok: false, scope };
    const name = prefix ? scope.slice(prefix.length) : scope;
    if (name === '.default') {
      // `.default`: every delegated permission consented for the app (OIDC ones stay apart).
      for (const s of app.delegatedScopes) {
        if (OIDC_SCOPES.includes(s.toLowerCase()) || graphScopes.includes(s)) continue;
        graphScopes.push(s);
        echoed.push(s);
      }
      continue;
    }
    const canonical = app.delegatedScopes.find((s) => s.toLowerCase() === name.toLowerCase());
    if (!canonical) return { ok: false, scope };
    if (!graphScopes.includes(canonical)) graphScopes.push(canonical);
    echoed.push(scope);
  }
  grant.responseScope = [...new Set(echoed)].join(' ');
  return { ok: true, grant };
}

export function appOnlyScopeValid(scopeParam: string, origin: string): boolean {
  const scopes = scopeParam.split(/\s+/).filter(Boolean);
  if (scopes.length !== 1) return false;
  const s = scopes[0].toLowerCase();
  return [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID, origin.toLowerCase()].some((r) => s === `${r.replace(/\/$/, '')}/.default`);
}
