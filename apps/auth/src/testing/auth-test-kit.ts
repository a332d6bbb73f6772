/**
 * In-process test rig for the auth service: the simulator (identity platform + Graph, msw) seeded
 * with three users, and the auth app on a fresh database with its logs captured.
 */
import { Writable } from 'node:stream';
import type { SetupServer } from 'msw/node';
import { Logger as PinoLogger } from 'nestjs-pino';
import { CLOCK, FakeClock } from '@ocb/clock';
import type { IdentityPlatform } from '@ocb/graph-simulator';
import { createTestApp, createTestDatabase, startInProcessSimulator, type InProcessSimulator, type TestApp, type TestDatabase } from '@ocb/testing';
import type { DatabaseKind } from '@ocb/persistence';
import { AppModule } from '../app.module';
import { loadAuthConfig, type AuthConfig } from '../config/auth.config';

export const CLIENT_SECRET = 'sim-dev-secret';
export const PUBLIC_URL = 'http://localhost:3001';
export const CALLBACK_PATH = '/app/api/auth/serviceAction/callback';

export interface KitUser {
  id: string;
  userPrincipalName: string;
  mail: string;
  displayName: string;
  givenName: string;
  surname: string;
  hasMailbox: boolean;
  timeZone: string;
}

export const ADELE: KitUser = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  userPrincipalName: 'AdeleV@contoso.onmicrosoft.com',
  mail: 'adele.vance@contoso.com',
  displayName: 'Adele Vance',
  givenName: 'Adele',
  surname: 'Vance',
  hasMailbox: true,
  timeZone: 'Pacific Standard Time',
};
export const ALEX: KitUser = { ...ADELE, id: 'a1b2c3d4-0000-4000-8000-000000000002', userPrincipalName: 'AlexW@contoso.onmicrosoft.com', mail: 'alex.wilber@contoso.com', displayName: 'Alex Wilber', givenName: 'Alex', surname: 'Wilber' };
export const MEGAN: KitUser = { ...ADELE, id: 'a1b2c3d4-0000-4000-8000-000000000003', userPrincipalName: 'MeganB@contoso.onmicrosoft.com', mail: 'megan.bowen@contoso.com', displayName: 'Megan Bowen', givenName: 'Megan', surname: 'Bowen' };
export const USERS = [ADELE, ALEX, MEGAN];

export interface TokenCall {
  grantType: string;
  url: string;
}

export interface SimulatorRig {
  sim: InProcessSimulator;
  identity: IdentityPlatform;
  server: SetupServer;
  /** Every request to a token endpoint, in order. */
  tokenCalls: TokenCall[];
  count(grantType: string): number;
  close(): void;
}

/** The in-process simulator (identity platform + Graph on the real Microsoft hosts) with our three users. */
export function startSimulator(): SimulatorRig {
  const sim = startInProcessSimulator({ users: 0 });
  sim.simulator.seed({ tenant: { users: USERS } });
  const tokenCalls: TokenCall[] = [];
  sim.server.events.on('request:start', ({ request }) => {
    if (request.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(new URL(request.url).pathname)) {
      const call: TokenCall = { grantType: '?', url: request.url };
      tokenCalls.push(call);
      void request
        .clone()
        .text()
        .then((body) => {
          call.grantType = new URLSearchParams(body).get('grant_type') ?? '';
        });
    }
  });
  return {
    sim,
    identity: sim.simulator.identity,
    server: sim.server,
    tokenCalls,
    count: (grantType) => tokenCalls.filter((c) => c.grantType === grantType).length,
    close: () => sim.close(),
  };
}

export interface AuthRig {
  app: TestApp;
  url: string;
  db: TestDatabase;
  config: AuthConfig;
  clock: FakeClock;
  /** Every log line the app wrote (pino JSON). */
  logs: string[];
  close(): Promise<void>;
}

/** `shared`: a second replica on that database (its close leaves the database to the first). */
export async function startAuth(kind: DatabaseKind, env: Record<string, string> = {}, shared?: TestDatabase): Promise<AuthRig> {
  const db = shared ?? (await createTestDatabase(kind, 'auth'));
  const config = loadAuthConfig({
    DATABASE_URL: db.url,
    AUTH_PUBLIC_URL: PUBLIC_URL,
    ALLOWED_RETURN_URLS: 'http://localhost:3000/,https://workspace.example.com/apps/calendar',
    LOG_LEVEL: 'debug',
    SWAGGER_ENABLED: 'true',
    ...env,
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const clock = new FakeClock(Date.now());
  const app = await createTestApp(
    AppModule.forRoot(config, { logDestination: stream }),
    { excludeFromPrefix: ['app/api/auth/serviceAction/callback'], swagger: true },
    (b) => b.overrideProvider(CLOCK).useValue(clock),
  );
  app.app.useLogger(app.app.get(PinoLogger));
  return {
    app,
    url: app.url,
    db,
    config,
    clock,
    logs,
    close: async () => {
      await app.close();
      if (!shared) await db.drop();
    },
  };
}

export interface Hop {
  status: number;
  location: string | null;
  text: string;
}

/** GET without following redirects. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<Hop> {
  const res = await fetch(url, { redirect: 'manual', headers });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** The callback URL the identity platform redirected to, aimed at the test app instead of AUTH_PUBLIC_URL. */
export function toTestApp(location: string, appUrl: string): string {
  const u = new URL(location);
  return `${appUrl}${u.pathname}${u.search}`;
}

/**
 * Browser round trip: connect → authorize (optionally rewritten) → callback. Returns each hop.
 */
export async function connectRoundTrip(
  appUrl: string,
  user: string,
  options: { returnUrl?: string; alterAuthorize?: (url: URL) => void; accept?: string } = {},
): Promise<{ connect: Hop; authorize: Hop; callback: Hop; authorizeUrl: URL; code: string | null; callbackUrl: string }> {
  const qs = new URLSearchParams({ user, ...(options.returnUrl ? { returnUrl: options.returnUrl } : {}) });
  const connect = await get(`${appUrl}/api/auth/connect?${qs.toString()}`);
  if (connect.status !== 302 || !connect.location) throw new Error(`connect answered ${connect.status}: ${connect.text}`);
  const authorizeUrl = new URL(connect.location);
  options.alterAuthorize?.(authorizeUrl);
  const authorize = await get(authorizeUrl.toString());
  if (authorize.status !== 302 || !authorize.location) throw new Error(`authorize answered ${authorize.status}: ${authorize.text}`);
  const callbackUrl = toTestApp(authorize.location, appUrl);
  const callback = await get(callbackUrl, options.accept ? { Accept: options.accept } : {});
  return { connect, authorize, callback, authorizeUrl, code: new URL(authorize.location).searchParams.get('code'), callbackUrl };
}

/** The simulator and auth of one describe block, started before its tests and stopped after them. */
export interface AuthSuite {
  sim: SimulatorRig;
  auth: AuthRig;
}

/** Registers the block's set-up and tear-down: a seeded simulator, then auth on a fresh `kind` database. */
export function authSuite(kind: DatabaseKind, env: Record<string, string> = {}): AuthSuite {
  const suite = {} as AuthSuite;
  beforeAll(async () => {
    suite.sim = startSimulator();
    suite.auth = await startAuth(kind, env);
  });
  afterAll(async () => {
    await suite.auth?.close();
    suite.sim?.close();
  });
  return suite;
}
