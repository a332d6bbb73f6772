/** Reading node's requests: the origin they were addressed to, their body, as Fetch or SimRequest. */
import type { IncomingMessage } from 'node:http';
import type { SimRequest } from '../graph/http';
import { HOP_BY_HOP, simRequestOf } from './wire';

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

export async function readBody(req: IncomingMessage): Promise<Buffer> {
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
