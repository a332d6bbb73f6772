/**
 * The two-thread simulator: front end (HTTPS, arrival stamps) and back end (tenant, routes, msw
 * identity handlers) over a MessagePort. Here both ends share a MessageChannel in this thread; the
 * conformance suite runs the built simulator, whose back end is a real worker thread.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { people, testSimulator } from '../testing/simulator-test-kit';
import type { Simulator } from '../simulator';
import { answerWire, encodeChunks, serveSimulatorBackend, SimulatorBackendClient, startSimulatorWorker, type WireRequest } from './backend';
import { startSimulatorServer, type SimulatorServer } from './server';

const [adele] = people;
const stamp = (): number => performance.timeOrigin + performance.now();

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(server: SimulatorServer, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, server.origin), { method, headers, ca: readFileSync(server.certPath) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('simulator back end', () => {
  describe('over HTTPS, answered through a MessagePort', () => {
    const certDir = mkdtempSync(join(tmpdir(), 'sim-backend-'));
    let local: SimulatorServer;
    let remote: SimulatorServer;
    let localSim: Simulator;
    let remoteSim: Simulator;
    let channel: MessageChannel;
    beforeAll(async () => {
      localSim = testSimulator().sim;
      remoteSim = testSimulator().sim;
      channel = new MessageChannel();
      serveSimulatorBackend(Object.assign(remoteSim, { health: () => ({ users: 3 }) }), channel.port2);
      local = await startSimulatorServer({ simulator: localSim, port: 0, certDir });
      remote = await startSimulatorServer({ backend: new SimulatorBackendClient(channel.port1), port: 0, certDir });
    });
    afterAll(async () => {
      await Promise.all([local?.close(), remote?.close()]);
      channel?.port1.close();
      rmSync(certDir, { recursive: true, force: true });
    });

    const same = async (method: string, path: string, headers: (sim: Simulator) => Record<string, string> = () => ({}), body?: string): Promise<Answer> => {
      const a = await send(local, method, path, headers(localSim), body);
      const b = await send(remote, method, path, headers(remoteSim), body);
      const strip = (x: Answer, origin: string) => {
        const { date: _d, connection: _c, 'keep-alive': _k, 'request-id': _r, 'client-request-id': _cr, ...rest } = x.headers;
        // two servers, two ports: the host is taken out, and the request ids and dates that differ per answer
        const host = new URL(origin).host;
        const plain = (text: string): string =>
          text
            .split(host)
            .join('<host>')
            .replace(/"date":"[^"]*"/g, '"date":"-"')
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
        return { status: x.status, headers: JSON.parse(plain(JSON.stringify(rest))) as unknown, body: plain(x.body) };
      };
      expect(strip(b, remote.origin)).toEqual(strip(a, local.origin));
      return b;
    };
    const app = (sim: Simulator): Record<string, string> => ({ authorization: `Bearer ${sim.appToken()}` });

    it('answers Graph routes as the single-threaded server does', async () => {
      const users = await same('GET', '/v1.0/users?$top=2', app);
      expect(users.status).toBe(200);
      expect(JSON.parse(users.body).value).toHaveLength(2);
      const created = await same('POST', `/v1.0/users/${adele.id}/events`, (s) => ({ ...app(s), 'content-type': 'application/json' }), JSON.stringify({ subject: 'Wire', start: { dateTime: '2026-03-04T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-04T13:00:00', timeZone: 'UTC' } }));
      expect(created.status).toBe(201);
      expect(created.headers['content-length']).toBe(String(Buffer.byteLength(created.body)));
      const view = await same('GET', `/v1.0/users/${adele.id}/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z`, app);
      expect(JSON.parse(view.body).value.map((e: { subject: string }) => e.subject)).toContain('Wire');
      const batch = await same('POST', '/v1.0/$batch', (s) => ({ ...app(s), 'content-type': 'application/json' }), JSON.stringify({ requests: [{ id: '1', method: 'GET', url: `/users/${adele.id}` }] }));
      expect(JSON.parse(batch.body).responses[0].status).toBe(200);
      expect((await same('GET', '/v1.0/users')).status).toBe(401);
      expect((await same('POST', '/v1.0/$batch', (s) => ({ ...app(s), 'content-type': 'application/json' }), '{not json')).status).toBe(400);
    });

    it('answers identity routes (msw handlers), unknown routes and HEAD as the single-threaded server does', async () => {
      const config = await same('GET', '/common/v2.0/.well-known/openid-configuration');
      expect(config.status).toBe(200);
      expect(JSON.parse(config.body).token_endpoint).toBe(`${remote.origin}/common/oauth2/v2.0/token`);
      const token = await same('POST', `/${localSim.tenantId}/oauth2/v2.0/token`, () => ({ 'content-type': 'application/x-www-form-urlencoded' }), 'grant_type=client_credentials&client_id=nobody&client_secret=x&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default');
      expect(token.status).toBe(400);
      expect((await same('GET', '/nothing/here')).status).toBe(404);
      // Graph has no HEAD (405, with the length of the error it would send); no body either way
      const head = await same('HEAD', '/v1.0/users', app);
      expect(head).toMatchObject({ status: 405, body: '' });
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    });

    it('answers on the origin the request came to (127.0.0.1 or localhost), on one thread and through the back end', async () => {
      for (const server of [local, remote]) {
        for (const hostname of ['127.0.0.1', 'localhost']) {
          const origin = `https://${hostname}:${server.port}`;
          const get = (path: string, headers: Record<string, string> = {}) => send(server, 'GET', new URL(path, origin).href, headers);
          const auth = { authorization: `Bearer ${(server === local ? localSim : remoteSim).appToken()}` };
          const metadata = JSON.parse((await get('/common/v2.0/.well-known/openid-configuration')).body) as Record<string, string>;
          expect(metadata['issuer']).toBe(`${origin}/${localSim.tenantId}/v2.0`);
          expect(metadata['token_endpoint']).toBe(`${origin}/common/oauth2/v2.0/token`);
          expect(metadata['authorization_endpoint']).toBe(`${origin}/common/oauth2/v2.0/authorize`);
          expect(metadata['jwks_uri']).toBe(`${origin}/common/discovery/v2.0/keys`);
          const users = JSON.parse((await get('/v1.0/users?$top=1', auth)).body) as Record<string, string>;
          expect(users['@odata.context']).toBe(`${origin}/v1.0/$metadata#users`);
          expect(users['@odata.nextLink'].startsWith(`${origin}/v1.0/users?`)).toBe(true);
          const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
          let link: string | undefined = `${origin}/v1.0/users/${adele.id}/calendarView/delta?${window}`;
          let page: Record<string, string> = {};
          while (link) {
            page = JSON.parse((await send(server, 'GET', link, { ...auth, prefer: 'odata.maxpagesize=1' })).body) as Record<string, string>;
            expect(page['@odata.context']).toBe(`${origin}/v1.0/$metadata#Collection(event)`);
            link = page['@odata.nextLink'];
            if (link) expect(link.startsWith(`${origin}/v1.0/`)).toBe(true);
          }
          expect(page['@odata.deltaLink'].startsWith(`${origin}/v1.0/users/${adele.id}/calendarView/delta?$deltatoken=`)).toBe(true);
        }
      }
    });

    it('merges the back end health into GET /api/health', async () => {
      const health = await send(remote, 'GET', '/api/health');
      expect(JSON.parse(health.body)).toEqual({ status: 'ok', users: 3 });
    });
  });

  describe('arrival stamps', () => {
    const wire = (sim: Simulator, receivedAt: number): WireRequest => ({
      method: 'GET',
      url: `https://graph.microsoft.com/v1.0/users/${adele.id}`,
      rawHeaders: ['Authorization', `Bearer ${sim.appToken()}`],
      receivedAt,
    });

    it('counts a request against the per-second cap from when the front end received it', async () => {
      const { sim } = testSimulator();
      sim.faults = { maxRequestsPerSecond: 1 };
      // received 1.5 s ago (answered only now, as by a busy back end), then one received now: 1.5 s apart
      expect((await answerWire(sim, wire(sim, stamp() - 1500))).status).toBe(200);
      expect((await answerWire(sim, wire(sim, stamp()))).status).toBe(200);
    });

    it('refuses the second of two requests received within the same second', async () => {
      const { sim } = testSimulator();
      sim.faults = { maxRequestsPerSecond: 1 };
      expect((await answerWire(sim, wire(sim, stamp() - 300))).status).toBe(200);
      const second = await answerWire(sim, wire(sim, stamp()));
      expect(second.status).toBe(429);
      expect(Number(second.headers['retry-after'])).toBeCloseTo(0.7, 1);
    });
  });

  it('encodes text in UTF-8 chunks of about 256 KB, each on its own buffer', () => {
    const parts = ['{"a":"', 'é'.repeat(200_000), 'x'.repeat(300_000), '"}'];
    const chunks = encodeChunks(parts);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(parts.join(''));
    expect(chunks.length).toBe(2);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
    for (const c of chunks) expect(c.byteOffset).toBe(0);
  });

  describe('worker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-worker-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const script = (name: string, body: string): string => {
      const file = join(dir, name);
      writeFileSync(file, `const { parentPort, workerData } = require('node:worker_threads');\n${body}\n`);
      return file;
    };

    it('rejects when the back end fails to start, with its reason', async () => {
      const file = script('failing.cjs', `parentPort.postMessage({ kind: 'failed', error: 'SIM_SEED_USERS: too many' });`);
      await expect(startSimulatorWorker(file, () => undefined)).rejects.toThrow('SIM_SEED_USERS: too many');
    });

    it('passes calls to the worker, and tells when it stops', async () => {
      const file = script(
        'serving.cjs',
        `parentPort.postMessage({ kind: 'ready', info: { role: workerData.role } });
parentPort.on('message', (m) => {
  if (m.kind === 'health') process.exit(3);
  const body = Buffer.from(m.req.method + ' ' + m.req.url);
  parentPort.postMessage({ id: m.id, ok: true, value: { status: 200, headers: { 'content-length': String(body.length) }, chunks: [body] } });
});`,
      );
      const stopped = new Promise<Error>((resolve) => {
        void startSimulatorWorker(file, resolve).then(async (worker) => {
          expect(worker.info).toEqual({ role: 'graph-simulator-backend' });
          const answer = await worker.backend.handle({ method: 'GET', url: 'https://localhost/x', rawHeaders: [], receivedAt: stamp() });
          expect(Buffer.from(answer.chunks[0]).toString()).toBe('GET https://localhost/x');
          await expect(worker.backend.health()).rejects.toThrow('exit code 3');
        });
      });
      expect((await stopped).message).toContain('exit code 3');
    });
  });
});
