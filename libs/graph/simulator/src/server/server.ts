import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';
import { ensureCertificate } from './certificate';
import { readBody, requestOrigin, toFetchRequest, toSimRequestFromNode } from './node-request';
import { fetchRequestOf, type SimulatorBackend, type SimulatorHandlersSource } from './wire';
import { answerWith, graphError, sendJson, writeSimResponse, writeWire } from './writers';

export type { SimulatorHandlersSource } from './wire';

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
