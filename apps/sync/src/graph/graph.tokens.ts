import type { TokenContext } from '@ocb/graph-client';

/** Injection token: `(ctx) => Promise<string>`, the app-only Graph access token. */
export const GRAPH_TOKEN_PROVIDER = Symbol('GRAPH_TOKEN_PROVIDER');
/** Injection token: the service's one `GraphClient` (one limiter for the whole service). */
export const GRAPH_CLIENT = Symbol('GRAPH_CLIENT');
/** Injection token: the service's one `RateLimiter`. */
export const GRAPH_RATE_LIMITER = Symbol('GRAPH_RATE_LIMITER');

export type GraphTokenProvider = (ctx: TokenContext) => Promise<string>;
