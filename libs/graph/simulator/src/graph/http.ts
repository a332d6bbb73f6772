/**
 * Transport-neutral request/response of the Graph router, so top-level requests (through msw)
 * and `$batch` items go through the same code.
 */
export interface SimRequest {
  method: string;
  url: URL;
  /** Lower-case header names. */
  headers: Map<string, string>;
  body: unknown;
  /** Body text was present but not JSON. */
  badJson?: boolean;
  /**
   * When the request arrived (`performance.now()` of this process; set by the standalone server
   * before the body is read): rate limits count it then, as Graph counts at arrival, not when a
   * busy event loop got round to it.
   */
  receivedAt?: number;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The body already serialised as JSON (then `body` is parsed from it on demand). */
  text?: string;
  /**
   * The same text in pieces, in order (`text` is their join, made on demand): a server writes
   * them as they are, without building one large string (a batch of 20 delta pages is ~17 MB).
   */
  textParts?: readonly string[];
  /** Destroy the connection instead of answering (resetRate). */
  reset?: boolean;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function header(req: SimRequest, name: string): string | undefined {
  return req.headers.get(name.toLowerCase());
}

export function graphDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Throttling answers from Outlook carry no innerError (see graph-error-application-throttled). */
    readonly bare = false,
  ) {
    super(message);
  }
}

export function errorBody(err: GraphError, requestId: string, clientRequestId: string | undefined, nowMs: number): unknown {
  if (err.bare) return { error: { code: err.code, message: err.message } };
  const innerError: Record<string, string> = { date: graphDate(nowMs), 'request-id': requestId };
  innerError['client-request-id'] = clientRequestId ?? requestId;
  return { error: { code: err.code, message: err.message, innerError } };
}

export const badRequest = (code: string, message: string): GraphError => new GraphError(400, code, message);
export const notFound = (code = 'ErrorItemNotFound', message = 'The specified object was not found in the store.'): GraphError =>
  new GraphError(404, code, message);
export const accessDenied = (message = 'Access is denied. Check credentials and try again.'): GraphError =>
  new GraphError(403, 'ErrorAccessDenied', message);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body };
}

/** A JSON answer whose body is already text (hot paths build it from cached fragments). */
export function jsonText(status: number, text: string, headers: Record<string, string> = {}): SimResponse {
  let parsed: unknown;
  let done = false;
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, ...headers },
    text,
    get body(): unknown {
      if (!done) {
        parsed = JSON.parse(text);
        done = true;
      }
      return parsed;
    },
  };
}

/** A JSON answer whose body is already text, in pieces (see `SimResponse.textParts`). */
export function jsonParts(status: number, parts: readonly string[], headers: Record<string, string> = {}): SimResponse {
  let joined: string | undefined;
  let parsed: unknown;
  let done = false;
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, ...headers },
    textParts: parts,
    get text(): string {
      joined ??= parts.join('');
      return joined;
    },
    get body(): unknown {
      if (!done) {
        parsed = JSON.parse(this.text as string);
        done = true;
      }
      return parsed;
    },
  };
}

/** The body of a response as sent: null for no body. */
export function responseText(res: SimResponse): string | null {
  if (res.text !== undefined) return res.status === 204 ? null : res.text;
  const noBody = res.status === 204 || res.body === null || res.body === undefined;
  return noBody ? null : JSON.stringify(res.body);
}

/** The request URL with some query parameters replaced (null removes), `$` kept literal in keys. */
export function linkWith(url: URL, updates: Record<string, string | null>): string {
  const params: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [k, v] of url.searchParams) {
    const lk = k.toLowerCase();
    const hit = Object.keys(updates).find((u) => u.toLowerCase() === lk);
    if (hit) {
      const v = updates[hit];
      if (!seen.has(hit) && v !== null) params.push([hit, v]);
      seen.add(hit);
    } else params.push([k, v]);
  }
  for (const [k, v] of Object.entries(updates)) if (!seen.has(k) && v !== null) params.push([k, v]);
  const qs = params.map(([k, v]) => `${k.replace(/[^$\w.-]/g, encodeURIComponent)}=${encodeURIComponent(v)}`).join('&');
  return `${url.origin}${url.pathname}${qs ? '?' + qs : ''}`;
}
