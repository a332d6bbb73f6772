/**
 * One classification of Graph (and token endpoint) failures, and their mapping to the platform
 * contract's error codes. See README, "Classification".
 */
export type GraphErrorKind =
  | 'throttled'
  | 'transient'
  | 'auth-expired'
  | 'consent-required'
  | 'forbidden'
  | 'not-found'
  | 'invalid'
  | 'sync-reset'
  | 'unknown';

export type GraphContractCode =
  | 'UPSTREAM_THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'CONSENT_REQUIRED'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'VALIDATION_FAILED'
  | 'UPSTREAM_ERROR';

const CONTRACT: Record<GraphErrorKind, { code: GraphContractCode; status: number }> = {
  throttled: { code: 'UPSTREAM_THROTTLED', status: 429 },
  transient: { code: 'UPSTREAM_UNAVAILABLE', status: 503 },
  'consent-required': { code: 'CONSENT_REQUIRED', status: 409 },
  'not-found': { code: 'NOT_FOUND', status: 404 },
  forbidden: { code: 'FORBIDDEN', status: 403 },
  invalid: { code: 'VALIDATION_FAILED', status: 400 },
  // A token that still fails after a forced refresh is our (or the tenant's) problem, not the user's.
  'auth-expired': { code: 'UPSTREAM_ERROR', status: 502 },
  // Services catch sync-reset and fall back to a full fetch; if it surfaces it is an upstream error.
  'sync-reset': { code: 'UPSTREAM_ERROR', status: 502 },
  unknown: { code: 'UPSTREAM_ERROR', status: 502 },
};

/** Status 0 stands for "no HTTP answer" (connection reset, DNS failure, timeout). */
export const NETWORK_ERROR_STATUS = 0;

const SYNC_RESET_CODES = new Set([
  'syncstatenotfound',
  'syncstateinvalid',
  'errorinvalidsyncstatedata',
  'resyncrequired',
  'errorsyncstateexpired',
]);
const CONSENT_CODES = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'consent_required_error',
  'consentrequired',
]);

export interface GraphApiErrorInit {
  status: number;
  code?: string;
  message?: string;
  kind?: GraphErrorKind;
  retryAfterMs?: number;
  requestId?: string;
  body?: unknown;
  cause?: unknown;
}

export class GraphApiError extends Error {
  /** HTTP status from Graph (0: no answer). */
  readonly status: number;
  /** Graph's (or the token endpoint's) error code, e.g. `ErrorItemNotFound`, `TooManyRequests`. */
  readonly code: string;
  readonly kind: GraphErrorKind;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  /** The parsed error body, when there was one. */
  readonly body?: unknown;
  readonly contractCode: GraphContractCode;
  readonly contractStatus: number;

  constructor(init: GraphApiErrorInit) {
    super(
      init.message ?? `Graph request failed with status ${init.status}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'GraphApiError';
    this.status = init.status;
    this.code = init.code ?? '';
    this.kind =
      init.kind ??
      classifyGraphError(init.status, init.body ?? (init.code ? { error: { code: init.code } } : undefined));
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
    this.body = init.body;
    this.contractCode = CONTRACT[this.kind].code;
    this.contractStatus = CONTRACT[this.kind].status;
  }
}

/** The contract code and status a kind maps to. */
export function contractFor(kind: GraphErrorKind): { code: GraphContractCode; status: number } {
  return CONTRACT[kind];
}

/** Graph's error code from an error body: `{ error: { code } }` (Graph) or `{ error: 'invalid_grant' }` (token endpoint). */
export function graphErrorCode(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const error = body['error'];
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error['code'] === 'string') return error['code'];
  if (typeof body['code'] === 'string') return body['code'];
  return undefined;
}

export function graphErrorMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const error = body['error'];
  if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
  if (typeof body['error_description'] === 'string') return body['error_description'];
  if (typeof body['message'] === 'string') return body['message'];
  return undefined;
}

export function graphRequestId(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body['error'])) return undefined;
  const inner = body['error']['innerError'] ?? body['error']['innererror'];
  return isRecord(inner) && typeof inner['request-id'] === 'string' ? inner['request-id'] : undefined;
}

/**
 * Classifies a failure. Accepts an HTTP status (plus the error body), a `GraphApiError`, the SDK's
 * `GraphError` (`statusCode`, `code`), a token-endpoint error body, or a network error.
 */
export function classifyGraphError(statusOrError: unknown, body?: unknown): GraphErrorKind {
  if (statusOrError instanceof GraphApiError) return statusOrError.kind;
  if (typeof statusOrError === 'number') return classifyStatus(statusOrError, body);
  if (isRecord(statusOrError)) {
    const status = numberField(statusOrError, 'status') ?? numberField(statusOrError, 'statusCode');
    const code =
      typeof statusOrError['code'] === 'string' ? statusOrError['code'] : graphErrorCode(statusOrError);
    const derivedBody =
      body ??
      (isRecord(statusOrError['body']) ? statusOrError['body'] : code ? { error: { code } } : undefined);
    if (status !== undefined && status > 0) return classifyStatus(status, derivedBody);
    if (code && isConsentCode(code)) return 'consent-required';
    if (isNetworkError(statusOrError)) return 'transient';
    if (status !== undefined) return classifyStatus(status, derivedBody);
  }
  return 'unknown';
}

function classifyStatus(status: number, body: unknown): GraphErrorKind {
  const code = graphErrorCode(body) ?? '';
  const lower = code.toLowerCase();
  if (isConsentCode(code)) return 'consent-required';
  if (SYNC_RESET_CODES.has(lower)) return 'sync-reset';
  if (status <= 0) return 'transient';
  if (status === 429) return 'throttled';
  if (status === 410) return 'sync-reset';
  if (status === 500 || status === 502 || status === 503 || status === 504) return 'transient';
  if (status === 401) return 'auth-expired';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (
    status === 400 ||
    status === 405 ||
    status === 409 ||
    status === 412 ||
    status === 413 ||
    status === 415 ||
    status === 422
  ) {
    return 'invalid';
  }
  return 'unknown';
}

/** Token-endpoint answers meaning the user must consent (again): revoked or expired refresh token, consent missing. */
function isConsentCode(code: string): boolean {
  return CONSENT_CODES.has(code.toLowerCase()) || code === 'CONSENT_REQUIRED';
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** A failure without an HTTP answer: reset, refused, DNS, per-attempt timeout. Not a caller's abort. */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof GraphTimeoutError || err instanceof GraphNetworkError) return true;
  if (!isRecord(err)) return false;
  if (err['name'] === 'AbortError') return false;
  const code = err['code'];
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (err instanceof TypeError && /fetch failed|failed to fetch|network|socket|terminated/i.test(err.message))
    return true;
  const cause = err['cause'];
  return cause !== undefined && cause !== err && isNetworkError(cause);
}

/** `fetch` rejected without an answer (reset, refused, DNS): the HTTP middleware wraps it in this. */
export class GraphNetworkError extends Error {
  constructor(cause: unknown) {
    super(
      `Graph request failed without an answer: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'GraphNetworkError';
  }
}

/** One attempt took longer than `timeoutMs`. */
export class GraphTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Graph request attempt timed out after ${timeoutMs} ms`);
    this.name = 'GraphTimeoutError';
  }
}

function numberField(obj: Record<string, unknown>, name: string): number | undefined {
  const v = obj[name];
  return typeof v === 'number' ? v : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Errors thrown inside the chain: keep ours and the caller's abort; name network failures. */
export function chainFailure(err: unknown): unknown {
  if (err instanceof GraphApiError) return err;
  if (isRecord(err) && err['name'] === 'AbortError') return err;
  if (isNetworkError(err)) {
    return new GraphApiError({
      status: NETWORK_ERROR_STATUS,
      code: isRecord(err) && err['name'] === 'GraphTimeoutError' ? 'Timeout' : 'NetworkError',
      message: (err as Error).message,
      kind: 'transient',
      cause: err,
    });
  }
  const code = isRecord(err) && typeof err['code'] === 'string' ? err['code'] : undefined;
  if (code) {
    // e.g. the token provider reporting CONSENT_REQUIRED / invalid_grant
    return new GraphApiError({
      status: NETWORK_ERROR_STATUS,
      code,
      message: (err as Error).message,
      cause: err,
    });
  }
  return err;
}
