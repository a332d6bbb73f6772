/**
 * The simulator's admin API under `/_sim` (no token needed, not counted in Graph stats): reset,
 * seed, faults, stats, raw mailbox truth, out-of-band changes, token revocation and lifetime.
 */
import type { SimPrincipal } from '../state/types';
import type { EventRecord, OccurrenceOverride } from '../state/records';
import { Ctx } from '../graph/context';
import type { SimRequest, SimResponse } from '../graph/http';
import { GraphError, json } from '../graph/http';
import { createEvent, deleteEvent, patchEvent } from '../graph/events.routes';
import { renderRecord } from '../graph/render';
import { FaultSettingsError } from '../faults/faults';
import type { AdminTarget } from './admin-target';
import { userJson } from '../graph/users.routes';
import { subscriptionsAdmin } from '../subscriptions/subscriptions.admin';
import { graphInstant } from '../graph/render';
import { parseWorkingHours, workingHoursJson, workingHoursOf, WorkingHoursError } from '../state/working-hours';

const ADMIN_PRINCIPAL: SimPrincipal = { kind: 'app', tenantId: '', appId: 'sim-admin', roles: [], scopes: [], tokenId: 'admin' };

function err(status: number, message: string): SimResponse {
  return json(status, { error: { code: status === 404 ? 'NotFound' : 'BadRequest', message } });
}

function numberField(body: Record<string, unknown>, key: string, dflt: number, max: number): number {
  const v = body[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new GraphError(400, 'BadRequest', `${key} must be an integer between 0 and ${max}.`);
  return v;
}

export async function handleAdmin(sim: AdminTarget, req: SimRequest): Promise<SimResponse> {
  const path = req.url.pathname;
  const i = path.indexOf('/_sim');
  const segs = path
    .slice(i + 5)
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  const method = req.method.toUpperCase();
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (req.badJson) return err(400, 'The body is not valid JSON.');
  if (segs[0] === 'subscriptions') {
    try {
      return subscriptionsAdmin(sim.subscriptions, req, segs.slice(1));
    } catch (e) {
      if (e instanceof GraphError) return err(e.status, e.message);
      throw e;
    }
  }
  const route = `${method} ${segs.map((s, n) => (n === 1 && segs[0] === 'users' ? '{user}' : n === 3 ? '{id}' : s)).join('/')}`;
  try {
    switch (route) {
      case 'POST reset':
        sim.reset();
        return json(200, { users: 0 });
      case 'POST seed':
        return json(200, sim.seed(body as never));
      case 'GET faults':
        return json(200, sim.faults);
      case 'PUT faults':
      case 'PATCH faults':
        sim.faults = body;
        return json(200, sim.faults);
      case 'GET stats':
        return json(200, sim.stats());
      case 'GET process': {
        // For benchmarks: the serving process's CPU time (µs) and memory, as an honest per-core figure.
        const cpu = process.cpuUsage();
        const mem = process.memoryUsage();
        return json(200, { pid: process.pid, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, heapUsed: mem.heapUsed, rss: mem.rss, uptimeSeconds: process.uptime() });
      }
      case 'POST stats/reset':
        sim.resetStats();
        return json(200, sim.stats());
      case 'GET users':
        return json(200, { value: sim.state.users.map((u) => ({ ...userJson(u), hasMailbox: u.hasMailbox, timeZone: u.timeZone })) });
      case 'POST tokens/revoke': {
        const u = typeof body.user === 'string' ? sim.state.findUser(body.user) : undefined;
        if (!u) return err(404, `Unknown user '${String(body.user)}'.`);
        sim.identity.revokeUser(u.id);
        return json(200, { revoked: u.id });
      }
      case 'PUT tokens/lifetime': {
        const seconds = numberField(body, 'seconds', -1, 365 * 86400);
        sim.identity.setTokenLifetime(seconds);
        return json(200, { seconds });
      }
    }
    if (segs[0] === 'users' && segs[2] === 'working-hours' && segs.length === 3) return workingHoursAdmin(sim, method, segs[1], body);
    if (segs[0] === 'users' && segs[2] === 'events' && segs.length <= 4) return mailboxAdmin(sim, req, segs[1], segs[3]);
    return err(404, `No admin route ${method} /_sim/${segs.join('/')}.`);
  } catch (e) {
    if (e instanceof FaultSettingsError) return err(400, e.message);
    if (e instanceof GraphError) return json(e.status, { error: { code: e.code, message: e.message } });
    throw e;
  }
}

/** GET/PUT a user's working hours (`{ daysOfWeek, startTime, endTime, timeZone }`); DELETE: back to the default. */
function workingHoursAdmin(sim: AdminTarget, method: string, user: string, body: Record<string, unknown>): SimResponse {
  const u = sim.state.findUser(user);
  if (!u) return err(404, `Unknown user '${user}'.`);
  if (method === 'PUT') {
    try {
      u.workingHours = parseWorkingHours(body, u.timeZone);
    } catch (e) {
      if (e instanceof WorkingHoursError) return err(400, e.message);
      throw e;
    }
  } else if (method === 'DELETE') u.workingHours = undefined;
  else if (method !== 'GET') return err(405, 'Method not allowed.');
  return json(200, workingHoursJson(workingHoursOf(u)));
}

function mailboxAdmin(sim: AdminTarget, req: SimRequest, user: string, eventId: string | undefined): SimResponse {
  const u = sim.state.findUser(user);
  if (!u) return err(404, `Unknown user '${user}'.`);
  const mb = sim.state.mailboxOf(u);
  if (!mb) return err(404, `User '${user}' has no mailbox.`);
  const ctx = new Ctx(req, sim.graphDeps, { ...ADMIN_PRINCIPAL, tenantId: sim.state.tenantId }, { me: false, user, eventId });
  ctx.user = u;
  ctx.mailbox = mb;
  const method = req.method.toUpperCase();
  if (eventId === undefined) {
    if (method === 'POST') return createEvent(ctx);
    if (method !== 'GET') return err(405, 'Method not allowed.');
    const prefs = ctx.renderPrefs(false);
    const records = mb.items.filter((r): r is EventRecord => r !== undefined);
    const value = records
      .filter((r) => ctx.query.get('includedeleted') === 'true' || !r.deleted)
      .map((r) => ({
        ...renderRecord(r, prefs),
        deleted: r.deleted,
        startUtc: graphInstant(r.content.startMs),
        endUtc: graphInstant(r.content.endMs),
        exceptions: [...(r.content.exceptions ?? new Map<number, OccurrenceOverride>()).entries()].map(([start, x]) => ({
          originalStartUtc: graphInstant(start),
          deleted: x.deleted,
          subject: x.fields.subject,
          startUtc: graphInstant(x.fields.startMs),
          endUtc: graphInstant(x.fields.endMs),
        })),
      }));
    return json(200, { user: u.id, version: mb.version, value });
  }
  if (method === 'PATCH') return patchEvent(ctx);
  if (method === 'DELETE') return deleteEvent(ctx);
  return err(405, 'Method not allowed.');
}
