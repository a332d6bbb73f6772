/**
 * SDK conformance: the built simulator runs as its own process (HTTPS, self-signed certificate);
 * the official @azure/msal-node and @microsoft/microsoft-graph-client run in another process
 * started with NODE_EXTRA_CA_CERTS, changing nothing but base addresses (sdk-scenarios.ts).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const MAIN = join(ROOT, 'dist/apps/graph-simulator/main.js');
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_SECRET = 'sim-dev-secret';
const REDIRECT_URI = 'http://localhost:3001/app/api/auth/serviceAction/callback';

type Scenario = { ok: boolean; error?: string } & Record<string, unknown>;

jest.setTimeout(120_000);

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

function buildIfStale(): void {
  const sources = newestSource([join(ROOT, 'apps/graph-simulator/src'), join(ROOT, 'libs/graph/simulator/src'), join(ROOT, 'libs/domain')]);
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= sources) return;
  const b = spawnSync(process.execPath, [join(ROOT, 'tools/build/build.mjs'), 'graph-simulator', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), 'sim-conformance-'));
let sim: ChildProcess | undefined;
let simOutput = '';
let origin = '';
let certPath = '';
let scenarios: Record<string, Scenario> = {};
let kiotaScenarios: Record<string, Scenario> = {};

beforeAll(async () => {
  buildIfStale();
  sim = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      SIM_PORT: '0',
      SIM_CERT_DIR: join(work, 'cert'),
      SIM_SEED: '3',
      SIM_SEED_USERS: '12',
      SIM_SEED_EVENTS: '30',
      SIM_REDIRECT_URIS: REDIRECT_URI,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  sim.stderr!.on('data', (c: Buffer) => (simOutput += c.toString()));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`simulator did not start:\n${simOutput}`)), 30_000);
    sim!.stdout!.on('data', (c: Buffer) => {
      simOutput += c.toString();
      const o = /listening on (https:\/\/localhost:\d+)/.exec(simOutput);
      const cert = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(simOutput);
      if (o && cert) {
        clearTimeout(timer);
        origin = o[1];
        certPath = cert[1];
        done();
      }
    });
    sim!.once('exit', (code) => fail(new Error(`simulator exited (${code}):\n${simOutput}`)));
  });

  const bundle = join(work, 'sdk-scenarios.js');
  const b = spawnSync(process.execPath, [join(ROOT, 'tools/build/build.mjs'), '--entry', join(__dirname, 'sdk-scenarios.ts'), '--out', bundle, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`scenario build failed: ${b.stderr}`);
  const settings = JSON.stringify({ origin, tenantId: TENANT_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
  const stdout = await new Promise<string>((done, fail) =>
    execFile(
      process.execPath,
      [bundle, settings],
      // node_modules resolve from the workspace: the bundle keeps npm packages external.
      { cwd: ROOT, env: { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: certPath, NODE_PATH: join(ROOT, 'node_modules') }, timeout: 60_000 },
      (err, out, errOut) => (err ? fail(new Error(`${err.message}\n${out}\n${errOut}`)) : done(out)),
    ),
  );
  const last = stdout.trim().split('\n').pop() ?? '{}';
  const parsed = JSON.parse(last) as { scenarios?: Record<string, Scenario>; fatal?: string };
  if (!parsed.scenarios) throw new Error(`scenarios failed: ${parsed.fatal ?? stdout}`);
  scenarios = parsed.scenarios;

  // the Kiota-based SDK is ES modules: its scenarios run unbundled, as Node loads them
  const kiotaOut = await new Promise<string>((done, fail) =>
    execFile(
      process.execPath,
      [join(__dirname, 'kiota-scenarios.mjs'), settings],
      { cwd: ROOT, env: { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: certPath }, timeout: 60_000 },
      (err, out, errOut) => (err ? fail(new Error(`${err.message}\n${out}\n${errOut}`)) : done(out)),
    ),
  );
  const kiota = JSON.parse(kiotaOut.trim().split('\n').pop() ?? '{}') as { scenarios?: Record<string, Scenario>; fatal?: string };
  if (!kiota.scenarios) throw new Error(`Kiota scenarios failed: ${kiota.fatal ?? kiotaOut}`);
  kiotaScenarios = kiota.scenarios;
});

afterAll(async () => {
  if (sim && sim.exitCode === null) {
    const exited = new Promise((done) => sim!.once('exit', done));
    sim.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

const scenario = (name: string): Scenario => {
  const s = scenarios[name];
  if (!s) throw new Error(`scenario ${name} did not run`);
  if (!s.ok) throw new Error(`scenario ${name} failed: ${JSON.stringify(s)}`);
  return s;
};

describe('SDK conformance against the standalone simulator', () => {
  it('prints its origin, certificate path and the NODE_EXTRA_CA_CERTS hint', () => {
    expect(origin).toMatch(/^https:\/\/localhost:\d+$/);
    expect(certPath).toBe(join(work, 'cert', 'localhost-cert.pem'));
    expect(simOutput).toContain(`NODE_EXTRA_CA_CERTS=${certPath}`);
  });

  it('MSAL: client credentials, then served from the cache', () => {
    expect(scenario('clientCredentials')).toMatchObject({ tokenType: 'Bearer', secondFromCache: true, sameToken: true });
    expect(scenario('clientCredentials')['expiresInSeconds']).toBeGreaterThan(3500);
  });

  it('Graph SDK: lists every user across pages with PageIterator', () => {
    const s = scenario('usersPageIterator');
    expect(s).toMatchObject({ count: 12, distinct: 12, firstPageSize: 5, hadNextLink: true });
  });

  it('MSAL: authorization code with PKCE and login_hint, redirect followed by hand', () => {
    const s = scenario('authorizationCodePkce');
    expect(s).toMatchObject({ redirectedTo: REDIRECT_URI, state: 'conformance-state', nonce: 'conformance-nonce', tenantId: TENANT_ID });
    expect(s['localAccountId']).toBe(s['expectedUserId']);
    expect(s['homeAccountId']).toBe(`${String(s['expectedUserId'])}.${TENANT_ID}`);
    expect(String(s['username'])).toContain('@');
  });

  it('MSAL: acquireTokenSilent with forceRefresh gets a new refresh token; the redeemed one still works (Microsoft does not revoke it)', () => {
    expect(scenario('refreshRotation')).toMatchObject({
      cachedBefore: 1,
      silentFromCache: true,
      refreshedFromCache: false,
      rotated: true,
      newAccessToken: true,
      oldRefreshStatus: 200,
    });
  });

  it('Graph SDK: calendarView pages in start order', () => {
    const s = scenario('calendarView');
    expect(s['count']).toBeGreaterThan(0);
    expect(s['ordered']).toBe(true);
  });

  it('Graph SDK with the delegated token: /me is the signed-in user', () => {
    expect(scenario('delegatedMe')['id']).toBe(scenario('authorizationCodePkce')['expectedUserId']);
  });

  it('Graph SDK: an app-only write is refused with 403 ErrorAccessDenied (least-privilege registration)', () => {
    expect(scenario('appOnlyWriteRefused')).toMatchObject({ ok: true, statusCode: 403, code: 'ErrorAccessDenied', isGraphError: true });
  });

  it('Graph SDK with the delegated token: creates, patches, reads and deletes an event; the deleted one is a 404 GraphError', () => {
    expect(scenario('eventLifecycle')).toEqual({
      ok: true,
      createdSubject: 'Conformance check',
      patchedSubject: 'Conformance check (moved)',
      fetchedSubject: 'Conformance check (moved)',
      afterDelete: { statusCode: 404, code: 'ErrorItemNotFound', isGraphError: true },
    });
  });

  it('Graph SDK: BatchRequestContent / BatchResponseContent round trip', () => {
    const s = scenario('batch');
    expect(s['statuses']).toEqual({ '1': 200, '2': 200, '3': 404 });
    expect(s['userId']).toBe(scenario('authorizationCodePkce')['expectedUserId']);
  });

  it('Graph SDK: a bad token surfaces as GraphError 401 InvalidAuthenticationToken', () => {
    expect(scenario('invalidTokenIsGraphError')).toMatchObject({ rejected: true, statusCode: 401, code: 'InvalidAuthenticationToken', isGraphError: true });
  });
});

const kiota = (name: string): Scenario => {
  const s = kiotaScenarios[name];
  if (!s) throw new Error(`Kiota scenario ${name} did not run`);
  if (!s.ok) throw new Error(`Kiota scenario ${name} failed: ${JSON.stringify(s)}`);
  return s;
};

// @microsoft/msgraph-sdk (Kiota) with Azure Identity: clients the services never use, unchanged
describe('Kiota Graph SDK + Azure Identity against the standalone simulator', () => {
  it('ClientSecretCredential: users paged to the end with the SDK PageIterator', () => {
    expect(kiota('usersPageIterator')).toMatchObject({ count: 12, distinct: 12, firstPageSize: 5, hadNextLink: true });
  });

  it('calendarView in start order', () => {
    const s = kiota('calendarView');
    expect(s['count']).toBeGreaterThan(0);
    expect(s).toMatchObject({ ordered: true, zone: 'UTC' });
  });

  it('calendarView delta() paged to its deltaLink (on the origin called), then one more round', () => {
    const s = kiota('deltaToDeltaLinkAndOneMoreRound');
    expect(s).toMatchObject({ pagedFirst: true, deltaLinkOnOrigin: true, roundTwoItems: 0, roundTwoHasDeltaLink: true });
    expect(s['items']).toBeGreaterThan(5);
  });

  it('a 404 surfaces as ODataError with Graph\'s code', () => {
    expect(kiota('notFoundIsODataError')).toMatchObject({ rejected: true, isODataError: true, statusCode: 404, code: 'ErrorItemNotFound' });
  });

  it('an app-only write is refused: 403 ErrorAccessDenied (least-privilege registration)', () => {
    expect(kiota('appOnlyWriteRefused')).toMatchObject({ refused: true, isODataError: true, statusCode: 403, code: 'ErrorAccessDenied' });
  });

  it('$batch through BatchRequestContent: each item its own status', () => {
    expect(kiota('batch')).toMatchObject({ statuses: { '1': 200, '2': 200, '3': 404 } });
  });

  it('answers on the origin it was called on: Azure Identity (MSAL) and paging work on 127.0.0.1 as on localhost', () => {
    const s = kiota('onAnotherOriginOfTheSameServer');
    expect(s).toMatchObject({ gotToken: true });
    expect(s['nextLinkOrigin']).toBe(s['other']);
  });

  it('AuthorizationCodeCredential (delegated): event create, patch, get, instances, delete; then 404 ODataError', () => {
    expect(kiota('delegatedEventLifecycle')).toMatchObject({
      createdSubject: 'Kiota conformance',
      patchedSubject: 'Kiota conformance (renamed)',
      fetchedSubject: 'Kiota conformance (renamed)',
      instances: 3,
      instanceTypes: ['occurrence'],
      afterDelete: { isODataError: true, statusCode: 404, code: 'ErrorItemNotFound' },
    });
  });
});
