/**
 * The simulator split in two threads: a front end (the HTTPS server on the main thread: TLS, HTTP
 * parsing, the arrival time of every request) and a back end (the tenant, its routes and the msw
 * identity handlers, in a worker thread), talking over a MessagePort.
 *
 * Why: Graph counts a request against its rate limits when it arrives. A seeded tenant of 1,000
 * mailboxes keeps ~1 GB of objects and renders ~17 MB per `$batch` of delta pages; on one thread,
 * its garbage collections and rendering held back the 'request' events of arriving requests by
 * 50–150 ms, so a request sent on time was stamped late and the next one, on time, looked early
 * (a 429 the real service would not give). The front end's heap stays small, so its stamps stay
 * within a millisecond or two of the arrival.
 */
import { Worker, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { getResponse, type RequestHandler } from 'msw';
import { responseText, type SimResponse } from '../graph/http';
import {
  fetchRequestOf,
  graphErrorBody,
  HOP_BY_HOP,
  simRequestOf,
  type SimulatorBackend,
  type SimulatorHandlersSource,
  type WireRequest,
  type WireResponse,
} from './wire';

export type { SimulatorBackend, WireRequest, WireResponse } from './wire';

/** A simulator as the back end serves it. */
export interface BackendSimulator extends SimulatorHandlersSource {
  health?(): Record<string, unknown>;
}

/** The part of a MessagePort (or Worker, or parentPort) both ends use. */
export interface PortLike {
  postMessage(value: unknown, transferList?: readonly TransferListItem[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

type Call = { id: number; kind: 'request'; req: WireRequest } | { id: number; kind: 'health' };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
/** First message of a worker back end: ready (with what it wants printed) or failed to start. */
type Hello = { kind: 'ready'; info: Record<string, unknown> } | { kind: 'failed'; error: string };

/** Bodies are encoded in chunks of about this size (the front end writes them one turn apart). */
const CHUNK = 256 * 1024;

/** Encodes strings (in order) into UTF-8 chunks of about CHUNK bytes, each on its own ArrayBuffer (transferable). */
export function encodeChunks(parts: readonly string[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = (): void => {
    if (!pendingLength) return;
    const text = pending.length === 1 ? pending[0] : pending.join('');
    pending = [];
    pendingLength = 0;
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
    bytes.write(text, 'utf8');
    chunks.push(bytes);
  };
  for (const part of parts) {
    if (!part.length) continue;
    pending.push(part);
    pendingLength += part.length;
    if (pendingLength >= CHUNK) flush();
  }
  flush();
  return chunks;
}

function bodyHeaders(headers: Record<string, string | string[]>, chunks: Uint8Array[]): Record<string, string | string[]> {
  headers['content-length'] = String(chunks.reduce((n, c) => n + c.byteLength, 0));
  return headers;
}

function fromSim(sim: SimResponse): WireResponse {
  if (sim.reset) return { status: 0, headers: {}, chunks: [], reset: true };
  const headers: Record<string, string | string[]> = {};
  for (const name of Object.keys(sim.headers)) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && lower !== 'content-length') headers[lower] = sim.headers[name];
  }
  if (sim.textParts && sim.status !== 204) {
    const chunks = encodeChunks(sim.textParts);
    return { status: sim.status, headers: bodyHeaders(headers, chunks), chunks };
  }
  const text = responseText(sim);
  if (text === null) return { status: sim.status, headers, chunks: [] };
  const chunks = encodeChunks([text]);
  return { status: sim.status, headers: bodyHeaders(headers, chunks), chunks };
}

async function fromFetch(response: Response | undefined, req: WireRequest, path: string): Promise<WireResponse> {
  if (!response) {
    const chunks = encodeChunks([JSON.stringify(graphErrorBody('NotFound', `No route matches ${req.method} ${path}.`, clientRequestId(req)))]);
    return { status: 404, headers: bodyHeaders({ 'content-type': 'application/json; charset=utf-8' }, chunks), chunks };
  }
  // HttpResponse.error(): a network error, as a reset connection.
  if (response.type === 'error') return { status: 0, headers: {}, chunks: [], reset: true };
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !HOP_BY_HOP.has(name)) headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const statusText = response.statusText || undefined;
  if (!response.body) return { status: response.status, statusText, headers, chunks: [] };
  const bytes = new Uint8Array(await response.arrayBuffer());
  const chunks = bytes.byteLength ? [bytes] : [];
  return { status: response.status, statusText, headers: bodyHeaders(headers, chunks), chunks };
}

function clientRequestId(req: WireRequest): string | undefined {
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'client-request-id') return req.rawHeaders[i + 1];
  return undefined;
}

/** Answers one request the way the single-threaded server does: the dispatcher first, else the msw handlers. */
export async function answerWire(simulator: BackendSimulator, req: WireRequest): Promise<WireResponse> {
  const url = new URL(req.url);
  const method = req.method.toUpperCase();
  const body = method !== 'GET' && method !== 'HEAD' ? (req.body ?? new Uint8Array(0)) : undefined;
  if (simulator.dispatch) {
    // the arrival time on this thread's clock (performance.now() counts from each thread's own origin)
    const receivedAt = req.receivedAt - performance.timeOrigin;
    const answer = simulator.dispatch({ ...simRequestOf(method, req.rawHeaders, url, body), receivedAt });
    if (answer !== undefined) return fromSim(await answer);
  }
  const h = simulator.handlers;
  const handlers: RequestHandler[] = [...(typeof h === 'function' ? h() : h)];
  return fromFetch(await getResponse(handlers, fetchRequestOf(req.rawHeaders, url, method, body)), req, url.pathname);
}

/** Serves `simulator` to a front end over `port` (in a worker: `parentPort`). */
export function serveSimulatorBackend(simulator: BackendSimulator, port: PortLike): void {
  port.on('message', (message) => {
    const call = message as Call;
    const work: Promise<unknown> = call.kind === 'health' ? Promise.resolve(simulator.health?.() ?? {}) : answerWire(simulator, call.req);
    work.then(
      (value) => {
        const transfer = call.kind === 'request' ? (value as WireResponse).chunks.map((c) => c.buffer as ArrayBuffer) : [];
        port.postMessage({ id: call.id, ok: true, value } satisfies Reply, transfer);
      },
      (error: unknown) => port.postMessage({ id: call.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies Reply),
    );
  });
}

/** The front end's side of the port: calls answered in order of their replies. */
export class SimulatorBackendClient implements SimulatorBackend {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(private readonly port: PortLike) {
    port.on('message', (message) => {
      const reply = message as Reply;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    });
  }

  handle(req: WireRequest): Promise<WireResponse> {
    return this.call({ kind: 'request', req }) as Promise<WireResponse>;
  }

  health(): Promise<Record<string, unknown>> {
    return this.call({ kind: 'health' }) as Promise<Record<string, unknown>>;
  }

  /** Every pending and later call fails with `error` (the back end is gone). */
  fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  private call(call: { kind: 'request'; req: WireRequest } | { kind: 'health' }): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ id, ...call } satisfies Call);
    });
  }
}

/** Marks the worker a standalone simulator starts for its back end (`workerData.role`). */
export const SIMULATOR_BACKEND_ROLE = 'graph-simulator-backend';

export interface SimulatorWorker {
  backend: SimulatorBackendClient;
  /** What the back end reported when it was ready. */
  info: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * Starts `filename` as a worker with `workerData: { role: SIMULATOR_BACKEND_ROLE }` and waits for
 * it to be ready; the script is expected to call `runSimulatorBackendWorker`. Rejects if it fails
 * to start; once started, `onExit` is told if it stops.
 */
export function startSimulatorWorker(filename: string, onExit: (error: Error) => void): Promise<SimulatorWorker> {
  const worker = new Worker(filename, { workerData: { role: SIMULATOR_BACKEND_ROLE } });
  return new Promise((resolve, reject) => {
    let started = false;
    let closing = false;
    const backend = new SimulatorBackendClient({
      postMessage: (value, transfer) => worker.postMessage(value, transfer),
      on: (_event, listener) => worker.on('message', (m: unknown) => {
        if (started) listener(m);
      }),
    });
    worker.once('message', (m: unknown) => {
      const hello = m as Hello;
      if (hello.kind === 'failed') {
        reject(new Error(hello.error));
        void worker.terminate();
        return;
      }
      started = true;
      resolve({
        backend,
        info: hello.info,
        close: async () => {
          closing = true;
          await worker.terminate();
        },
      });
    });
    worker.on('error', (error) => {
      backend.fail(error);
      if (!started) reject(error);
      else if (!closing) onExit(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`the simulator's back end stopped (exit code ${code})`);
      backend.fail(error);
      if (!started) reject(error);
      else if (!closing) onExit(error);
    });
  });
}

/**
 * In the worker: builds the simulator (errors are reported to the front end, which exits) and
 * serves it. `info`: what the front end prints once ready.
 */
export function runSimulatorBackendWorker(port: MessagePort, build: () => { simulator: BackendSimulator; info: Record<string, unknown> }): void {
  let built: ReturnType<typeof build>;
  try {
    built = build();
  } catch (error) {
    port.postMessage({ kind: 'failed', error: error instanceof Error ? error.message : String(error) } satisfies Hello);
    return;
  }
  serveSimulatorBackend(built.simulator, port);
  port.postMessage({ kind: 'ready', info: built.info } satisfies Hello);
}
