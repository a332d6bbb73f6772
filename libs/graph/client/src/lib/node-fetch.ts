import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isAscii } from 'node:buffer';

/**
 * A `Response` whose body was read whole into one Buffer by `nodeFetch`. `text()`, `json()`,
 * `arrayBuffer()` and `clone()` answer from that buffer; `bytes` gives it without a copy.
 */
export class BufferedResponse extends Response {
  constructor(
    readonly bytes: Buffer,
    init: ResponseInit,
  ) {
    super(null, init);
  }

  // properties, not methods: the DOM typings declare the body readers as properties of Response
  override arrayBuffer = async (): Promise<ArrayBuffer> =>
    this.bytes.buffer.slice(this.bytes.byteOffset, this.bytes.byteOffset + this.bytes.byteLength) as ArrayBuffer;

  override text = async (): Promise<string> => decodeBody(this.bytes);

  override json = async (): Promise<unknown> => JSON.parse(decodeBody(this.bytes));

  override clone = (): BufferedResponse => new BufferedResponse(this.bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
}

/** UTF-8 text of a body; an ASCII-only body (the usual Graph answer) becomes a one-byte string directly. */
export function decodeBody(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('ascii') : bytes.toString('utf8');
}

/** An extra `RequestInit` member nodeFetch understands (fetch ignores it). */
export interface WireHook {
  /** Called once, when the request is written to its connection (after the handshake of a new one). */
  onWire?: () => void;
}

export interface NodeFetchOptions {
  /** Sockets per origin at most (default 64). */
  maxSockets?: number;
}

type HeaderInit = ConstructorParameters<typeof Headers>[0];

function headerObject(init: HeaderInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  new Headers(init).forEach((value, key) => (out[key] = value));
  return out;
}

function responseHeaders(res: IncomingMessage): Headers {
  const h = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) h.append(raw[i], raw[i + 1]);
  return h;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

/**
 * `fetch` on node:http(s) with keep-alive agents, for the Graph client's last link. Undici's fetch
 * hands a body over as a web stream of 16–64 KB chunks, each transferred and copied again before
 * the text is decoded; for multi-megabyte `$batch` answers that was a tenth of the sync service's
 * CPU. Here the body's chunks are kept as Buffers and joined once. No redirects are followed
 * (Graph's JSON API answers none) and nothing is decompressed (no Accept-Encoding is sent).
 */
export function nodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 64;
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const impl = (input: string | URL | Request, init?: RequestInit & WireHook): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = headerObject(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      return Promise.reject(new TypeError('nodeFetch sends string or byte bodies only'));
    }
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    const tls = url.protocol === 'https:';
    return new Promise<Response>((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(url, { method, headers, agent: tls ? https : http }, (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          length += c.length;
        });
        res.on('error', fail);
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 502;
          const init: ResponseInit = { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res) };
          const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
          resolve(NULL_BODY_STATUS.has(status) ? new BufferedResponse(Buffer.alloc(0), init) : new BufferedResponse(bytes, init));
        });
      });
      function fail(err: Error): void {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      }
      function onAbort(): void {
        // the caller's reason as is (an AbortError, a timeout), before the socket's own error
        reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
        req.destroy();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      const onWire = init?.onWire;
      if (onWire) {
        // a kept-alive connection: written now; a new one: once connected (and its TLS handshake done)
        req.once('socket', (socket) => {
          if (!socket.connecting) onWire();
          else socket.once(tls ? 'secureConnect' : 'connect', onWire);
        });
      }
      req.end(body ?? undefined);
    });
  };
  return impl as typeof fetch;
}
