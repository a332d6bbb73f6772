import type { Clock } from '@ocb/clock';
import { createSimulator, DEFAULT_GRAPH_OPTIONS, type Simulator } from '@ocb/graph-simulator';
import { setupServer, type SetupServer } from 'msw/node';

export interface InProcessSimulatorOptions {
  /** Seeds ids, data and faults (default 1). */
  seed?: number;
  /** Users to generate (default 5); 0 leaves the tenant empty. */
  users?: number;
  /** Events per generated user (default 20). */
  eventsPerUser?: number;
  clock?: Clock;
}

export interface InProcessSimulator {
  simulator: Simulator;
  /** msw server, listening with `onUnhandledRequest: 'bypass'` (local HTTP to the app under test passes). */
  server: SetupServer;
  /** Where the in-process Graph answers (GRAPH_BASE_URL of the services under test). */
  graphBaseUrl: string;
  /** Where the in-process identity platform answers (AUTHORITY_HOST). */
  authorityHost: string;
  /**
   * fetch to the admin API: `admin('faults', { method: 'PUT', body: { throttleRate: 0.1 } })`
   * (`faults`, `/faults` and `/_sim/faults` all name the same route; an object body is sent as JSON).
   */
  admin(path: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }): Promise<Response>;
  close(): void;
}

/**
 * Starts the Graph + identity simulator inside this process: msw intercepts `fetch` to the real
 * Microsoft hosts, so services configured with the default GRAPH_BASE_URL / AUTHORITY_HOST talk
 * to it unchanged.
 */
export function startInProcessSimulator(options: InProcessSimulatorOptions = {}): InProcessSimulator {
  const seed = options.seed ?? 1;
  const users = options.users ?? 5;
  const simulator = createSimulator({
    seed,
    clock: options.clock,
    tenant: users > 0 ? { users, eventsPerUser: options.eventsPerUser ?? 20, seed } : undefined,
  });
  const server = setupServer(...simulator.handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  const graphBaseUrl = `https://${DEFAULT_GRAPH_OPTIONS.graphHost}`;
  const authorityHost = DEFAULT_GRAPH_OPTIONS.authorityOrigin;
  let closed = false;
  return {
    simulator,
    server,
    graphBaseUrl,
    authorityHost,
    admin(path, init = {}) {
      const route = path.replace(/^\/+/, '').replace(/^_sim\/?/, '');
      const { body, headers, ...rest } = init;
      const json = body !== undefined && typeof body !== 'string' && !(body instanceof URLSearchParams);
      return fetch(`${graphBaseUrl}/_sim/${route}`, {
        ...rest,
        headers: json
          ? { 'Content-Type': 'application/json', ...(headers as Record<string, string> | undefined) }
          : headers,
        body:
          body === undefined ? undefined : json ? JSON.stringify(body) : (body as string | URLSearchParams),
      });
    },
    close() {
      if (closed) return;
      closed = true;
      server.close();
    },
  };
}
