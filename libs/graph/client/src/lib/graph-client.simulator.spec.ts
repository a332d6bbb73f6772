import { startInProcessSimulator, type InProcessSimulator } from '@ocb/testing';
import { FakeClock } from '@ocb/clock';
import { createMemoryRateLimiter, type RateLimiter } from '@ocb/rate-limiter';
import { GraphApiError } from './errors';
import { GraphClient } from './graph-client';
import type { GraphEvent } from './models';
import type { GraphClientOptions } from './options';
import { parseGraphUtc } from './time';

const START = '2026-11-28T09:00:00.000Z';
const FROM = new Date('2026-12-01T00:00:00Z');
const TO = new Date('2027-01-01T00:00:00Z');
const ADELE = 'a1b2c3d4-0000-4000-8000-0000000000a1';
const ALEX = 'a1b2c3d4-0000-4000-8000-0000000000a2';
const pad = (n: number): string => String(n).padStart(2, '0');

/** 200 single events for Adele in December (one per day and hour), 3 in January; 3 for Alex. */
function tenant(): {
  users: Array<Record<string, unknown>>;
  events: Array<Record<string, unknown> & { user: string }>;
} {
  const events: Array<Record<string, unknown> & { user: string }> = [];
  for (let i = 0; i < 200; i++) {
    const day = 1 + (i % 28);
    const hour = 8 + Math.floor(i / 28);
    events.push({
      user: ADELE,
      subject: `Adele ${i}`,
      start: { dateTime: `2026-12-${pad(day)}T${pad(hour)}:00:00`, timeZone: 'UTC' },
      end: { dateTime: `2026-12-${pad(day)}T${pad(hour)}:30:00`, timeZone: 'UTC' },
    });
  }
  for (let i = 0; i < 3; i++) {
    events.push({
      user: ADELE,
      subject: `Later ${i}`,
      start: { dateTime: `2027-01-1${i}T10:00:00`, timeZone: 'UTC' },
      end: { dateTime: `2027-01-1${i}T11:00:00`, timeZone: 'UTC' },
    });
    events.push({
      user: ALEX,
      subject: `Alex ${i}`,
      start: { dateTime: `2026-12-0${i + 2}T10:00:00`, timeZone: 'Pacific Standard Time' },
      end: { dateTime: `2026-12-0${i + 2}T11:00:00`, timeZone: 'Pacific Standard Time' },
    });
  }
  return {
    users: [
      {
        id: ADELE,
        userPrincipalName: 'AdeleV@contoso.test',
        displayName: 'Adele Vance',
        timeZone: 'Pacific Standard Time',
      },
      { id: ALEX, userPrincipalName: 'AlexW@contoso.test', displayName: 'Alex Wilber' },
    ],
    events,
  };
}

/** Runs `work` while moving the fake clock in small steps (Retry-After waits, simulated latency). */
async function drive<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  settled.catch(() => undefined);
  while (!done) {
    await clock.advance(50);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return settled;
}

let sim: InProcessSimulator;
let clock: FakeClock;
let limiter: RateLimiter;
let tokenRequests = 0;

function graphClient(extra: Partial<GraphClientOptions> = {}): GraphClient {
  let cached: string | undefined;
  return new GraphClient({
    baseUrl: sim.graphBaseUrl,
    // client credentials against the simulator's token endpoint, as the auth service does
    tokenProvider: async ({ forceRefresh }) => {
      if (cached && !forceRefresh) return cached;
      tokenRequests++;
      const res = await fetch(`${sim.authorityHost}/${sim.simulator.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: '11111111-2222-3333-4444-555555555555',
          client_secret: 'sim-dev-secret',
          scope: `${sim.graphBaseUrl}/.default`,
        }).toString(),
      });
      const body = (await res.json()) as { access_token: string };
      cached = body.access_token;
      return cached;
    },
    limiter,
    clock,
    timeoutMs: 600_000, // fake time: only a real hang would hit it
    retryBaseDelayMs: 200,
    maxRetries: 10,
    ...extra,
  });
}

interface SimStats {
  requests: Record<string, Record<string, number>>;
  throttled: number;
  peakConcurrencyByMailbox: Record<string, number>;
}

async function stats(): Promise<SimStats> {
  return (await (await sim.admin('stats')).json()) as SimStats;
}

beforeAll(() => {
  clock = new FakeClock(START);
  sim = startInProcessSimulator({ seed: 7, users: 0, clock });
});
afterAll(() => sim.close());

beforeEach(async () => {
  sim.simulator.reset();
  sim.simulator.seed({ tenant: tenant() });
  limiter = createMemoryRateLimiter({
    requestsPerInterval: 1000,
    intervalMs: 1000,
    burst: 100,
    maxConcurrentPerKey: 4,
    clock,
  });
});
afterEach(() => limiter.close());

describe('GraphClient against the in-process simulator', () => {
  it('calendarView at 10 per page under throttling and 5xx faults returns every event exactly once', async () => {
    await sim.admin('faults', { method: 'PUT', body: { throttleRate: 0.3, errorRate: 0.1 } });
    const graph = graphClient();
    const events = await drive(
      clock,
      (async () => {
        const all: GraphEvent[] = [];
        for await (const page of graph.calendarView(ADELE, FROM, TO, { pageSize: 10 })) {
          expect(page.length).toBeLessThanOrEqual(10);
          all.push(...page);
        }
        return all;
      })(),
    );
    const ids = new Set(events.map((e) => e.id));
    expect(events).toHaveLength(200);
    expect(ids.size).toBe(200);
    expect(new Set(events.map((e) => e.subject))).toEqual(
      new Set(Array.from({ length: 200 }, (_, i) => `Adele ${i}`)),
    );
    const first = events.find((e) => e.subject === 'Adele 29')!;
    expect(first.start?.timeZone).toBe('UTC');
    expect(parseGraphUtc(first.start!.dateTime).toISOString()).toBe('2026-12-02T09:00:00.000Z');
    const s = await stats();
    const view = s.requests['GET /users/{id}/calendarView'];
    expect(s.throttled).toBeGreaterThan(0);
    expect(Object.keys(view).some((status) => status.startsWith('5'))).toBe(true);
    expect(view['200']).toBe(20);
    expect(tokenRequests).toBeGreaterThan(0);
  });

  it('a $batch whose items are throttled (mailbox concurrency and faults) completes with all 200s', async () => {
    await sim.admin('faults', { method: 'PUT', body: { latencyMs: 10, throttleRate: 0.2 } });
    const graph = graphClient();
    const window = `startDateTime=${FROM.toISOString()}&endDateTime=${TO.toISOString()}`;
    const items = Array.from({ length: 20 }, (_, i) => ({
      id: `p${i}`,
      method: 'GET' as const,
      url: `/users/${ADELE}/calendarView?${window}&$top=10&$skip=${i * 10}`,
      headers: { Prefer: 'outlook.timezone="UTC"' },
    }));
    const results = await drive(clock, graph.batch(items));
    expect(results.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(results.map((r) => r.status)).toEqual(items.map(() => 200));
    const ids = new Set(results.flatMap((r) => (r.body as { value: GraphEvent[] }).value.map((e) => e.id)));
    expect(ids.size).toBe(200);
    const s = await stats();
    expect(s.throttled).toBeGreaterThan(0);
    expect(s.requests['GET /users/{id}/calendarView']['429']).toBeGreaterThan(0);
  });

  it("a $batch's permit weighs its items: 60 items against a 20 requests/s cap, not one 429", async () => {
    await sim.admin('faults', { method: 'PUT', body: { maxRequestsPerSecond: 20 } });
    const tight = createMemoryRateLimiter({ requestsPerInterval: 20, intervalMs: 1000, clock });
    try {
      const graph = graphClient({ limiter: tight });
      const items = Array.from({ length: 60 }, (_, i) => ({
        id: `u${i}`,
        method: 'GET' as const,
        url: `/users/${i % 2 ? ADELE : ALEX}?$select=id`,
      }));
      const started = clock.now();
      const results = await drive(clock, graph.batch(items));
      expect(results.map((r) => r.status)).toEqual(items.map(() => 200));
      const s = await stats();
      expect(s.throttled).toBe(0);
      expect(s.requests['POST /$batch']['200']).toBe(3);
      // three batches of 20 at 20/s: the third leaves two windows after the first
      expect(clock.now() - started).toBeGreaterThanOrEqual(2000);
    } finally {
      await tight.close();
    }
  });

  it('the limiter keeps the simulator-side peak concurrency per mailbox at 4 or less', async () => {
    await sim.admin('faults', { method: 'PUT', body: { latencyMs: 20 } });
    const call = (graph: GraphClient): Promise<unknown> =>
      graph.get(`/users/AdeleV@contoso.test/calendarView`, {
        query: { startDateTime: FROM.toISOString(), endDateTime: TO.toISOString(), $top: 1 },
      });
    const graph = graphClient();
    await drive(clock, Promise.all(Array.from({ length: 20 }, () => call(graph))));
    let s = await stats();
    expect(s.peakConcurrencyByMailbox[ADELE]).toBeLessThanOrEqual(4);
    expect(s.peakConcurrencyByMailbox[ADELE]).toBeGreaterThan(1);
    expect(s.throttled).toBe(0);
    expect(s.requests['GET /users/{id}/calendarView']['200']).toBe(20);

    // without the limiter the simulator has to refuse the surplus
    await sim.admin('stats/reset', { method: 'POST' });
    const unlimited = graphClient({ limiter: undefined });
    await drive(clock, Promise.all(Array.from({ length: 20 }, () => call(unlimited))));
    s = await stats();
    expect(s.throttled).toBeGreaterThan(0);
  });

  it('delta: initial round, an out-of-band change, a deletion, and 410 as sync-reset', async () => {
    const graph = graphClient();
    const start = `/users/${ALEX}/calendarView/delta?startDateTime=${FROM.toISOString()}&endDateTime=${TO.toISOString()}`;
    const initial = await drive(clock, graph.delta<GraphEvent>(start, { pageSize: 2 }));
    expect(initial.items.every((e) => e.start?.timeZone === 'UTC')).toBe(true);
    expect(initial.items.map((e) => e.subject).sort()).toEqual(['Alex 0', 'Alex 1', 'Alex 2']);
    expect(initial.removed).toEqual([]);
    expect(initial.deltaLink).toContain('$deltatoken=');

    const created = await sim.admin(`users/${ALEX}/events`, {
      method: 'POST',
      body: {
        subject: 'Out of band',
        start: { dateTime: '2026-12-20T15:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-20T16:00:00', timeZone: 'UTC' },
      },
    });
    expect(created.status).toBe(201);
    const { id: newId } = (await created.json()) as { id: string };
    const second = await drive(clock, graph.delta<GraphEvent>(initial.deltaLink));
    expect(second.items.map((e) => e.id)).toEqual([newId]);
    expect(second.items[0].subject).toBe('Out of band');
    expect(second.deltaLink).not.toBe(initial.deltaLink);

    const deleted = await sim.admin(`users/${ALEX}/events/${newId}`, { method: 'DELETE' });
    expect(deleted.status).toBeLessThan(300);
    const third = await drive(clock, graph.delta<GraphEvent>(second.deltaLink));
    expect(third.removed).toEqual([newId]);
    expect(third.items).toEqual([]);

    const bogus = second.deltaLink.replace(/\$deltatoken=[^&]+/, '$deltatoken=bogus');
    const failure = await drive(
      clock,
      graph.delta(bogus).catch((e: unknown) => e),
    );
    expect(failure).toBeInstanceOf(GraphApiError);
    expect(failure).toMatchObject({ kind: 'sync-reset', status: 410, code: 'SyncStateNotFound' });
  });

  it('a POST without the idempotent flag is sent once on a 5xx', async () => {
    // this tenant lets the app write (the default registration only reads), so the POST reaches the fault
    for (const app of sim.simulator.state.apps) app.appRoles = ['Calendars.ReadWrite', 'User.Read.All'];
    await sim.admin('faults', { method: 'PUT', body: { routes: { 'POST *': { errorRate: 1 } } } });
    const graph = graphClient();
    const body = {
      subject: 'Once',
      start: { dateTime: '2026-12-21T15:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-21T16:00:00', timeZone: 'UTC' },
    };
    const failure = await drive(
      clock,
      graph.post(`/users/${ALEX}/events`, body).catch((e: unknown) => e),
    );
    expect(failure).toBeInstanceOf(GraphApiError);
    expect((failure as GraphApiError).status).toBeGreaterThanOrEqual(500);
    const s = await stats();
    const attempts = Object.values(s.requests['POST /users/{id}/events']).reduce((a, b) => a + b, 0);
    expect(attempts).toBe(1);
  });

  it('users() pages through the directory', async () => {
    const graph = graphClient();
    const pages = await drive(
      clock,
      (async () => {
        const out: string[][] = [];
        for await (const page of graph.users({ pageSize: 1 })) out.push(page.map((u) => u.userPrincipalName));
        return out;
      })(),
    );
    expect(pages).toEqual([['AdeleV@contoso.test'], ['AlexW@contoso.test']]);
  });

  it('calendarView always asks for UTC and text bodies, whatever the caller passes', async () => {
    const graph = graphClient();
    const events = await drive(
      clock,
      (async () => {
        const out: GraphEvent[] = [];
        for await (const page of graph.calendarView(ALEX, FROM, TO, {
          headers: { Prefer: 'outlook.timezone="Pacific Standard Time"' },
        }))
          out.push(...page);
        return out;
      })(),
    );
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.start?.timeZone).toBe('UTC');
      expect(e.originalStartTimeZone).toBe('Pacific Standard Time');
      expect(e.body?.contentType).toBe('text');
    }
    const first = events.find((e) => e.subject === 'Alex 0')!;
    expect(parseGraphUtc(first.start!.dateTime).toISOString()).toBe('2026-12-02T18:00:00.000Z');
  });

  it('refreshes an expired token once and carries on', async () => {
    await sim.admin('tokens/lifetime', { method: 'PUT', body: { seconds: 60 } });
    const graph = graphClient();
    await drive(clock, graph.get(`/users/${ALEX}`));
    const before = tokenRequests;
    await clock.advance(120_000);
    const user = await drive(
      clock,
      graph.get<{ id: string }>(`/users/${ALEX}`).catch((e: unknown) => e),
    );
    expect(user).toMatchObject({ id: ALEX });
    expect(tokenRequests).toBe(before + 1);
  });
});
