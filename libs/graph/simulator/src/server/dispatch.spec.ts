/**
 * The core dispatcher answers exactly as the msw handlers do: in process (SimRequest in, same
 * status/headers/body out) and over HTTPS (the server's direct path vs its msw path).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, people, testSimulator } from '../testing/simulator-test-kit';
import type { Simulator } from '../simulator';
import { responseText, type SimRequest } from '../graph/http';
import { startSimulatorServer, type SimulatorServer } from './server';

const [adele, alex] = people;
const WINDOW = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';

interface Step {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  token?: null;
}

const steps: Step[] = [
  { method: 'GET', path: '/v1.0/users?$top=2' },
  { method: 'POST', path: `/v1.0/users/${adele.id}/events`, body: { subject: 'Sync', start: { dateTime: '2026-03-04T12:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-03-04T13:00:00', timeZone: 'Pacific Standard Time' }, attendees: [{ emailAddress: { address: alex.mail } }] } },
  { method: 'POST', path: `/v1.0/users/${adele.id}/events`, body: { subject: 'Weekly', start: { dateTime: '2026-03-02T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-02T09:30:00', timeZone: 'UTC' }, recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 14 } } } },
  { method: 'GET', path: `/v1.0/users/${adele.id}/calendarView?${WINDOW}`, headers: { Prefer: 'outlook.timezone="Pacific Standard Time", outlook.body-content-type="text"' } },
  { method: 'GET', path: `/v1.0/users/${adele.id}/calendarView?${WINDOW}&$skip=10&$top=3&$select=subject,start` },
  { method: 'GET', path: `/v1.0/users/${alex.id}/calendarView?${WINDOW}&$top=100` },
  { method: 'GET', path: `/v1.0/users/${alex.id}/calendarView/delta?${WINDOW}` },
  { method: 'GET', path: `/v1.0/users/${adele.id}/calendarView` },
  { method: 'GET', path: `/v1.0/users/ghost@contoso.com/calendarView?${WINDOW}` },
  { method: 'GET', path: '/v1.0/users', token: null, headers: { 'client-request-id': 'c-1' } },
  { method: 'POST', path: '/v1.0/$batch', body: { requests: [{ id: '1', method: 'GET', url: `/users/${alex.id}` }, { id: '2', method: 'GET', url: '/users?$top=1' }] } },
  { method: 'GET', path: '/_sim/stats' },
];

function simRequest(sim: Simulator, s: Step, origin: string): SimRequest {
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(s.headers ?? {})) headers.set(k.toLowerCase(), v);
  if (s.token !== null) headers.set('authorization', `Bearer ${sim.appToken()}`);
  if (s.body !== undefined) headers.set('content-type', 'application/json');
  return { method: s.method, url: new URL(origin + s.path), headers, body: s.body === undefined ? undefined : JSON.parse(JSON.stringify(s.body)) };
}

const lower = (h: Iterable<[string, string]>): Record<string, string> => Object.fromEntries([...h].map(([k, v]) => [k.toLowerCase(), v]));

describe('core dispatcher', () => {
  it('answers as the msw handlers do (status, headers, body)', async () => {
    const viaMsw = testSimulator().sim;
    const direct = testSimulator().sim;
    for (const s of steps) {
      const a = await call(viaMsw, s.method, 'https://graph.microsoft.com' + s.path, { token: s.token, body: s.body, headers: s.headers });
      const answer = direct.dispatch(simRequest(direct, s, 'https://graph.microsoft.com'));
      if (!answer) throw new Error(`no dispatch for ${s.path}`);
      const b = await answer;
      const text = responseText(b);
      expect({ step: s.path, status: b.status, headers: lower(Object.entries(b.headers)), body: text === null ? null : JSON.parse(text) }).toEqual({
        step: s.path,
        status: a.status,
        headers: lower(a.headers.entries()),
        body: a.body,
      });
    }
  });

  it('leaves identity paths to the msw handlers', () => {
    const { sim } = testSimulator();
    const req = (path: string): SimRequest => ({ method: 'GET', url: new URL('https://localhost' + path), headers: new Map(), body: undefined });
    expect(sim.dispatch(req('/tenant/oauth2/v2.0/authorize'))).toBeUndefined();
    expect(sim.dispatch(req('/tenant/v2.0/.well-known/openid-configuration'))).toBeUndefined();
    expect(sim.dispatch(req('/nothing'))).toBeUndefined();
  });

  describe('over HTTPS', () => {
    const certDir = mkdtempSync(join(tmpdir(), 'sim-dispatch-'));
    let fast: SimulatorServer;
    let slow: SimulatorServer;
    let fastSim: Simulator;
    let slowSim: Simulator;
    beforeAll(async () => {
      fastSim = testSimulator().sim;
      slowSim = testSimulator().sim;
      fast = await startSimulatorServer({ simulator: fastSim, port: 0, certDir });
      // Handlers only: the server resolves everything through msw.
      slow = await startSimulatorServer({ simulator: { handlers: slowSim.handlers }, port: 0, certDir });
    });
    afterAll(async () => {
      await Promise.all([fast?.close(), slow?.close()]);
      rmSync(certDir, { recursive: true, force: true });
    });

    const send = (server: SimulatorServer, sim: Simulator, s: Step): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string> = { ...(s.headers ?? {}) };
        if (s.token !== null) headers.authorization = `Bearer ${sim.appToken()}`;
        if (s.body !== undefined) headers['content-type'] = 'application/json';
        const req = httpsRequest(new URL(s.path, server.origin), { method: s.method, headers, ca: readFileSync(server.certPath) }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = res.headers;
            resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(s.body === undefined ? undefined : JSON.stringify(s.body));
      });

    it('gives the same answers on the direct path as through msw', async () => {
      for (const s of steps) {
        const a = await send(slow, slowSim, s);
        const b = await send(fast, fastSim, s);
        // Origins differ (two servers): compare with the origin taken out.
        const strip = (x: { status: number; headers: Record<string, unknown>; body: string }, origin: string) => ({
          step: s.path,
          status: x.status,
          headers: JSON.parse(JSON.stringify(x.headers).split(origin).join('<origin>')) as unknown,
          body: x.body.split(origin).join('<origin>'),
        });
        expect(strip(b, fast.origin)).toEqual(strip(a, slow.origin));
      }
    });
  });
});
