/**
 * Every Graph request, top-level or `$batch` item: route → token → user and mailbox →
 * permissions → throttling → injected faults → handler, with Graph's error bodies, request ids and
 * stats.
 */
import type { IdentityPlatform } from '../identity';
import type { Faults } from '../faults/faults';
import { FAULT_ERRORS } from '../faults/faults';
import type { SimPrincipal, TokenCheck } from '../state/types';
import { Rng } from '../state/prng';
import { Ctx, type GraphDeps } from './context';
import type { SimRequest, SimResponse } from './http';
import { errorBody, GraphError, header, json } from './http';
import type { Limits } from './limits';
import { matchRoute, type Access, type RouteMatch } from './router';
import type { Stats } from './stats';
import { runBatch } from './batch';

export interface PipelineDeps extends GraphDeps {
  identity: IdentityPlatform;
  limits: Limits;
  faults: Faults;
  stats: Stats;
}

const GRAPH_CLIENT_ID = '00000003-0000-0000-c000-000000000000';

const AUTH_MESSAGES: Record<string, string> = {
  missing: 'Access token is empty.',
  malformed: 'IDX14100: JWT is not well formed, there are no dots (.).',
  invalid_signature: 'Access token validation failure.',
  expired: 'Access token has expired or is not yet valid.',
  revoked: 'Access token has been revoked.',
  wrong_audience: 'Access token validation failure. Invalid audience.',
};

const has = (list: string[], wanted: string[]): boolean => list.some((x) => wanted.includes(x.toLowerCase()));

export class GraphPipeline {
  private requestIds: Rng;

  constructor(readonly deps: PipelineDeps) {
    this.requestIds = new Rng(0x2e9e57 ^ deps.rng.u32());
  }

  reseed(seed: number): void {
    this.requestIds = new Rng(seed ^ 0x2e9e57);
  }

  /** A top-level request (from msw or the standalone server). */
  handle(req: SimRequest): Promise<SimResponse> {
    return this.run(req, false);
  }

  /** One `$batch` item (no connection resets, no latency of its own). */
  /**
   * One `$batch` item. `turn`: when its handler may run. The item is counted against the rate
   * limits at once (Graph counts a batch's items when the batch arrives); only its work waits.
   */
  handleItem(req: SimRequest, turn?: Promise<void>): Promise<SimResponse> {
    return this.run(req, true, turn);
  }

  private segments(req: SimRequest): string[] | undefined {
    const path = req.url.pathname;
    const i = path.toLowerCase().indexOf('/v1.0');
    if (i < 0) return undefined;
    const rest = path.slice(i + 5).replace(/^\/+|\/+$/g, '');
    if (!rest) return [];
    try {
      return rest.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return undefined;
    }
  }

  private async run(req: SimRequest, item: boolean, turn?: Promise<void>): Promise<SimResponse> {
    const { deps } = this;
    const requestId = this.requestIds.guid();
    const clientRequestId = header(req, 'client-request-id');
    const method = req.method.toUpperCase();
    const segs = this.segments(req) ?? [];
    let key = `${method} (unknown)`;
    let res: SimResponse;
    let release: (() => void) | undefined;
    try {
      if (!item && method === 'POST' && segs.length === 1 && segs[0] === '$batch') {
        key = 'POST /$batch';
        res = await this.batch(req);
      } else {
        const m = matchRoute(method, segs);
        if ('notFound' in m) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${m.notFound}'.`);
        if ('methodNotAllowed' in m) {
          key = m.methodNotAllowed;
          throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
        }
        key = m.key;
        const principal = this.authenticate(req);
        const ctx = new Ctx(req, deps, principal, m.params);
        this.resolveTarget(ctx, m);
        const throttleKey = `${principal.appId}|${ctx.user?.id ?? '-'}`;
        deps.limits.maxRequestsPerSecond = deps.faults.maxRequestsPerSecond;
        // counted at arrival: the simulator clock's now, less the real time the request has waited here
        const arrived = req.receivedAt === undefined ? undefined : deps.clock.now() - Math.max(0, performance.now() - req.receivedAt);
        const limited = deps.limits.admit(throttleKey, arrived);
        if (limited) throw limited;
        // POSTs that only read (getSchedule, findMeetingTimes) are routes with read access.
        const isWrite = method !== 'GET' && m.route.access !== 'calendarRead' && m.route.access !== 'subscriptions';
        const decision = deps.faults.decide(key, isWrite, !item);
        if (turn) await turn;
        if (ctx.mailbox) {
          const busy = deps.limits.acquire(ctx.target.id, throttleKey);
          if (busy) throw busy;
          const mailboxId = ctx.target.id;
          release = () => deps.limits.release(mailboxId);
        }
        if (decision.latencyMs > 0) await deps.clock.sleep(decision.latencyMs);
        if (decision.kind === 'reset') {
          res = { status: 0, headers: {}, body: null, reset: true };
        } else if (decision.kind === 'throttle') {
          const seconds = decision.retryAfterSeconds ?? 1;
          deps.limits.markThrottled(throttleKey, seconds * 1000);
          throw new GraphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': String(seconds) });
        } else if (decision.kind === 'error') {
          const status = decision.status ?? 500;
          const e = FAULT_ERRORS[status];
          throw new GraphError(status, e.code, e.message, status === 503 ? { 'Retry-After': '3' } : {});
        } else {
          res = await m.route.handler(ctx);
          if (isWrite) deps.stats.recordWrite(key);
        }
      }
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      const headers: Record<string, string> = { ...err.headers };
      if (err.status === 401) headers['WWW-Authenticate'] = this.wwwAuthenticate(req);
      res = json(err.status, errorBody(err, requestId, clientRequestId, deps.clock.now()), headers);
    } finally {
      release?.();
    }
    if (!res.reset) {
      res.headers['request-id'] = requestId;
      res.headers['client-request-id'] = clientRequestId ?? requestId;
    }
    deps.stats.record(key, res.reset ? 'reset' : res.status);
    return res;
  }

  private wwwAuthenticate(req: SimRequest): string {
    const o = this.deps.options;
    const authority = req.url.hostname === o.graphHost ? o.authorityOrigin : req.url.origin;
    return `Bearer realm="", authorization_uri="${authority}/common/oauth2/authorize", client_id="${GRAPH_CLIENT_ID}"`;
  }

  private authenticate(req: SimRequest): SimPrincipal {
    const check: TokenCheck = this.deps.identity.verify(header(req, 'authorization') ?? null);
    if (!check.ok) throw new GraphError(401, 'InvalidAuthenticationToken', AUTH_MESSAGES[check.reason] ?? 'Access token validation failure.');
    return check.principal;
  }

  private resolveTarget(ctx: Ctx, m: RouteMatch): void {
    const { principal } = ctx;
    const { route, params } = m;
    const state = this.deps.state;
    if (params.me) {
      if (principal.kind !== 'user' || !principal.userId) {
        throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
      }
      ctx.user = state.findUser(principal.userId);
      if (!ctx.user) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${principal.userId}' does not exist or one of its queried reference-property objects are not present.`);
    } else if (params.user !== undefined) {
      ctx.user = state.findUser(params.user);
      if (!ctx.user) {
        if (route.mailbox) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${params.user}' is invalid.`);
        throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${params.user}' does not exist or one of its queried reference-property objects are not present.`);
      }
    }
    this.authorize(principal, route.access, ctx.user?.id);
    if (route.mailbox) {
      ctx.mailbox = state.mailboxOf(ctx.target);
      if (!ctx.mailbox) throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    }
  }

  private authorize(p: SimPrincipal, access: Access, targetUserId: string | undefined): void {
    const denied = () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const directoryDenied = () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const write = ['calendars.readwrite'];
    const read = ['calendars.read', 'calendars.readwrite'];
    if (access === 'subscriptions') return;
    const usersAll = ['user.read.all', 'user.readwrite.all', 'directory.read.all', 'directory.readwrite.all', 'user.readbasic.all'];
    if (p.kind === 'app') {
      if (access === 'calendarRead' && !has(p.roles, read)) throw denied();
      if (access === 'calendarWrite' && !has(p.roles, write)) throw denied();
      if ((access === 'usersRead' || access === 'userRead') && !has(p.roles, usersAll.filter((x) => x !== 'user.readbasic.all'))) throw directoryDenied();
      return;
    }
    const self = targetUserId !== undefined && targetUserId === p.userId;
    if (access === 'calendarRead' || access === 'calendarWrite') {
      if (!self || !has(p.scopes, access === 'calendarWrite' ? write : read)) throw denied();
      return;
    }
    if (access === 'userRead' && self && has(p.scopes, ['user.read', 'user.readwrite', ...usersAll])) return;
    if (!has(p.scopes, usersAll)) throw access === 'userRead' ? denied() : directoryDenied();
  }

  private async batch(req: SimRequest): Promise<SimResponse> {
    this.authenticate(req);
    const decision = this.deps.faults.decide('POST /$batch', true, true);
    if (decision.latencyMs > 0) await this.deps.clock.sleep(decision.latencyMs);
    if (decision.kind === 'reset') return { status: 0, headers: {}, body: null, reset: true };
    return runBatch(req, (item, turn) => this.handleItem(item, turn), this.deps.rng);
  }
}
