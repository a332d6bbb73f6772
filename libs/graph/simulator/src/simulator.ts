/**
 * Composition root: one simulator instance = tenant state + identity platform + Graph v1.0 +
 * admin API, as msw handlers that work in process (real Microsoft hosts, `setupServer`) and
 * standalone (any origin, `getResponse`).
 */
import { SystemClock, type Clock } from '@ocb/clock';
import { http, type HttpHandler } from 'msw';
import { createIdentityPlatform, type IdentityPlatform, type IdentityPlatformDeps, type SigningKey } from './identity';
import { SimState } from './state/store';
import { Rng } from './state/prng';
import { GraphPipeline } from './graph/pipeline';
import type { GraphDeps, GraphOptions } from './graph/context';
import { DEFAULT_LIMITS, Limits, type LimitSettings } from './graph/limits';
import { Stats } from './graph/stats';
import { toResponse, toSimRequest } from './graph/msw';
import type { SimRequest, SimResponse } from './graph/http';
import { GraphError } from './graph/http';
import { Faults, type FaultSettings, type FaultSettingsUpdate } from './faults/faults';
import { seedTenant, type SeedOptions } from './seed/seed';
import { loadTenant, TenantError, type ExplicitTenant } from './seed/tenant';
import { handleAdmin } from './admin/admin';
import type { AdminTarget, SeedRequest } from './admin/admin-target';
import { Subscriptions, type NotificationSettings } from './subscriptions/subscriptions';
import type { NotificationTransport } from './subscriptions/transport';

export interface SimulatorOptions {
  /** Seeds ids, generated tenants and the fault sequence. Default 1. */
  seed?: number;
  clock?: Clock;
  tokenLifetimeSeconds?: number;
  /** A tenant to start with (generated or explicit); empty when omitted. */
  tenant?: SeedOptions | { tenant: ExplicitTenant };
  /** Graph host name clients use in process. Default graph.microsoft.com. */
  graphHost?: string;
  /** Identity platform origin named in WWW-Authenticate for in-process Graph calls. */
  authorityOrigin?: string;
  outlookWebOrigin?: string;
  teamsOrigin?: string;
  limits?: Partial<LimitSettings>;
  /** Reuse a signing key (tests create many simulators). */
  signingKey?: SigningKey;
  /** Change notification delivery (latency, drop rate, retries). */
  notifications?: Partial<NotificationSettings>;
  /** How notifications reach subscribers (default: fetch). */
  notificationTransport?: NotificationTransport;
  /** Replace the identity platform (tests). */
  identity?: (deps: IdentityPlatformDeps) => IdentityPlatform;
}

export type { SeedRequest } from './admin/admin-target';

export interface Simulator extends AdminTarget {
  readonly handlers: HttpHandler[];
  readonly clock: Clock;
  readonly tenantId: string;
  /** Graph request pipeline (for tools that bypass msw). */
  readonly graph: GraphPipeline;
  /** App-only Graph token of the default app registration. */
  appToken(roles?: string[]): string;
  /** Delegated Graph token for a user (id or UPN). */
  userToken(user: string, scopes?: string[]): string;
  /** Admin API without HTTP. */
  admin(req: SimRequest): Promise<SimResponse>;
  /**
   * The core dispatcher: Graph (`/v1.0/...`) and admin (`/_sim/...`) requests without msw or
   * Fetch objects; undefined for paths it does not serve (the identity platform's, which only the
   * msw handlers answer). The msw handlers are thin adapters over it; the standalone server calls
   * it directly.
   */
  dispatch(req: SimRequest): Promise<SimResponse> | undefined;
  describe(): string;
}

export const DEFAULT_GRAPH_OPTIONS: GraphOptions = {
  graphHost: 'graph.microsoft.com',
  authorityOrigin: 'https://login.microsoftonline.com',
  outlookWebOrigin: 'https://outlook.office365.com',
  teamsOrigin: 'https://teams.microsoft.com',
};

/** Identity platform paths (answered by its msw handlers, which come first in `handlers`). */
const IDENTITY_PATH = /\/(?:oauth2\/v2\.0\/(?:token|authorize)|v2\.0\/\.well-known\/|discovery\/)/;

/** Which pipeline a path belongs to, as the msw handlers' patterns (`*\/v1.0/*`, `*\/_sim/*`) match. */
export function dispatchTarget(pathname: string): 'graph' | 'admin' | undefined {
  if (IDENTITY_PATH.test(pathname)) return undefined;
  if (pathname.includes('/v1.0/')) return 'graph';
  if (pathname.includes('/_sim/')) return 'admin';
  return undefined;
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  let seed = options.seed ?? 1;
  const clock = options.clock ?? new SystemClock();
  const now = () => clock.now();
  const state = new SimState(seed, now);
  const rng = new Rng(seed ^ 0x6a09e667);
  const graphOptions: GraphOptions = {
    graphHost: options.graphHost ?? DEFAULT_GRAPH_OPTIONS.graphHost,
    authorityOrigin: options.authorityOrigin ?? DEFAULT_GRAPH_OPTIONS.authorityOrigin,
    outlookWebOrigin: options.outlookWebOrigin ?? DEFAULT_GRAPH_OPTIONS.outlookWebOrigin,
    teamsOrigin: options.teamsOrigin ?? DEFAULT_GRAPH_OPTIONS.teamsOrigin,
  };
  const identityDeps: IdentityPlatformDeps = {
    tenantId: state.tenantId,
    apps: () => state.apps,
    findUser: (idOrUpn) => state.findUser(idOrUpn),
    listUsers: () => state.users,
    clock,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    signingKey: options.signingKey,
  };
  const identity = (options.identity ?? createIdentityPlatform)(identityDeps);
  const limits = new Limits(now, { ...DEFAULT_LIMITS, ...options.limits });
  const faults = new Faults(seed);
  const stats = new Stats();
  const subscriptions = new Subscriptions(state, clock, new Rng(seed ^ 0x5ab5c71b), state.tenantId, options.notificationTransport);
  const notificationDefaults = { ...subscriptions.settings, ...options.notifications };
  subscriptions.settings = { ...notificationDefaults };
  const graphDeps: GraphDeps = { state, clock, rng, options: graphOptions, subscriptions };
  const graph = new GraphPipeline({ ...graphDeps, identity, limits, faults, stats });

  const joinUrl = () => `${graphOptions.teamsOrigin}/l/meetup-join/19%3ameeting_${rng.hex(32)}%40thread.v2/0`;

  const sim: Simulator = {
    handlers: [],
    state,
    identity,
    clock,
    tenantId: state.tenantId,
    graph,
    graphDeps,
    subscriptions,
    reset() {
      state.clear();
      subscriptions.reset();
      subscriptions.settings = { ...notificationDefaults };
      faults.reset(seed);
      limits.reset();
      stats.reset();
      identity.reset();
    },
    seed(request) {
      if (request && typeof request === 'object' && 'tenant' in request && request.tenant) {
        try {
          const r = loadTenant(state, request.tenant, joinUrl);
          limits.reset();
          return r;
        } catch (e) {
          if (e instanceof TenantError) throw new GraphError(400, 'BadRequest', e.message);
          throw e;
        }
      }
      const o = request as Partial<SeedOptions>;
      const users = o.users ?? 50;
      const eventsPerUser = o.eventsPerUser ?? 200;
      if (!Number.isInteger(users) || users < 0 || users > 200_000) throw new GraphError(400, 'BadRequest', 'users must be an integer between 0 and 200000.');
      if (!Number.isInteger(eventsPerUser) || eventsPerUser < 0 || eventsPerUser > 10_000) {
        throw new GraphError(400, 'BadRequest', 'eventsPerUser must be an integer between 0 and 10000.');
      }
      if (o.seed !== undefined) {
        if (!Number.isInteger(o.seed)) throw new GraphError(400, 'BadRequest', 'seed must be an integer.');
        seed = o.seed;
      }
      limits.reset();
      return seedTenant(state, clock.now(), { users, eventsPerUser, seed, teamsOrigin: graphOptions.teamsOrigin });
    },
    get faults(): FaultSettings {
      return faults.get();
    },
    set faults(update: FaultSettingsUpdate) {
      faults.update(update);
    },
    stats: () => stats.snapshot(limits.peak),
    resetStats() {
      stats.reset();
      limits.resetPeaks();
    },
    appToken: (roles) => identity.mintForTests({ kind: 'app', roles }),
    userToken: (user, scopes) => identity.mintForTests({ kind: 'user', user, scopes }),
    admin: (req) => handleAdmin(sim, req),
    dispatch: (req) => {
      const target = dispatchTarget(req.url.pathname);
      if (target === 'graph') return graph.handle(req);
      if (target === 'admin') return handleAdmin(sim, req);
      return undefined;
    },
    describe: () => `${state.users.length} users, ${state.mailboxes.length} mailboxes, ${state.mailboxes.reduce((n, m) => n + m.items.length, 0)} items`,
  };

  const graphHandler = http.all('*/v1.0/*', async ({ request }) => toResponse(await graph.handle(await toSimRequest(request))));
  const adminHandler = http.all('*/_sim/*', async ({ request }) => toResponse(await handleAdmin(sim, await toSimRequest(request))));
  sim.handlers.push(...identity.handlers(), graphHandler, adminHandler);

  if (options.tenant) sim.seed(options.tenant as SeedRequest);
  return sim;
}
