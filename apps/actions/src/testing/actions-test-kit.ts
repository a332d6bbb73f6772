import type { INestApplication } from '@nestjs/common';
/**
 * Test wiring for the actions service: the app on a random port against the in-process Graph
 * simulator, with auth and sync replaced by providers (a token source minting the simulator's
 * delegated tokens; a sync refresher fake that records calls and serves details built from Graph).
 */
import type { DatabaseKind } from '@ocb/persistence';
import { ServiceError, type EventDetail, type RefreshResult, type UserTokenResponse } from '@ocb/service-clients';
import { createTestApp, createTestDatabase, PLATFORM_AUTH, startInProcessSimulator, type InProcessSimulator, type TestDatabase } from '@ocb/testing';
import type { GraphEvent } from '@ocb/graph-client';
import type { SimUser } from '@ocb/graph-simulator';
import { AppModule } from '../app.module';
import { loadActionsConfig, type ActionsConfig } from '../config/actions.config';
import { eventDetailFromGraph } from '../events/event-detail.mapper';
import { DelegatedTokens } from '../graph/delegated-tokens';
import { createGraphClient } from '../graph/graph-client.factory';
import { GraphLimiter } from '../graph/graph-limiter';
import { DELEGATED_TOKEN_SOURCE, GRAPH_CLIENT, type DelegatedTokenSource } from '../graph/graph.tokens';
import { SYNC_REFRESHER, type SyncRefresher } from '../sync/sync.tokens';
import { APP_CONFIG } from '@ocb/config';

/** Delegated tokens straight from the simulator's identity platform; some users "not connected". */
export class SimTokenSource implements DelegatedTokenSource {
  readonly calls: string[] = [];
  readonly notConnected = new Set<string>();

  constructor(private readonly sim: InProcessSimulator) {}

  async userToken(user: string): Promise<UserTokenResponse> {
    this.calls.push(user);
    const u = this.sim.simulator.state.findUser(user);
    if (!u) throw new ServiceError(404, 'NOT_FOUND', `Unknown user ${user}`);
    if (this.notConnected.has(u.id)) {
      throw new ServiceError(409, 'CONSENT_REQUIRED', `${u.userPrincipalName} has not connected Outlook`, {
        connectUrl: `http://auth.test/api/auth/connect?user=${encodeURIComponent(u.id)}`,
      });
    }
    return {
      accessToken: this.sim.simulator.userToken(u.id),
      expiresOn: new Date(Date.now() + 3_600_000).toISOString(),
      userId: u.id,
      userPrincipalName: u.userPrincipalName,
    };
  }
}

/** Sync as a fake: records every refresh (in order) and answers details built from Graph. */
export class FakeSyncRefresher implements SyncRefresher {
  /** Every call, in order: `refresh:<user>` / `event:<user>:<id>`. */
  readonly calls: string[] = [];
  refreshes: string[] = [];
  /** Make sync unreachable. */
  down = false;

  constructor(private readonly sim: InProcessSimulator) {}

  async refreshUser(user: string): Promise<RefreshResult> {
    this.calls.push(`refresh:${user}`);
    if (this.down) throw new ServiceError(503, 'UPSTREAM_UNAVAILABLE', 'POST sync unreachable: connect ECONNREFUSED');
    this.refreshes.push(user);
    return { eventsUpserted: 1, eventsRemoved: 0 };
  }

  async event(user: string, eventId: string): Promise<EventDetail> {
    this.calls.push(`event:${user}:${eventId}`);
    if (this.down) throw new ServiceError(503, 'UPSTREAM_UNAVAILABLE', 'GET sync unreachable');
    const res = await fetch(`${this.sim.graphBaseUrl}/v1.0/users/${encodeURIComponent(user)}/events/${encodeURIComponent(eventId)}`, {
      headers: { Authorization: `Bearer ${this.sim.simulator.userToken(user)}`, Prefer: 'outlook.body-content-type="text"' },
    });
    if (!res.ok) throw new ServiceError(404, 'NOT_FOUND', `event ${eventId} not in the cache`);
    return { ...eventDetailFromGraph((await res.json()) as GraphEvent), fromSync: true } as EventDetail;
  }
}

/**
 * A JSON answer under test, read loosely by the assertions: any member, element or array method
 * can be reached (each is Json again) and compared with `expect`; where a test needs a string
 * (a path segment) it says so with `String(...)`. Not `any`: a Json never flows into typed code unseen.
 */
export interface Json {
  readonly [key: string]: Json;
  readonly [index: number]: Json;
  (...args: unknown[]): Json;
  [Symbol.iterator](): Iterator<Json>;
}

export interface ActionsHarness {
  url: string;
  /** The Nest application (its router, for route-level checks). */
  nest: INestApplication;
  sim: InProcessSimulator;
  db: TestDatabase;
  config: ActionsConfig;
  tokens: SimTokenSource;
  sync: FakeSyncRefresher;
  /** Tenant users with a mailbox. */
  users: SimUser[];
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Json }>;
  /** Graph writes the simulator counted (POST/PATCH/DELETE of events), all routes. */
  writes(): Promise<number>;
  /** Events stored in a mailbox (the simulator's admin view). */
  mailbox(user: string): Promise<Array<Record<string, Json>>>;
  /** Reads an event from Graph as the user (instants in UTC). */
  graphEvent(user: string, id: string): Promise<Record<string, Json>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  kind?: DatabaseKind;
  env?: Record<string, string>;
  /** Keep auth and sync as in production (AuthClient / SyncClient on their URLs). */
  productionClients?: boolean;
  /** A second replica: this harness's simulator and database (its close leaves them to the first). */
  replicaOf?: ActionsHarness;
}

export async function startActions(options: HarnessOptions = {}): Promise<ActionsHarness> {
  const first = options.replicaOf;
  const sim = first?.sim ?? startInProcessSimulator({ users: 4, eventsPerUser: 0, seed: 7 });
  const db = first?.db ?? (await createTestDatabase(options.kind ?? 'sqlite', 'actions'));
  const config = loadActionsConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SWAGGER_ENABLED: 'false',
    DATABASE_URL: db.url,
    GRAPH_BASE_URL: sim.graphBaseUrl,
    GRAPH_MAX_RETRIES: '3',
    ...options.env,
  });
  const tokens = new SimTokenSource(sim);
  const sync = new FakeSyncRefresher(sim);
  const app = await createTestApp(AppModule.forRoot(config), {}, (builder) => {
    let b = builder.overrideProvider(GRAPH_CLIENT).useFactory({
      // The production factory, with short backoffs so retries do not slow the suite.
      factory: (c: ActionsConfig, t: DelegatedTokens, l: GraphLimiter) => createGraphClient(c, t, l.limiter, { retryBaseDelayMs: 5, retryMaxDelayMs: 20 }),
      inject: [APP_CONFIG, DelegatedTokens, GraphLimiter],
    });
    if (!options.productionClients) {
      b = b.overrideProvider(DELEGATED_TOKEN_SOURCE).useValue(tokens).overrideProvider(SYNC_REFRESHER).useValue(sync);
    }
    return b;
  });
  const users = sim.simulator.state.users.filter((u) => u.hasMailbox);
  const api: ActionsHarness['api'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${app.url}/api${path}`, {
      method,
      headers: { ...PLATFORM_AUTH, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url: app.url,
    nest: app.app,
    sim,
    db,
    config,
    tokens,
    sync,
    users,
    api,
    async writes() {
      const stats = (await (await sim.admin('stats')).json()) as { writes: Record<string, number> };
      return Object.values(stats.writes).reduce((n, v) => n + v, 0);
    },
    async mailbox(user) {
      const res = await sim.admin(`users/${encodeURIComponent(user)}/events`);
      return ((await res.json()) as { value: Array<Record<string, Json>> }).value;
    },
    async graphEvent(user, id) {
      const res = await fetch(`${sim.graphBaseUrl}/v1.0/users/${encodeURIComponent(user)}/events/${encodeURIComponent(id)}`, {
        headers: { Authorization: `Bearer ${sim.simulator.userToken(user)}`, Prefer: 'outlook.timezone="UTC"' },
      });
      return (await res.json()) as Record<string, Json>;
    },
    async close() {
      await app.close();
      if (first) return;
      sim.close();
      await db.drop();
    },
  };
}
