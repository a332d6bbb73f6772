/**
 * The wire between the HTTPS front end and whatever answers (the simulator on this thread, or a
 * back end on another): the request and answer shapes, and the conversions both ends share.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'msw';
import type { SimRequest, SimResponse } from '../graph/http';

/**
 * What the server needs from a simulator: its msw handlers (an array or a getter), and optionally
 * its core dispatcher, which answers Graph and admin requests without msw or Fetch objects
 * (undefined: not its path, the msw handlers answer).
 */
export interface SimulatorHandlersSource {
  handlers: readonly RequestHandler[] | (() => readonly RequestHandler[]);
  dispatch?: (req: SimRequest) => SimResponse | Promise<SimResponse> | undefined;
}

/** A request as the front end read it. */
export interface WireRequest {
  method: string;
  /** Absolute URL on the server's origin. */
  url: string;
  /** Node's raw header list: name, value, name, value, ... */
  rawHeaders: string[];
  body?: Uint8Array;
  /** When it arrived: `performance.timeOrigin + performance.now()` of the front end (ms since the epoch). */
  receivedAt: number;
}

/** An answer, ready for the wire: the body already encoded (chunks in order). */
export interface WireResponse {
  status: number;
  statusText?: string;
  /** Lower-case names; `set-cookie` as a list. `content-length` is set when there is a body. */
  headers: Record<string, string | string[]>;
  chunks: Uint8Array[];
  /** Destroy the connection instead of answering (a simulated network fault). */
  reset?: boolean;
}

/** What the front end needs from a back end. */
export interface SimulatorBackend {
  handle(req: WireRequest): Promise<WireResponse>;
  /** Extra fields for `GET /api/health`. */
  health(): Promise<Record<string, unknown>>;
}

export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'http2-settings']);

/** The dispatcher's SimRequest from a method, raw header list (name, value, ...), URL and body. */
export function simRequestOf(method: string, rawHeaders: readonly string[], url: URL, raw?: Uint8Array): SimRequest {
  const headers = new Map<string, string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
    const prev = headers.get(name);
    // As Fetch Headers combine repeated fields.
    headers.set(name, prev === undefined ? rawHeaders[i + 1] : `${prev}, ${rawHeaders[i + 1]}`);
  }
  let body: unknown;
  let badJson = false;
  if (raw && method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') {
    const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        badJson = true;
      }
    }
  }
  return { method, url, headers, body, badJson };
}


/** A Fetch Request for msw from a request whose body was already read. */
export function fetchRequestOf(rawHeaders: readonly string[], url: URL, method: string, raw: Uint8Array | undefined): Request {
  const headers = new Headers();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.startsWith(':') || HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers.append(name, rawHeaders[i + 1]);
  }
  return new Request(url, { method, headers, body: raw ?? undefined });
}


/** Graph's error body for answers the simulator's routes did not give (no route, server fault). */
export function graphErrorBody(code: string, message: string, clientRequestId: string | string[] | undefined): unknown {
  const requestId = randomUUID();
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : requestId,
      },
    },
  };
}
