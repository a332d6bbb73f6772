import { FakeClock } from '@ocb/clock';
import { createMemoryRateLimiter } from '@ocb/rate-limiter';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { GraphApiError } from './errors';
import { GraphClient } from './graph-client';
import { BufferedResponse } from './node-fetch';
import type { GraphClientOptions, GraphTelemetry, TokenContext } from './options';

/** Small hand-written Graph double for the client's own mechanics (the simulator suite covers the rest). */
const BASE = 'https://graph.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const err = (status: number, code: string, headers: Record<string, string> = {}): Response =>
  HttpResponse.json(
    { error: { code, message: code, innerError: { 'request-id': 'rid-1' } } },
    { status, headers },
  );

function counters(): GraphTelemetry & {
  requests: Array<[string, number]>;
  retries: string[];
  throttles: number[];
} {
  const t = {
    requests: [] as Array<[string, number]>,
    retries: [] as string[],
    throttles: [] as number[],
    onRequest: (m: string, s: number) => void t.requests.push([m, s]),
    onRetry: (r: string) => void t.retries.push(r),
    onThrottle: (ms: number) => void t.throttles.push(ms),
  };
  return t;
}

function client(extra: Partial<GraphClientOptions> = {}): { graph: GraphClient; tokens: TokenContext[] } {
  const tokens: TokenContext[] = [];
  const graph = new GraphClient({
    baseUrl: BASE,
    tokenProvider: async (ctx) => {
      tokens.push(ctx);
      return ctx.forceRefresh ? 'fresh-token' : 'cached-token';
    },
    retryBaseDelayMs: 2,
    maxRetries: 3,
    ...extra,
  });
  return { graph, tokens };
}

describe('GraphClient (own handlers)', () => {
  it('attaches the bearer through the SDK chain and appends v1.0', async () => {
    let seen: string | null = null;
    let url = '';
    server.use(
      http.get(`${BASE}/v1.0/users/:id`, ({ request }) => {
        seen = request.headers.get('authorization');
        url = request.url;
        return HttpResponse.json({ id: 'u1' });
      }),
    );
    const { graph, tokens } = client();
    await expect(graph.get('/users/U1', { query: { $select: 'id,mail' } })).resolves.toEqual({ id: 'u1' });
    expect(seen).toBe('Bearer cached-token');
    expect(url).toBe(`${BASE}/v1.0/users/U1?$select=id%2Cmail`);
    expect(tokens).toEqual([{ mailbox: 'u1' }]);
  });

  it('reads a large JSON answer (batch or not) whole, multi-byte text included', async () => {
    const page = { value: Array.from({ length: 4000 }, (_, i) => ({ id: `e${i}`, subject: `Grady Müller ${i} 😀`, body: { content: 'x'.repeat(300) } })) };
    const text = JSON.stringify(page);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const answer = (body: string) => new HttpResponse(body, { headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } });
    server.use(
      http.get(`${BASE}/v1.0/users/:id/events`, () => answer(text)),
      http.post(`${BASE}/v1.0/$batch`, () =>
        answer(JSON.stringify({ responses: [{ id: '1', status: 200, headers: {}, body: page }, { id: '2', status: 404, headers: {}, body: { error: { code: 'NotFound', message: 'gone' } } }] })),
      ),
    );
    const { graph } = client({ limiter: createMemoryRateLimiter() });
    await expect(graph.get('/users/u1/events')).resolves.toEqual(page);
    const results = await graph.batch([
      { id: '1', method: 'GET', url: '/users/u1/events' },
      { id: '2', method: 'GET', url: '/users/u2/events' },
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 404]);
    expect(results[0].body).toEqual(page);
  });

  it('refreshes the token once on 401, then reports auth-expired', async () => {
    const auths: string[] = [];
    server.use(
      http.get(`${BASE}/v1.0/me`, ({ request }) => {
        auths.push(request.headers.get('authorization') ?? '');
        return request.headers.get('authorization') === 'Bearer fresh-token' && auths.length < 3
          ? HttpResponse.json({ id: 'me' })
          : err(401, 'InvalidAuthenticationToken');
      }),
    );
    const { graph, tokens } = client();
    await expect(graph.get('/me', { mailbox: 'adele@contoso.com' })).resolves.toEqual({ id: 'me' });
    expect(tokens).toEqual([
      { mailbox: 'adele@contoso.com' },
      { mailbox: 'adele@contoso.com', forceRefresh: true },
    ]);
    const failure = await graph.get('/me').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GraphApiError);
    expect(failure).toMatchObject({
      status: 401,
      kind: 'auth-expired',
      code: 'InvalidAuthenticationToken',
      requestId: 'rid-1',
    });
    expect(auths).toHaveLength(4);
  });

  it('retries 503/429 on GET honouring Retry-After, and counts requests, retries, throttles', async () => {
    let n = 0;
    server.use(
      http.get(`${BASE}/v1.0/users`, () => {
        n++;
        if (n === 1) return err(429, 'TooManyRequests', { 'Retry-After': '0.01' });
        if (n === 2) return err(503, 'ServiceUnavailable', { 'Retry-After': '0' });
        return HttpResponse.json({ value: [{ id: 'a' }] });
      }),
    );
    const telemetry = counters();
    const { graph } = client({ telemetry });
    await expect(graph.collect('/users')).resolves.toEqual([{ id: 'a' }]);
    expect(n).toBe(3);
    expect(telemetry.requests).toEqual([
      ['GET', 429],
      ['GET', 503],
      ['GET', 200],
    ]);
    expect(telemetry.retries).toEqual(['429', '503']);
    expect(telemetry.throttles).toEqual([10]);
  });

  it('gives up after maxRetries with a throttled GraphApiError carrying the contract code', async () => {
    let n = 0;
    server.use(
      http.get(`${BASE}/v1.0/users`, () => (n++, err(429, 'TooManyRequests', { 'Retry-After': '0.001' }))),
    );
    const { graph } = client({ maxRetries: 2 });
    const failure = await graph.get('/users').catch((e: unknown) => e);
    expect(n).toBe(3);
    expect(failure).toMatchObject({
      kind: 'throttled',
      contractCode: 'UPSTREAM_THROTTLED',
      contractStatus: 429,
      retryAfterMs: 1,
    });
  });

  it('does not retry a POST on 503 unless flagged idempotent; retries a POST on 429', async () => {
    let n = 0;
    server.use(
      http.post(`${BASE}/v1.0/users/u1/events`, () =>
        ++n === 1 ? err(503, 'ServiceUnavailable') : HttpResponse.json({ id: 'e1' }, { status: 201 }),
      ),
    );
    const { graph } = client();
    const failure = await graph.post('/users/u1/events', { subject: 'x' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 503, kind: 'transient', contractCode: 'UPSTREAM_UNAVAILABLE' });
    expect(n).toBe(1);
    n = 0;
    await expect(
      graph.post('/users/u1/events', { subject: 'x', transactionId: 't' }, { idempotent: true }),
    ).resolves.toEqual({ id: 'e1' });
    expect(n).toBe(2);
    n = 0;
    server.use(
      http.post(`${BASE}/v1.0/users/u1/events`, () =>
        ++n === 1
          ? err(429, 'ApplicationThrottled', { 'Retry-After': '0' })
          : HttpResponse.json({ id: 'e2' }, { status: 201 }),
      ),
    );
    await expect(graph.post('/users/u1/events', { subject: 'x' })).resolves.toEqual({ id: 'e2' });
    expect(n).toBe(2);
  });

  it('retries connection resets and per-attempt timeouts, then reports transient', async () => {
    let n = 0;
    server.use(
      http.get(`${BASE}/v1.0/users/u1/events/e1`, () =>
        ++n < 3 ? HttpResponse.error() : HttpResponse.json({ id: 'e1' }),
      ),
    );
    const { graph } = client();
    await expect(graph.get('/users/u1/events/e1')).resolves.toEqual({ id: 'e1' });
    expect(n).toBe(3);

    n = 0;
    server.use(
      http.get(`${BASE}/v1.0/users/u1/events/slow`, async () => {
        n++;
        await delay(300);
        return HttpResponse.json({ id: 'slow' });
      }),
    );
    const slow = client({ timeoutMs: 20, maxRetries: 1 }).graph;
    const failure = await slow.get('/users/u1/events/slow').catch((e: unknown) => e);
    expect(failure).toMatchObject({
      status: 0,
      kind: 'transient',
      code: 'Timeout',
      contractCode: 'UPSTREAM_UNAVAILABLE',
    });
    expect(n).toBe(2);
  });

  it('a caller abort is not retried and surfaces as-is', async () => {
    server.use(
      http.get(`${BASE}/v1.0/users`, async () => (await delay(200), HttpResponse.json({ value: [] }))),
    );
    const { graph } = client();
    const controller = new AbortController();
    const pending = graph.get('/users', { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toMatchObject({ name: 'AbortError' });
  });

  it('follows absolute nextLinks and refuses links to another host', async () => {
    server.use(
      http.get(`${BASE}/v1.0/users/u1/calendarView`, ({ request }) => {
        const url = new URL(request.url);
        const skip = Number(url.searchParams.get('$skip') ?? 0);
        expect(request.headers.get('prefer')).toBe(
          'outlook.timezone="UTC", outlook.body-content-type="text"',
        );
        expect(url.searchParams.get('startDateTime')).toBe('2026-12-01T00:00:00.000Z');
        const value = Array.from({ length: 2 }, (_, i) => ({ id: `e${skip + i}` }));
        const next =
          skip < 4
            ? `${BASE}/v1.0/users/u1/calendarView?startDateTime=2026-12-01T00:00:00.000Z&endDateTime=2026-12-02T00:00:00.000Z&$top=2&$skip=${skip + 2}`
            : undefined;
        return HttpResponse.json({ value, '@odata.nextLink': next });
      }),
      http.get(`${BASE}/v1.0/users`, () =>
        HttpResponse.json({
          value: [{ id: 'a' }],
          '@odata.nextLink': 'https://evil.test/v1.0/users?$skiptoken=x',
        }),
      ),
    );
    const { graph } = client();
    const pages: string[][] = [];
    for await (const page of graph.calendarView(
      'u1',
      new Date('2026-12-01T00:00:00Z'),
      new Date('2026-12-02T00:00:00Z'),
      { pageSize: 2 },
    )) {
      pages.push(page.map((e) => e.id));
    }
    expect(pages).toEqual([
      ['e0', 'e1'],
      ['e2', 'e3'],
      ['e4', 'e5'],
    ]);
    await expect(graph.collect('/users')).rejects.toMatchObject({ code: 'ForeignLink', kind: 'invalid' });
  });

  it('delta: follows nextLinks to the deltaLink, reports @removed, maps 410 to sync-reset', async () => {
    server.use(
      http.get(`${BASE}/v1.0/users/u1/calendarView/delta`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('$deltatoken') === 'gone') return err(410, 'SyncStateNotFound');
        if (url.searchParams.get('$skiptoken') === 'p2') {
          return HttpResponse.json({
            value: [{ id: 'b', '@removed': { reason: 'deleted' } }, { id: 'c' }],
            '@odata.deltaLink': `${BASE}/v1.0/users/u1/calendarView/delta?$deltatoken=d1`,
          });
        }
        return HttpResponse.json({
          value: [{ id: 'a' }, { id: 'b' }],
          '@odata.nextLink': `${BASE}/v1.0/users/u1/calendarView/delta?$skiptoken=p2`,
        });
      }),
    );
    const { graph } = client();
    const round = await graph.delta<{ id: string }>(
      '/users/u1/calendarView/delta?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z',
    );
    expect(round.items.map((i) => i.id)).toEqual(['a', 'c']);
    expect(round.removed).toEqual(['b']);
    expect(round.deltaLink).toBe(`${BASE}/v1.0/users/u1/calendarView/delta?$deltatoken=d1`);
    await expect(
      graph.delta(`${BASE}/v1.0/users/u1/calendarView/delta?$deltatoken=gone`),
    ).rejects.toMatchObject({ kind: 'sync-reset', status: 410 });
  });

  it('batch: chunks of 20, throttled items re-sent alone after their Retry-After, results in input order', async () => {
    const batches: string[][] = [];
    const seen = new Map<string, number>();
    server.use(
      http.post(`${BASE}/v1.0/$batch`, async ({ request }) => {
        const body = (await request.json()) as {
          requests: Array<{ id: string; url: string; method: string }>;
        };
        batches.push(body.requests.map((r) => r.id));
        const responses = body.requests.map((r) => {
          const count = (seen.get(r.id) ?? 0) + 1;
          seen.set(r.id, count);
          if (Number(r.id) % 3 === 0 && count === 1) {
            return {
              id: r.id,
              status: 429,
              headers: { 'Retry-After': '0.01' },
              body: { error: { code: 'ApplicationThrottled', message: 'over' } },
            };
          }
          return {
            id: r.id,
            status: 200,
            headers: { 'Content-Type': 'application/json' },
            body: { url: r.url },
          };
        });
        return HttpResponse.json({ responses: responses.reverse() });
      }),
    );
    const telemetry = counters();
    const { graph } = client({ telemetry });
    const items = Array.from({ length: 25 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET' as const,
      url: `/users/u${i % 2}/calendarView?startDateTime=a&endDateTime=b`,
    }));
    const results = await graph.batch(items);
    expect(results.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(batches[0]).toHaveLength(20);
    expect(batches[1]).toHaveLength(5);
    expect(batches.slice(2).flat().sort()).toEqual(['12', '15', '18', '21', '24', '3', '6', '9'].sort());
    expect(telemetry.retries.filter((r) => r === 'batch-item-429')).toHaveLength(8);
  });

  it('keeps at most 4 requests in flight per mailbox', async () => {
    let inFlight = 0;
    let peak = 0;
    server.use(
      http.get(`${BASE}/v1.0/users/:id/events`, async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await delay(15);
        inFlight--;
        return HttpResponse.json({ value: [] });
      }),
    );
    const limiter = createMemoryRateLimiter({
      requestsPerInterval: 1000,
      intervalMs: 1000,
      burst: 1000,
      maxConcurrentPerKey: 4,
    });
    const { graph } = client({ limiter });
    await Promise.all(Array.from({ length: 20 }, () => graph.get('/users/AdeleV@contoso.com/events')));
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
    await limiter.close();
  });

  it('the bare sdk client runs the same chain (token, key derived from the URL, retry)', async () => {
    let n = 0;
    let auth: string | null = null;
    server.use(
      http.get(`${BASE}/v1.0/users/:id/events`, ({ request }) => {
        auth = request.headers.get('authorization');
        return ++n === 1
          ? err(503, 'serviceNotAvailable', { 'Retry-After': '0' })
          : HttpResponse.json({ value: [{ id: 'x' }] });
      }),
    );
    const { graph, tokens } = client();
    await expect(graph.sdk.api('/users/Bo@contoso.com/events').get()).resolves.toEqual({
      value: [{ id: 'x' }],
    });
    expect(auth).toBe('Bearer cached-token');
    expect(n).toBe(2);
    expect(tokens[0]).toEqual({ mailbox: 'bo@contoso.com' });
  });

  it('a token provider failure with a code surfaces as a classified GraphApiError', async () => {
    const graph = new GraphClient({
      baseUrl: BASE,
      tokenProvider: async () => {
        throw Object.assign(new Error('refresh token revoked'), { code: 'CONSENT_REQUIRED' });
      },
    });
    await expect(graph.get('/me/events', { mailbox: 'adele' })).rejects.toMatchObject({
      kind: 'consent-required',
      contractCode: 'CONSENT_REQUIRED',
      contractStatus: 409,
    });
  });

  it('delete: a 404 after a retried attempt counts as deleted; a first 404 does not', async () => {
    let n = 0;
    server.use(
      http.delete(`${BASE}/v1.0/users/u1/events/:id`, ({ params }) =>
        params['id'] === 'gone'
          ? err(404, 'ErrorItemNotFound')
          : ++n === 1
            ? err(504, 'gatewayTimeout')
            : err(404, 'ErrorItemNotFound'),
      ),
    );
    const { graph } = client();
    await expect(graph.delete('/users/u1/events/e1')).resolves.toBeUndefined();
    await expect(graph.delete('/users/u1/events/gone')).rejects.toMatchObject({
      kind: 'not-found',
      contractCode: 'NOT_FOUND',
    });
  });

  it('a 429 pauses the limiter for the mailbox, or for everyone on tenant-wide calls', async () => {
    let n = 0;
    server.use(
      http.get(`${BASE}/v1.0/users/u1/events`, () =>
        ++n === 1
          ? err(429, 'ApplicationThrottled', { 'Retry-After': '0.05' })
          : HttpResponse.json({ value: [] }),
      ),
      http.get(`${BASE}/v1.0/users`, () =>
        ++n === 3 ? err(429, 'TooManyRequests', { 'Retry-After': '0.05' }) : HttpResponse.json({ value: [] }),
      ),
    );
    const pauses: Array<[number, string | undefined]> = [];
    const limiter = createMemoryRateLimiter({ requestsPerInterval: 1000, burst: 100 });
    const spy = jest.spyOn(limiter, 'pause').mockImplementation((ms, key) => void pauses.push([ms, key]));
    const { graph } = client({ limiter });
    await graph.get('/users/U1/events');
    await graph.get('/users');
    expect(pauses).toEqual([
      [50, 'u1'],
      [50, undefined],
    ]);
    spy.mockRestore();
    await limiter.close();
  });

  it('works over plain http origins too (links re-rooted on the configured origin)', async () => {
    const LOCAL = 'http://localhost:4999';
    server.use(
      http.get(`${LOCAL}/v1.0/users`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('$skiptoken');
        expect(request.headers.get('authorization')).toBe('Bearer cached-token');
        return HttpResponse.json(
          page
            ? { value: [{ id: 'b' }] }
            : { value: [{ id: 'a' }], '@odata.nextLink': `${LOCAL}/v1.0/users?$skiptoken=X%3D%3D` },
        );
      }),
    );
    const { graph } = client({ baseUrl: LOCAL });
    await expect(graph.collect('/users')).resolves.toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});

describe('GraphClient.yieldToLimiter', () => {
  it('lets a grant due during the coming work go first (and its request out), and only such a grant', async () => {
    const t0 = Date.parse('2026-11-28T09:00:00Z');
    const clock = new FakeClock(t0);
    const limiter = createMemoryRateLimiter({ clock });
    const { graph } = client({ limiter, clock });
    // nobody waits: no wait at all
    let done = false;
    void graph.yieldToLimiter(100).then(() => (done = true));
    await clock.advance(0);
    expect(done).toBe(true);
    for (let i = 0; i < 6; i++) (await limiter.acquire()).release(); // the burst: the next grant is 17 ms away
    const events: string[] = [];
    void limiter.acquire().then((p) => {
      events.push(`granted at ${clock.now() - t0}`);
      p.release();
    });
    await clock.advance(0);
    // work of 5 ms would end before the grant: go ahead
    void graph.yieldToLimiter(5).then(() => events.push('short work starts'));
    await clock.advance(0);
    // work of 50 ms would hold the grant back: wait until its request is out (a few ms after it)
    void graph.yieldToLimiter(50).then(() => events.push(`long work starts at ${clock.now() - t0}`));
    for (let i = 0; i < 30; i++) await clock.advance(1);
    expect(events).toEqual(['short work starts', 'granted at 17', 'long work starts at 22']);
    await limiter.close();
  });
});

describe('GraphClient: large answers', () => {
  it('ends the microtask run before parsing a large answer, so requests granted meanwhile reach the wire first', async () => {
    // node:http writes a new request on a later tick (process.nextTick); stand-in for that write:
    // a tick queued when the answer comes back. Without a turn before the parse, the whole parse
    // (and the work after it) ran before that tick.
    const big = JSON.stringify({ value: [{ id: 'x', subject: 's'.repeat(2 * 1024 * 1024) }] });
    const order: string[] = [];
    const fetchImpl = (async () => {
      process.nextTick(() => order.push('request written'));
      return new BufferedResponse(Buffer.from(big), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as unknown as typeof fetch;
    const { graph } = client({ fetchImpl });
    const parse = JSON.parse;
    const spy = jest.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      if (text.length > 1024 * 1024) order.push('answer parsed');
      return parse(text, reviver) as unknown;
    });
    try {
      const page = await graph.get<{ value: Array<{ subject: string }> }>('/users/a/events');
      expect(page.value[0].subject).toHaveLength(2 * 1024 * 1024);
    } finally {
      spy.mockRestore();
    }
    expect(order).toEqual(['request written', 'answer parsed']);
  });
});

describe('GraphClient: rate limiter and the wire', () => {
  it('reports to the permit when the attempt went on the wire (Permit.sent)', async () => {
    const limiter = createMemoryRateLimiter({});
    const reported: Array<{ grantedAt: number; at: number }> = [];
    const acquire = limiter.acquire.bind(limiter);
    limiter.acquire = async (...args: Parameters<typeof limiter.acquire>) => {
      const permit = await acquire(...args);
      return { ...permit, release: () => permit.release(), sent: (at: number) => (reported.push({ grantedAt: permit.grantedAt, at }), permit.sent(at)) };
    };
    let wire: (() => void) | undefined;
    const fetchImpl = (async (_input: unknown, init: { onWire?: () => void }) => {
      wire = init.onWire;
      await new Promise((r) => setTimeout(r, 30)); // a handshake
      init.onWire?.();
      return new Response('{"id":"u1"}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as unknown as typeof fetch;
    const { graph } = client({ fetchImpl, limiter });
    await graph.get('/users/u1');
    expect(wire).toBeDefined();
    expect(reported).toHaveLength(1);
    expect(reported[0].at - reported[0].grantedAt).toBeGreaterThanOrEqual(25);
    await limiter.close();
  });
});

