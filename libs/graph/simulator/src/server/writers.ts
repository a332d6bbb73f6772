/**
 * The three ways an answer reaches the socket: a SimResponse from the dispatcher, an encoded
 * WireResponse from a back end thread, a Fetch Response from the msw handlers. Large bodies go out
 * in pieces an event-loop turn apart, so arrivals keep being stamped on time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseText, type SimResponse } from '../graph/http';
import { graphErrorBody, HOP_BY_HOP, type WireResponse } from './wire';

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

export async function writeSimResponse(req: IncomingMessage, res: ServerResponse, sim: SimResponse, head: boolean): Promise<void> {
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

/** Writes an encoded answer, a chunk per event-loop turn (encrypting 17 MB at once would hold back arrivals). */
export async function writeWire(req: IncomingMessage, res: ServerResponse, answer: WireResponse, head: boolean): Promise<void> {
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

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function graphError(code: string, message: string, req: IncomingMessage): unknown {
  return graphErrorBody(code, message, req.headers['client-request-id']);
}

export async function answerWith(req: IncomingMessage, res: ServerResponse, response: Response | undefined, method: string, path: string): Promise<void> {
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
