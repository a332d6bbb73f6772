// What the journeys do from the outside: platform calls to the services (contract.md), the
// browser's connect round trip, and the simulator's admin API and Graph for setup and truth.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatsSnapshot } from '@ocb/graph-simulator';
import type { EventDetail, Page, SyncRunView } from '@ocb/service-clients';
import { PLATFORM, simFetch, type StackInfo } from './stack';

export type Service = keyof StackInfo['urls'];

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** The contract's error body. */
export interface ContractError {
  statusCode: number;
  code: string;
  message: string;
  connectUrl?: string;
  runId?: string;
}

const DAY = 86_400_000;

/**
 * The simulator's built-in app registration (DEFAULT_TENANT_ID, DEFAULT_CLIENT_ID,
 * DEFAULT_CLIENT_SECRET of its state/types.ts), read as text: the suites only import types from
 * the simulator's source, so they test the built processes and never compile the library.
 */
function simulatorDefaults(): { tenantId: string; clientId: string; clientSecret: string } {
  const text = readFileSync(join(__dirname, '../../../../libs/graph/simulator/src/state/types.ts'), 'utf8');
  const read = (name: string): string => {
    const value = new RegExp(`export const ${name}\\s*=\\s*'([^']+)'`).exec(text)?.[1];
    if (!value) throw new Error(`${name} not found in the simulator's state/types.ts`);
    return value;
  };
  return { tenantId: read('DEFAULT_TENANT_ID'), clientId: read('DEFAULT_CLIENT_ID'), clientSecret: read('DEFAULT_CLIENT_SECRET') };
}

async function reply<T>(res: { status: number; headers: Headers; text(): Promise<string> }): Promise<Reply<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers, text };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A request description for failure messages: method, URL, body and the answer. */
export function describeCall(method: string, url: string, body: unknown, r: Reply): string {
  return `${method} ${url}${body === undefined ? '' : ` ${JSON.stringify(body)}`} -> ${r.status} ${r.text.slice(0, 600)}`;
}

export class Platform {
  readonly sim: ReturnType<typeof simFetch>;

  constructor(readonly info: StackInfo) {
    this.sim = simFetch(info);
  }

  /** A platform call (PLATFORM_API_KEY) to one service; `body` as JSON, or a raw string. */
  async call<T = unknown>(service: Service, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...PLATFORM, ...headers }, redirect: 'manual' };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    return reply<T>(await fetch(`${this.info.urls[service]}${path}`, init));
  }

  /** Like call(), but fails with the whole exchange unless the status is `expected`. */
  async expect<T = unknown>(expected: number, service: Service, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const r = await this.call<T>(service, method, path, body, headers);
    if (r.status !== expected) throw new Error(`expected ${expected}: ${describeCall(method, `${this.info.urls[service]}${path}`, body, r as Reply)}`);
    return r.body;
  }

  // ----- simulator admin API (/_sim) -----

  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const init: Parameters<typeof this.sim>[1] = { method };
    if (body !== undefined) Object.assign(init, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return reply<T>(await this.sim(`${this.info.simOrigin}/_sim${path}`, init));
  }

  async adminOk<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.admin<T>(method, path, body);
    if (r.status >= 300) throw new Error(`simulator admin: ${describeCall(method, path, body, r as Reply)}`);
    return r.body;
  }

  async users(): Promise<SimUserView[]> {
    return (await this.adminOk<{ value: SimUserView[] }>('GET', '/users')).value;
  }

  async user(upn: string): Promise<SimUserView> {
    const u = (await this.users()).find((x) => x.userPrincipalName === upn);
    if (!u) throw new Error(`no seeded user ${upn}`);
    return u;
  }

  stats(): Promise<StatsSnapshot> {
    return this.adminOk<StatsSnapshot>('GET', '/stats');
  }

  async resetFaults(): Promise<void> {
    await this.adminOk('PUT', '/faults', { throttleRate: 0, errorRate: 0, resetRate: 0, latencyMs: 0, latencyJitterMs: 0, maxRequestsPerSecond: 0, routes: null });
  }

  // ----- Graph truth, read with an app token from the simulator's identity platform -----

  private appToken?: { token: string; until: number };

  async graphToken(): Promise<string> {
    if (this.appToken && this.appToken.until > Date.now()) return this.appToken.token;
    const app = simulatorDefaults();
    const res = await this.sim(`${this.info.simOrigin}/${app.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: `${this.info.simOrigin}/.default`, // the Graph base URL the services use
      }).toString(),
    });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    if (res.status !== 200) throw new Error(`app token: ${res.status} ${JSON.stringify(body)}`);
    this.appToken = { token: body.access_token, until: Date.now() + (body.expires_in - 60) * 1000 };
    return body.access_token;
  }

  /** What the cache should hold of a mailbox over [from, to): calendarView without cancelled occurrences (they leave the cache). */
  async mailboxTruth(user: string, from: Date, to: Date): Promise<TruthOccurrence[]> {
    return (await this.calendarView(user, from, to)).filter((e) => !e.isCancelled);
  }

  /** Every occurrence of a mailbox between two instants, as Graph's calendarView expands it (UTC). */
  async calendarView(user: string, from: Date, to: Date): Promise<TruthOccurrence[]> {
    const token = await this.graphToken();
    const q = new URLSearchParams({
      startDateTime: from.toISOString(),
      endDateTime: to.toISOString(),
      $select: 'id,subject,start,end,type,isCancelled,isAllDay,seriesMasterId',
      $top: '100',
    });
    let url: string | undefined = `${this.info.simOrigin}/v1.0/users/${encodeURIComponent(user)}/calendarView?${q.toString()}`;
    const out: TruthOccurrence[] = [];
    while (url) {
      const res = await this.sim(url, { headers: { Authorization: `Bearer ${token}`, Prefer: 'outlook.timezone="UTC"' } });
      const body = (await res.json()) as { value: GraphEventView[]; '@odata.nextLink'?: string };
      if (res.status !== 200) throw new Error(`calendarView ${user}: ${res.status} ${JSON.stringify(body)}`);
      for (const e of body.value) {
        out.push({
          id: e.id,
          subject: e.subject,
          start: e.start,
          end: e.end,
          startUtc: utc(e.start.dateTime),
          endUtc: utc(e.end.dateTime),
          type: e.type,
          isCancelled: e.isCancelled,
          isAllDay: e.isAllDay,
        });
      }
      url = body['@odata.nextLink'];
    }
    return out;
  }

  // ----- sync -----

  /** Starts a full sync (waiting out one already running) and waits until it ends. */
  async fullSync(timeoutMs = 90_000): Promise<SyncRun> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.call<{ runId: string } & Partial<ContractError>>('sync', 'POST', '/api/sync/full');
      if (r.status === 202) return this.waitRun(r.body.runId, deadline - Date.now());
      if (r.status === 409 && r.body.runId) {
        await this.waitRun(r.body.runId, deadline - Date.now());
        continue;
      }
      throw new Error(`full sync: ${describeCall('POST', '/api/sync/full', undefined, r as Reply)}`);
    }
  }

  async waitRun(runId: string, timeoutMs: number): Promise<SyncRun> {
    return eventually(
      `sync run ${runId}`,
      async () => {
        const run = await this.expect<SyncRun>(200, 'sync', 'GET', `/api/sync/runs/${encodeURIComponent(runId)}`);
        return run.status === 'running' ? undefined : run;
      },
      Math.max(timeoutMs, 1000),
      300,
    );
  }

  refresh(user: string): Promise<{ eventsUpserted: number; eventsRemoved: number }> {
    return this.expect(200, 'sync', 'POST', `/api/users/${encodeURIComponent(user)}/refresh`);
  }

  /** Every cached event of a user overlapping [from, to), paging through nextCursor. */
  async cachedEvents(user: string, opts: { from?: Date; to?: Date; q?: string; limit?: number } = {}): Promise<EventDetail[]> {
    const out: EventDetail[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const q = new URLSearchParams();
      if (opts.from) q.set('from', opts.from.toISOString());
      if (opts.to) q.set('to', opts.to.toISOString());
      if (opts.q) q.set('q', opts.q);
      q.set('limit', String(opts.limit ?? 50));
      if (cursor) q.set('cursor', cursor);
      const page: Page<EventDetail> = await this.expect<Page<EventDetail>>(200, 'sync', 'GET', `/api/users/${encodeURIComponent(user)}/events?${q.toString()}`);
      out.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) return out;
    }
    throw new Error('cursor paging did not end');
  }

  // ----- auth: the browser's connect round trip -----

  /**
   * Follows connect (or a connectUrl) as a browser would: 302 to the simulator's authorize,
   * which signs the login_hint user in at once, 302 to auth's callback, 302 to returnUrl.
   */
  async connect(user: string, connectUrl?: string): Promise<{ hops: string[]; finalLocation: string }> {
    const start = connectUrl ?? `${this.info.urls.auth}/api/auth/connect?${new URLSearchParams({ user, returnUrl: 'http://localhost:3000/done' }).toString()}`;
    const hops: string[] = [];
    let url = start;
    for (let i = 0; i < 6; i++) {
      hops.push(url);
      const https = url.startsWith('https:');
      const res = https ? await this.sim(url, { redirect: 'manual' }) : await fetch(url, { redirect: 'manual' });
      const text = await res.text();
      if (res.status !== 302 && res.status !== 303) {
        if (res.status === 200 && !https && url.includes('/serviceAction/callback')) return { hops, finalLocation: url };
        throw new Error(`connect ${user}: GET ${url} -> ${res.status} ${text.slice(0, 400)}`);
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`connect ${user}: ${res.status} without Location from ${url}`);
      const next = new URL(location, url).toString();
      if (!next.startsWith(this.info.urls.auth) && !next.startsWith(this.info.simOrigin)) return { hops, finalLocation: next };
      url = next;
    }
    throw new Error(`connect ${user}: too many redirects: ${hops.join(' -> ')}`);
  }
}

export interface SimUserView {
  id: string;
  userPrincipalName: string;
  mail: string;
  displayName: string;
  hasMailbox: boolean;
  timeZone: string;
}

interface GraphEventView {
  id: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  type: string;
  isCancelled: boolean;
  isAllDay: boolean;
}

export interface TruthOccurrence {
  id: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  startUtc: string;
  endUtc: string;
  type: string;
  isCancelled: boolean;
  isAllDay: boolean;
}

export type SyncRun = SyncRunView;

/** Graph's UTC wall time (`2026-12-01T10:00:00.0000000`) as an ISO instant with milliseconds. */
export function utc(wall: string): string {
  return new Date(`${wall.replace(/(\.\d{3})\d*$/, '$1')}Z`).toISOString();
}

/** The rolling window sync keeps: whole UTC days, SYNC_WINDOW_PAST_DAYS back, SYNC_WINDOW_FUTURE_DAYS (+1 day) ahead. */
export function syncWindow(pastDays = 1, futureDays = 90, now = Date.now()): { from: Date; to: Date } {
  const today = Math.floor(now / DAY) * DAY;
  return { from: new Date(today - pastDays * DAY), to: new Date(today + (futureDays + 1) * DAY) };
}

type Comparable = { id: string; subject: string; startUtc: string; endUtc: string; isAllDay: boolean; isCancelled: boolean; start: { dateTime: string }; end: { dateTime: string } };

/**
 * Comparable lines of an occurrence list, sorted: `startUtc endUtc id subject` for timed events;
 * an all-day event by its dates (Graph gives them as floating midnights, whatever zone is asked).
 */
export function occurrenceLines(items: Comparable[]): string[] {
  return items
    .map((e) => {
      const when = e.isAllDay
        ? `all-day ${e.start.dateTime.slice(0, 10)}..${e.end.dateTime.slice(0, 10)}`
        : `${new Date(e.startUtc).toISOString()} ${new Date(e.endUtc).toISOString()}`;
      return `${when} ${e.id} ${e.subject}${e.isCancelled ? ' (cancelled)' : ''}`;
    })
    .sort();
}

/** A wall time `YYYY-MM-DDTHH:mm:ss` in a fixed UTC offset (hours), `days` from today. */
export function wallTime(daysFromToday: number, hour: number, minute = 0): string {
  const d = new Date(Math.floor(Date.now() / DAY) * DAY + daysFromToday * DAY);
  const date = d.toISOString().slice(0, 10);
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
}

export function encodeUser(u: string): string {
  return encodeURIComponent(u);
}

/** A word unique to this run, for search (`q`) and to tell our events from the seeded ones. */
export function uniqueWord(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
