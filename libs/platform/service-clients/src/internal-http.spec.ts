import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthClient } from './auth.client';
import { InternalHttp } from './internal-http';
import { ServiceError } from './service-error';

describe('InternalHttp', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ url?: string; auth?: string }> = [];
  let failures = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      if (req.url?.startsWith('/api/internal/users/ana%40contoso.com/token')) {
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 409, code: 'CONSENT_REQUIRED', message: 'connect first', connectUrl: 'http://auth/connect?user=ana' }));
      } else if (req.url === '/api/internal/flaky') {
        if (failures-- > 0) {
          res.writeHead(503).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('passes a coded error through with its extra fields, sending the internal key', async () => {
    const auth = new AuthClient({ baseUrl: base, internalKey: 'ik' });
    const error = await auth.userToken('ana@contoso.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 409, code: 'CONSENT_REQUIRED', message: 'connect first', body: { connectUrl: 'http://auth/connect?user=ana' } });
    expect(seen.at(-1)?.auth).toBe('Bearer ik');
  });

  it('retries a GET answered 503 and then succeeds', async () => {
    failures = 2;
    const http = new InternalHttp({ baseUrl: base, internalKey: 'ik', attempts: 3 });
    await expect(http.request('GET', 'api/internal/flaky')).resolves.toEqual({ ok: true });
  });

  it('answers 503 UPSTREAM_UNAVAILABLE naming the host when nothing listens', async () => {
    const http = new InternalHttp({ baseUrl: 'http://127.0.0.1:9', internalKey: 'ik', attempts: 1 });
    await expect(http.request('GET', 'api/internal/x')).rejects.toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('127.0.0.1:9') });
  });
});
