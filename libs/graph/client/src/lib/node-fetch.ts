import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
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
/** How long a kept-alive connection may sit idle in the pool. */
const IDLE_SOCKET_MS = 4_000;
/** Errors of a request written to a connection the server had just closed. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * `fetch` on node:http(s) with keep-alive agents, for the Graph client's last link. Undici's fetch
 * hands a body over as a web stream of 16–64 KB chunks, each transferred and copied again before
 * the text is decoded; for multi-megabyte `$batch` answers that was a tenth of the sync service's
 * CPU. Here the body's chunks are kept as Buffers and joined once. No redirects are followed
 * (Graph's JSON API answers none) and nothing is decompressed (no Accept-Encoding is sent).
 */
export function nodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 64;
  // idle kept-alive connections close after 4 s, before servers' own keep-alive timeouts (5 s for
  // Node's, longer for Graph): a request rarely picks a connection the server is closing
  const agentOptions = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS };
  const https = new HttpsAgent(agentOptions);
  const http = new HttpAgent(agentOptions);
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
    const onWire = init?.onWire;
    return new Promise<Response>((resolve, reject) => {
      let current: ClientRequest | null = null;
      let settled = false;
      const settle = (): void => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      function onAbort(): void {
        if (settled) return;
        settle();
        // the caller's reason as is (an AbortError, a timeout), before the socket's own error
        reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
        current?.destroy();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const send = (retry: boolean): void => {
        let answered = false;
        const req = (tls ? httpsRequest : httpRequest)(url, { method, headers, agent: tls ? https : http }, (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          let length = 0;
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            length += c.length;
          });
          res.on('error', fail);
          res.on('end', () => {
            if (settled) return;
            settle();
            const status = res.statusCode ?? 502;
            const responseInit: ResponseInit = { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res) };
            const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
            resolve(new BufferedResponse(NULL_BODY_STATUS.has(status) ? Buffer.alloc(0) : bytes, responseInit));
          });
        });
        current = req;
        function fail(err: Error): void {
          if (settled) return;
          // the server closed a kept-alive connection as it was picked: nothing was answered, go
          // once more on a new connection (the pattern Node documents for request.reusedSocket)
          if (!retry && !answered && req.reusedSocket && STALE_SOCKET_CODES.has((err as NodeJS.ErrnoException).code ?? '')) {
            send(true);
            return;
          }
          settle();
          reject(err);
        }
        req.on('error', fail);
        if (onWire) {
          // a kept-alive connection: written now; a new one: once connected (and its TLS handshake done)
          req.once('socket', (socket) => {
            if (!socket.connecting) onWire();
            else socket.once(tls ? 'secureConnect' : 'connect', onWire);
          });
        }
        req.end(body ?? undefined);
      };
      send(false);
    });
  };
  return impl as typeof fetch;
}
