import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID } from '../state/types';
import { testIdentity } from '../testing/identity-test-tenant';
import { startSimulatorServer, type SimulatorServer } from './server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const certDir = mkdtempSync(join(tmpdir(), 'sim-cert-'));
const { identity } = testIdentity();
const extra = [
  http.get('*/v1.0/cookies', () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/');
    return new HttpResponse('two cookies', { headers });
  }),
  http.post('*/v1.0/echo', async ({ request }) =>
    HttpResponse.json({ url: request.url, method: request.method, contentType: request.headers.get('content-type'), body: await request.text() }, { status: 201 }),
  ),
  http.get('*/v1.0/reset', () => HttpResponse.error()),
  http.get('*/v1.0/boom', () => {
    throw new Error('handler failed');
  }),
  http.get('*/v1.0/large', () => {
    const chunk = new Uint8Array(100 * 1024).fill(120);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    return new HttpResponse(stream, { headers: { 'content-type': 'application/octet-stream' } });
  }),
  http.get('*/v1.0/stream', () => {
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(encoder.encode(`part${i};`));
        controller.close();
      },
    });
    return new HttpResponse(stream, { headers: { 'content-type': 'text/plain' } });
  }),
];
let server: SimulatorServer;
let ca: string;

beforeAll(async () => {
  server = await startSimulatorServer({ simulator: { handlers: () => [...identity.handlers(), ...extra] }, port: 0, httpPort: 0, certDir });
  ca = readFileSync(server.certPath, 'utf8');
});
afterAll(async () => {
  await server?.close();
  rmSync(certDir, { recursive: true, force: true });
});

function call(path: string, options: RequestOptions & { body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, server.origin), { ca, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('standalone simulator server', () => {
  it('serves HTTPS on localhost with a CA certificate for localhost and 127.0.0.1', () => {
    expect(server.origin).toMatch(/^https:\/\/localhost:\d+$/);
    expect(server.certificateGenerated).toBe(true);
    const x509 = new X509Certificate(ca);
    expect(x509.ca).toBe(true);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // Node reports extended key usage: serverAuth
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: ca }).toString();
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment, Certificate Sign/);
    expect(x509.subjectAltName).toContain('DNS:localhost');
  });

  it('answers /api/health', async () => {
    const res = await call('/api/health');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  it('resolves requests against the simulator handlers on its own origin', async () => {
    const res = await call(`/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, string>;
    expect(body['issuer']).toBe(`${server.origin}/${DEFAULT_TENANT_ID}/v2.0`);
    expect(body['token_endpoint']).toBe(`${server.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`);

    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' }).toString();
    const token = await call(`/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(token.status).toBe(200);
    const accessToken = (JSON.parse(token.body) as { access_token: string }).access_token;
    expect(identity.verify(`Bearer ${accessToken}`).ok).toBe(true);
  });

  it('builds its answers on the Host the request named, and on its own origin when Host is not a bare host[:port]', async () => {
    const issuer = async (host: string) => {
      const res = await call(`/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`, { headers: { host }, servername: 'localhost' });
      return (JSON.parse(res.body) as Record<string, string>)['issuer'];
    };
    expect(await issuer(`127.0.0.1:${server.port}`)).toBe(`https://127.0.0.1:${server.port}/${DEFAULT_TENANT_ID}/v2.0`);
    expect(await issuer(`[::1]:${server.port}`)).toBe(`https://[::1]:${server.port}/${DEFAULT_TENANT_ID}/v2.0`);
    expect(await issuer('sim.test')).toBe(`https://sim.test/${DEFAULT_TENANT_ID}/v2.0`);
    for (const bad of ['evil.example/path', 'user@evil.example', 'evil.example?x=1', 'evil.example#x', 'localhost:99999', '-bad-']) {
      expect(await issuer(bad)).toBe(`${server.origin}/${DEFAULT_TENANT_ID}/v2.0`);
    }
    const plain = await new Promise<string>((resolve, reject) => {
      const url = new URL(`/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`, `http://127.0.0.1:${server.httpPort}`);
      httpRequest(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>)['issuer']));
      }).on('error', reject).end();
    });
    expect(plain).toBe(`http://127.0.0.1:${server.httpPort}/${DEFAULT_TENANT_ID}/v2.0`);
  });

  it('passes method, headers and body through and streams the answer back', async () => {
    const echo = await call('/v1.0/echo?x=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
    expect(echo.status).toBe(201);
    expect(JSON.parse(echo.body)).toEqual({ url: `${server.origin}/v1.0/echo?x=1`, method: 'POST', contentType: 'application/json', body: '{"hello":"world"}' });
    const stream = await call('/v1.0/stream');
    expect(stream.body).toBe('part0;part1;part2;');
    expect(stream.headers['content-length']).toBe('18');
    const large = await call('/v1.0/large');
    expect(large.body).toHaveLength(500 * 1024);
    expect(large.headers['transfer-encoding']).toBe('chunked');
    const cookies = await call('/v1.0/cookies');
    expect(cookies.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('writes a large dispatcher answer in pieces: every character (surrogate pairs across piece ends included) and the right length', async () => {
    const piece = 512 * 1024;
    // an emoji (a surrogate pair) straddles the end of the first piece; multi-byte text after it
    const text = JSON.stringify({ value: 'a'.repeat(piece - 11) + '😀' + 'ü'.repeat(300_000) + '😀'.repeat(200_000) + '€' });
    // as one text, and as pieces (small ones gathered, a large one cut) the way $batch answers
    const pieces = [text.slice(0, 10), text.slice(10, 30_000), text.slice(30_000, 30_001), text.slice(30_001)];
    expect(pieces.join('')).toBe(text);
    let answer: { text?: string; textParts?: string[] } = { text };
    const direct = await startSimulatorServer({
      simulator: {
        handlers: () => [],
        dispatch: () => Promise.resolve({ status: 200, headers: { 'Content-Type': 'application/json' }, body: undefined, ...answer }),
      },
      port: 0,
      certDir,
    });
    try {
      for (const form of [{ text }, { textParts: pieces }]) {
        answer = form;
        const res = await new Promise<Reply>((resolve, reject) => {
          const req = httpsRequest(new URL('/v1.0/anything', direct.origin), { ca }, (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks).toString('utf8') }));
            r.on('error', reject);
          });
          req.on('error', reject);
          req.end();
        });
        expect(res.status).toBe(200);
        expect(res.headers['content-length']).toBe(String(Buffer.byteLength(text)));
        expect(res.body.length).toBe(text.length);
        expect(res.body === text).toBe(true);
      }
    } finally {
      await direct.close();
    }
  });

  it('answers an unknown route with a Graph-style 404 and a failing handler with a 500', async () => {
    const res = await call('/v1.0/nothing-here', { headers: { 'client-request-id': 'abc' } });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'NotFound', message: expect.stringContaining('/v1.0/nothing-here'), innerError: expect.objectContaining({ 'client-request-id': 'abc' }) } });
    const boom = await call('/v1.0/boom');
    expect(boom.status).toBe(500);
    expect((JSON.parse(boom.body) as { error: { code: string } }).error.code).toBe('InternalServerError');
  });

  it('turns HttpResponse.error() into a reset connection', async () => {
    await expect(call('/v1.0/reset')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|socket hang up/) });
  });

  it('also listens on plain HTTP when asked', async () => {
    expect(server.httpOrigin).toMatch(/^http:\/\/localhost:\d+$/);
    const res = await fetch(`${server.httpOrigin}/api/health`);
    expect(res.status).toBe(200);
  });

  it('is trusted by a Node process started with NODE_EXTRA_CA_CERTS, and only then', async () => {
    const script = `fetch(process.argv[1]).then(async (r) => console.log(r.status + ' ' + (await r.text())), (e) => console.log('error ' + (e.cause?.code ?? e.message)))`;
    const run = (env: NodeJS.ProcessEnv): Promise<string> =>
      new Promise((resolve, reject) =>
        execFile(process.execPath, ['-e', script, `${server.origin}/api/health`], { env: { PATH: process.env['PATH'], ...env } }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
      );
    const [trusted, untrusted] = await Promise.all([run({ NODE_EXTRA_CA_CERTS: server.certPath }), run({})]);
    expect(trusted).toBe('200 {"status":"ok"}');
    expect(untrusted).toMatch(/^error (SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
  });

  it('reuses a valid certificate on the next start', async () => {
    const again = await startSimulatorServer({ simulator: { handlers: [] }, port: 0, certDir });
    try {
      expect(again.certificateGenerated).toBe(false);
      expect(readFileSync(again.certPath, 'utf8')).toBe(ca);
      expect(again.origin).not.toBe(server.origin);
    } finally {
      await again.close();
    }
  });
});
