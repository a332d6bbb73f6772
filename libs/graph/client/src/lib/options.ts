import type { Clock } from '@ocb/clock';
import type { RateLimiter } from '@ocb/rate-limiter';

export interface GraphTelemetry {
  /** Every HTTP attempt (retries included); status 0 when no answer came (reset, timeout). */
  onRequest?(method: string, status: number, ms: number): void;
  /** A retry was scheduled; reason e.g. `429`, `503`, `network`, `timeout`, `batch-item-429`. */
  onRetry?(reason: string): void;
  /** Graph answered 429; `ms` is its Retry-After (0 when absent). */
  onThrottle?(ms: number): void;
}

export interface TokenContext {
  /** The mailbox the call is for (explicit `mailbox`, or the `/users/{id}` of the path). */
  mailbox?: string;
  /** The cached token was refused (401): issue a new one. */
  forceRefresh?: boolean;
}

export interface GraphClientOptions {
  /** Graph origin, the GRAPH_BASE_URL setting; `/v1.0` is appended. */
  baseUrl: string;
  tokenProvider: (ctx: TokenContext) => Promise<string>;
  /** Shared budget; key = mailbox (user id/UPN, lower-cased) or undefined. */
  limiter?: RateLimiter;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** Backoff base (default 500 ms); full jitter; capped by `retryMaxDelayMs`. */
  retryBaseDelayMs?: number;
  /** Backoff cap (default 30 000 ms). A server's Retry-After is honoured as given. */
  retryMaxDelayMs?: number;
  /** Per attempt (default 30 000 ms). */
  timeoutMs?: number;
  clock?: Clock;
  telemetry?: GraphTelemetry;
  /** The HTTP layer (default `nodeFetch()`: node:https with keep-alive, bodies read whole into one Buffer). */
  fetchImpl?: typeof fetch;
  /** Jitter source (default Math.random); tests may fix it. */
  random?: () => number;
}

export interface RequestOptions {
  /** Mailbox (user id or UPN) the call acts on: limiter key and token context. Derived from `/users/{id}` when absent. */
  mailbox?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
  signal?: AbortSignal;
}

export interface WriteOptions extends RequestOptions {
  /** POST only: safe to repeat (e.g. carries a transactionId), so transient failures are retried. */
  idempotent?: boolean;
}

export interface PageOptions extends RequestOptions {
  /** `Prefer: odata.maxpagesize=N`. */
  pageSize?: number;
}

export interface BatchItem {
  id: string;
  /** GET, POST, PATCH, PUT, DELETE (any case). */
  method: string;
  /** Relative to the version, e.g. `/users/x/calendarView?...` (absolute links on the Graph origin are accepted). */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Limiter key for this item (derived from the url when absent). */
  mailbox?: string;
  dependsOn?: string[];
  /** A POST item that is safe to repeat on 500/502/503/504. */
  idempotent?: boolean;
}

export interface BatchResult<B = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: B;
}

export interface BatchOptions {
  signal?: AbortSignal;
  /** Token context of the `$batch` call (delegated batches). */
  mailbox?: string;
}

export interface CalendarViewOptions {
  pageSize?: number;
  select?: string[];
  /** Use `/me` (delegated token for `user`). */
  delegated?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface UsersOptions {
  select?: string[];
  pageSize?: number;
  signal?: AbortSignal;
}
