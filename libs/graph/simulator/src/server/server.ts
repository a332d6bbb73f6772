import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';
import type { SimRequest, SimResponse } from '../graph/http';
import { responseText } from '../graph/http';
import type { SimulatorBackend, WireResponse } from './backend';
import { ensureCertificate } from './certificate';

/**
 * What the server needs from a simulator: its msw handlers (an array or a getter), and optionally
 * its core dispatcher, which answers Graph and admin requests without msw or Fetch objects
 * (undefined: not its path, the msw handlers answer).
 */
export interface SimulatorHandlersSource {
  handlers: readonly RequestHandler[] | (() => readonly RequestHandler[]);
  dispatch?: (req: SimRequest) => SimResponse | Promise<SimResponse> | undefined;
}

export interface StartSimulatorServerOptions {
  /** The simulator, answering on this thread. */
  simulator?: SimulatorHandlersSource;
  /**
   * Or a back end on another thread (`startSimulatorWorker`): this thread only reads requests,
   * stamps their arrival and writes the answers.
   */
  backend?: SimulatorBackend;
  /** HTTPS port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; default 127.0.0.1. On a loopback host ::1 is bound too when available. */
  host?: string;
  /** Where the self-signed certificate lives (reused while valid). */
  certDir: string;
  /** Optional plain-HTTP port (0 picks a free one). MSAL refuses http authorities; for other tools. */
  httpPort?: number;
  /** Extra answer for `GET /api/health` (merged into `{ status: 'ok' }`). */
  health?: () => Record<string, unknown>;
}

export interface SimulatorServer {
  /**
   * `https://localhost:<port>`: what clients use as authority host and Graph base URL. Answers are
   * built on the origin each request named (`https://127.0.0.1:<port>` works the same; the
   * certificate covers localhost, 127.0.0.1 and ::1).
   */
  origin: string;
  httpOrigin?: string;
  port: number;
  httpPort?: number;
  certPath: string;
  keyPath: string;
  /** true when the certificate was created by this start. */
  certificateGenerated: boolean;
  close(): Promise<void>;
}

export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'http2-settings']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startSimulatorServer(options: StartSimulatorServerOptions): Promise<SimulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const { simulator, backend } = options;
  if (!simulator === !backend) throw new Error('startSimulatorServer: give either a simulator or a back end');
  const certificate = await ensureCertificate(options.certDir);
  const handlers = (): RequestHandler[] => {
    const h = simulator?.handlers ?? [];
    return [...(typeof h === 'function' ? h() : h)];
  };

  const servers: Server[] = [];
  const dispatch = simulator?.dispatch?.bind(simulator);
  // Each answer is built on the origin the request came to (its Host), as Microsoft's endpoints
  // answer on the host they were called on: an OpenID issuer or a nextLink naming another host than
  // the client's authority / base URL breaks MSAL (it requires the issuer's host to match) and paging.
  const listener = (originOf: () => string) => (req: IncomingMessage, res: ServerResponse) => {
    const origin = requestOrigin(req, originOf());
    if (backend) void handleRemote(req, res, origin, backend, options.health);
    else void handle(req, res, origin, handlers, options.health, dispatch);
  };

  let origin = '';
  const https = createHttpsServer({ key: certificate.key, cert: certificate.cert, keepAlive: true }, listener(() => origin));
  tune(https);
  const port = await listen(https, options.port, host);
  origin = `https://localhost:${port}`;
  servers.push(https);
  if (LOOPBACK.has(host)) {
    const v6 = createHttpsServer({ key: certificate.key, cert: certificate.cert, keepAlive: true }, listener(() => origin));
    tune(v6);
    if (await listen(v6, port, '::1').then(() => true, () => false)) servers.push(v6);
  }

  let httpOrigin: string | undefined;
  let httpPort: number | undefined;
  if (options.httpPort !== undefined) {
    const plain = createHttpServer({ keepAlive: true }, listener(() => httpOrigin ?? ''));
    tune(plain);
    httpPort = await listen(plain, options.httpPort, host);
    httpOrigin = `http://localhost:${httpPort}`;
    servers.push(plain);
  }

  return {
    origin,
    httpOrigin,
    port,
    httpPort,
    certPath: certificate.certPath,
    keyPath: certificate.keyPath,
    certificateGenerated: certificate.generated,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/**
 * The origin a request was addressed to: the server's scheme with the request's `Host` header
 * (RFC 9110 §7.2), e.g. `https://127.0.0.1:4000` when called so. Falls back to `fallback` (the
 * server's own `https://localhost:<port>`) when Host is absent or is not a bare host[:port].
 */
export function requestOrigin(req: Pick<IncomingMessage, 'headers'>, fallback: string): string {
  const host = req.headers.host;
  // Only a bare authority (reg-name, IPv4 or [IPv6], optional port): nothing smuggled in through Host.
  if (!host || !HOST_HEADER.test(host)) return fallback;
  try {
    return new URL(`${new URL(fallback).protocol}//${host}`).origin;
  } catch {
    return fallback;
  }
}

const HOST_HEADER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

function tune(server: Server): void {
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 120_000;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Converts a node request into a Fetch Request on the server's own origin. */
export async function toFetchRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.startsWith(':') || HOP_BY_HOP.has(name.toLowerCase())) continue;
    headers.append(name, raw[i + 1]);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? await readBody(req) : undefined;
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: body && body.length > 0 ? body : hasBody ? new Uint8Array(0) : undefined,
  });
}

/**
 * A node request as the dispatcher's SimRequest (headers lower-cased and combined as Fetch does,
 * JSON body parsed as the msw adapter does). `raw`: the body, already read.
 */
export function toSimRequestFromNode(req: IncomingMessage, url: URL, raw?: Buffer): SimRequest {
  return simRequestOf((req.method ?? 'GET').toUpperCase(), req.rawHeaders, url, raw);
}

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

/** Bodies larger than this are written in pieces of this size, an event-loop turn apart. */
const WRITE_PIECE = 512 * 1024;

/** Resolves once `res` may take more (at once, or on 'drain'/'close'), one event-loop turn later at least. */
function writable(res: ServerResponse, more: boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (more) {
      setImmediate(resolve);
      return;
    }
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a body given in pieces, ~512 KB per write and an event-loop turn between writes
 * (encoding and encrypting ~17 MB at once — a batch of 20 delta pages — blocked the event loop
 * for 50–100 ms, and requests arriving meanwhile were counted late against the rate limits).
 * Small pieces are gathered; a large one is cut, never inside a surrogate pair.
 */
async function writePieces(res: ServerResponse, parts: readonly string[]): Promise<void> {
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async (): Promise<void> => {
    if (!pendingLength) return;
    const chunk = pending.length === 1 ? pending[0] : pending.join('');
    pending = [];
    pendingLength = 0;
    await writable(res, res.write(chunk, 'utf8'));
  };
  for (const part of parts) {
    if (res.destroyed) return;
    if (part.length < WRITE_PIECE) {
      pending.push(part);
      pendingLength += part.length;
      if (pendingLength >= WRITE_PIECE) await flush();
      continue;
    }
    await flush();
    for (let at = 0; at < part.length && !res.destroyed; ) {
      let end = Math.min(part.length, at + WRITE_PIECE);
      const last = part.charCodeAt(end - 1);
      if (end < part.length && last >= 0xd800 && last <= 0xdbff) end--;
      await writable(res, res.write(part.slice(at, end), 'utf8'));
      at = end;
    }
  }
  await flush();
  res.end();
}

async function writeSimResponse(req: IncomingMessage, res: ServerResponse, sim: SimResponse, head: boolean): Promise<void> {
  if (sim.reset) {
    req.socket.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of Object.keys(sim.headers)) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && lower !== 'content-length') headers[lower] = sim.headers[name];
  }
  if (sim.textParts && sim.status !== 204) {
    let bytes = 0;
    for (const part of sim.textParts) bytes += Buffer.byteLength(part, 'utf8');
    headers['content-length'] = String(bytes);
    res.writeHead(sim.status, headers);
    if (head) res.end();
    else await writePieces(res, sim.textParts);
    return;
  }
  const text = responseText(sim);
  if (text === null) {
    res.writeHead(sim.status, headers);
    res.end();
    return;
  }
  headers['content-length'] = String(Buffer.byteLength(text, 'utf8'));
  res.writeHead(sim.status, headers);
  if (head) res.end();
  else if (text.length <= WRITE_PIECE) res.end(text, 'utf8');
  else await writePieces(res, [text]);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  handlers: () => RequestHandler[],
  health: (() => Record<string, unknown>) | undefined,
  dispatch?: SimulatorHandlersSource['dispatch'],
): Promise<void> {
  const receivedAt = performance.now();
  try {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/api/health') {
      sendJson(res, 200, { status: 'ok', ...(health?.() ?? {}) });
      return;
    }
    if (dispatch) {
      // Fast path: Graph and admin requests go to the simulator's dispatcher directly.
      const url = new URL(req.url ?? '/', origin);
      const method = (req.method ?? 'GET').toUpperCase();
      const raw = method !== 'GET' && method !== 'HEAD' ? await readBody(req) : undefined;
      const answer = dispatch({ ...toSimRequestFromNode(req, url, raw), receivedAt });
      if (answer !== undefined) {
        await writeSimResponse(req, res, await answer, method === 'HEAD');
        return;
      }
      // Not the dispatcher's path (identity): msw, with the body already read.
      const response = await getResponse(handlers(), fetchRequestOf(req.rawHeaders, url, method, raw));
      await answerWith(req, res, response, method, path);
      return;
    }
    const request = await toFetchRequest(req, origin);
    const response = await getResponse(handlers(), request);
    await answerWith(req, res, response, request.method, path);
  } catch (error) {
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    sendJson(res, 500, graphError('InternalServerError', error instanceof Error ? error.message : String(error), req));
  }
}

/** Front end of a two-thread simulator: stamps the arrival, reads the body, lets the back end answer. */
async function handleRemote(
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  backend: SimulatorBackend,
  health: (() => Record<string, unknown>) | undefined,
): Promise<void> {
  const receivedAt = performance.timeOrigin + performance.now();
  try {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/api/health') {
      sendJson(res, 200, { status: 'ok', ...(await backend.health()), ...(health?.() ?? {}) });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = method !== 'GET' && method !== 'HEAD' ? await readBody(req) : undefined;
    const url = new URL(req.url ?? '/', origin).href;
    const answer = await backend.handle({ method, url, rawHeaders: req.rawHeaders, body: raw, receivedAt });
    await writeWire(req, res, answer, method === 'HEAD');
  } catch (error) {
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    sendJson(res, 500, graphError('InternalServerError', error instanceof Error ? error.message : String(error), req));
  }
}

/** Writes an encoded answer, a chunk per event-loop turn (encrypting 17 MB at once would hold back arrivals). */
async function writeWire(req: IncomingMessage, res: ServerResponse, answer: WireResponse, head: boolean): Promise<void> {
  if (answer.reset) {
    req.socket.destroy();
    return;
  }
  if (answer.statusText) res.writeHead(answer.status, answer.statusText, answer.headers);
  else res.writeHead(answer.status, answer.headers);
  if (head || !answer.chunks.length) {
    res.end();
    return;
  }
  const pieces: Uint8Array[] = [];
  for (const chunk of answer.chunks) {
    for (let at = 0; at < chunk.byteLength; at += WIRE_PIECE) pieces.push(chunk.subarray(at, Math.min(chunk.byteLength, at + WIRE_PIECE)));
  }
  const last = pieces.length - 1;
  for (let i = 0; i < last && !res.destroyed; i++) await writable(res, res.write(pieces[i]));
  res.end(pieces[last]);
}

/** Encoded answers are written in pieces of at most this size, an event-loop turn apart. */
const WIRE_PIECE = 256 * 1024;

async function answerWith(req: IncomingMessage, res: ServerResponse, response: Response | undefined, method: string, path: string): Promise<void> {
  if (!response) {
    sendJson(res, 404, graphError('NotFound', `No route matches ${method} ${path}.`, req));
    return;
  }
  if (response.type === 'error') {
    // HttpResponse.error(): a network error, as a reset connection.
    req.socket.destroy();
    return;
  }
  await writeResponse(res, response, method === 'HEAD');
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

/** Bodies up to this size are sent in one write with a content-length; larger ones stream. */
const BUFFER_LIMIT = 256 * 1024;

async function writeResponse(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie' || HOP_BY_HOP.has(name)) return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const statusText = response.statusText || undefined;
  if (!response.body || head) {
    res.writeHead(response.status, statusText, headers);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const buffered: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      // The whole body fitted: one write, with its length (cheaper than chunked encoding).
      const body = Buffer.concat(buffered);
      delete headers['content-length'];
      res.writeHead(response.status, statusText, { ...headers, 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    buffered.push(value);
    size += value.length;
    if (size > BUFFER_LIMIT) break;
  }
  res.writeHead(response.status, statusText, headers);
  for (const chunk of buffered) res.write(chunk);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
  }
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function graphError(code: string, message: string, req: IncomingMessage): unknown {
  return graphErrorBody(code, message, req.headers['client-request-id']);
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
