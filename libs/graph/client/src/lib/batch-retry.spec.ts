import { createMemoryRateLimiter } from '@ocb/rate-limiter';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GraphClient } from './graph-client';
import type { GraphClientOptions } from './options';

/** `$batch` items answered 429/5xx are retried one by one, as whole requests are (own Graph double). */
const BASE = 'https://graph.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface SentItem {
  id: string;
  method: string;
  url: string;
}

type ItemAnswer = { status: number; headers?: Record<string, string>; body?: unknown };

/**
 * A `$batch` endpoint: `answer(item, attempt)` decides each item's answer (attempt counts from 1);
 * every POST is recorded with the time it arrived and its item ids.
 */
function batchEndpoint(answer: (item: SentItem, attempt: number) => ItemAnswer) {
  const posts: Array<{ at: number; ids: string[] }> = [];
  const attempts = new Map<string, number>();
  server.use(
    http.post(`${BASE}/v1.0/$batch`, async ({ request }) => {
      const body = (await request.json()) as { requests: SentItem[] };
      posts.push({ at: Date.now(), ids: body.requests.map((r) => r.id) });
      return HttpResponse.json({
        responses: body.requests.map((r) => {
          const n = (attempts.get(r.id) ?? 0) + 1;
          attempts.set(r.id, n);
          const a = answer(r, n);
          return { id: r.id, status: a.status, headers: { 'Content-Type': 'application/json', ...a.headers }, body: a.body ?? {} };
        }),
      });
    }),
  );
  return { posts, attempts };
}

const failure = (status: number, code: string, headers: Record<string, string> = {}): ItemAnswer => ({
  status,
  headers,
  body: { error: { code, message: `${code} (test)` } },
});

function client(extra: Partial<GraphClientOptions> = {}): { graph: GraphClient; retries: string[] } {
  const retries: string[] = [];
  const graph = new GraphClient({
    baseUrl: BASE,
    tokenProvider: async () => 'token',
    retryBaseDelayMs: 2,
    retryMaxDelayMs: 20,
    maxRetries: 3,
    telemetry: { onRetry: (r) => void retries.push(r) },
    ...extra,
  });
  return { graph, retries };
}

const get = (id: string, user = 'u1') => ({ id, method: 'GET', url: `/users/${user}/calendarView/delta?startDateTime=a&endDateTime=b` });

describe('$batch item retries', () => {
  it('items answered 500 or 502 are re-sent (alone, in a later batch) until they succeed', async () => {
    const { posts, attempts } = batchEndpoint((item, attempt) => {
      if (item.id === 'a' && attempt === 1) return failure(500, 'generalException');
      if (item.id === 'b' && attempt <= 2) return failure(502, 'BadGateway');
      return { status: 200, body: { value: [], id: item.id } };
    });
    const { graph, retries } = client();
    const results = await graph.batch([get('a'), get('b'), get('c')]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 200],
      ['c', 200],
    ]);
    expect(posts[0].ids).toEqual(['a', 'b', 'c']);
    expect(posts.slice(1).every((p) => !p.ids.includes('c'))).toBe(true);
    expect(Object.fromEntries(attempts)).toEqual({ a: 2, b: 3, c: 1 });
    expect(retries.sort()).toEqual(['batch-item-500', 'batch-item-502', 'batch-item-502']);
  });

  it("a 429 item waits its own Retry-After before it is re-sent (not the client's shorter backoff)", async () => {
    const { posts } = batchEndpoint((item, attempt) =>
      item.id === 'slow' && attempt === 1
        ? failure(429, 'ApplicationThrottled', { 'Retry-After': '0.4' })
        : { status: 200, body: { value: [] } },
    );
    const { graph, retries } = client();
    const results = await graph.batch([get('slow'), get('fast', 'u2')]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(posts).toHaveLength(2);
    expect(posts[1].ids).toEqual(['slow']);
    // backoff alone would be ≤ 20 ms here
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(380);
    expect(retries).toEqual(['batch-item-429']);
  });

  it('a 503 item without Retry-After is re-sent after backoff with jitter', async () => {
    const { posts } = batchEndpoint((item, attempt) => (attempt === 1 ? failure(503, 'serviceNotAvailable') : { status: 200, body: { value: [] } }));
    const draws: number[] = [];
    const { graph, retries } = client({
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 1000,
      random: () => {
        draws.push(0.5);
        return 0.5;
      },
    });
    const results = await graph.batch([get('x')]);
    expect(results[0].status).toBe(200);
    expect(posts).toHaveLength(2);
    expect(draws.length).toBeGreaterThan(0);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(20);
    expect(retries).toEqual(['batch-item-503']);
  });

  it('the retry budget exhausted: the item reports its last failure, the others their results', async () => {
    const { posts, attempts } = batchEndpoint((item) => (item.id === 'bad' ? failure(500, 'generalException') : { status: 200, body: { value: [] } }));
    const { graph, retries } = client({ maxRetries: 2 });
    const results = await graph.batch([get('good'), get('bad', 'u2')]);
    expect(results[0]).toMatchObject({ id: 'good', status: 200 });
    expect(results[1]).toMatchObject({ id: 'bad', status: 500, body: { error: { code: 'generalException' } } });
    // one attempt and maxRetries retries, no more
    expect(attempts.get('bad')).toBe(3);
    expect(posts).toHaveLength(3);
    expect(retries).toEqual(['batch-item-500', 'batch-item-500']);
  });

  it('a POST item answered 500 is not repeated unless flagged idempotent', async () => {
    const { attempts } = batchEndpoint((item, attempt) => (attempt === 1 ? failure(500, 'generalException') : { status: 201, body: {} }));
    const { graph } = client();
    const results = await graph.batch([
      { id: 'plain', method: 'POST', url: '/users/u1/events', body: { subject: 'x' } },
      { id: 'safe', method: 'POST', url: '/users/u1/events', body: { subject: 'y', transactionId: 't' }, idempotent: true },
    ]);
    expect(results.map((r) => r.status)).toEqual([500, 201]);
    expect(attempts.get('plain')).toBe(1);
    expect(attempts.get('safe')).toBe(2);
  });
});

describe('$batch under a small budget', () => {
  it.each([1, 5, 10])('at %i request(s) per second, batches hold at most that many items and every item is served', async (perSecond) => {
    const { posts } = batchEndpoint(() => ({ status: 200, body: { value: [] } }));
    const limiter = createMemoryRateLimiter({ requestsPerInterval: perSecond, intervalMs: 100, windowMarginMs: 0 });
    const { graph } = client({ limiter });
    try {
      const items = Array.from({ length: 12 }, (_, i) => get(String(i), `u${i}`));
      const results = await graph.batch(items);
      expect(results.map((r) => r.status)).toEqual(items.map(() => 200));
      expect(Math.max(...posts.map((p) => p.ids.length))).toBeLessThanOrEqual(perSecond);
      expect(posts.flatMap((p) => p.ids).sort()).toEqual(items.map((i) => i.id).sort());
    } finally {
      await limiter.close();
    }
  });
});
