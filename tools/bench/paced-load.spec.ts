import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacedLoad } from './paced-load';

describe('pacedLoad: a steady arrival rate, latencies from when each request was due', () => {
  let server: Server;
  let base: string;
  const arrivals: number[] = [];
  let stallOn = -1;

  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push(performance.now());
      const i = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('i'));
      const answer = (): void => void res.writeHead(i % 10 === 9 ? 404 : 200).end('ok');
      if (i === stallOn) setTimeout(answer, 300);
      else answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    arrivals.length = 0;
    stallOn = -1;
  });

  it('spreads the requests over the second instead of sending them at once', async () => {
    const f = await pacedLoad({ base, rate: 100, durationS: 1, headers: {}, path: (i) => `/?i=${i}` });
    expect(f.requests).toBe(100);
    expect(arrivals).toHaveLength(100);
    // 100/s is one per 10 ms: no 50 ms holds more than a handful (a burst would put them all in one)
    const most = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 50).length));
    expect(most).toBeLessThanOrEqual(8);
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThan(900);
    expect(f.non2xx).toBe(10);
    expect(f.errors).toBe(0);
  });

  it("keeps sending while one request stalls, and counts the stall in full (not one sender's wait)", async () => {
    stallOn = 20;
    const f = await pacedLoad({ base, rate: 100, durationS: 1, headers: {}, path: (i) => `/?i=${i}` });
    expect(f.maxMs).toBeGreaterThanOrEqual(300);
    // the others were not held behind it: the median stays small, and a second connection was opened
    expect(f.p50Ms).toBeLessThan(50);
    expect(f.connections).toBeGreaterThan(1);
  });
});
