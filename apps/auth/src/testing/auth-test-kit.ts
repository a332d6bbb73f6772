/**
 * In-process test rig for the auth service: the simulator's identity platform (msw) plus the one
 * Graph call auth makes (`GET /v1.0/users/{user}`), and the auth app on a fresh database with its
 * logs captured.
 */
import { Writable } from 'node:stream';
import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { Logger as PinoLogger } from 'nestjs-pino';
import { CLOCK, FakeClock, SystemClock } from '@ocb/clock';
import { createIdentityPlatform, type IdentityPlatform } from '@ocb/graph-simulator';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '@ocb/testing';
import type { DatabaseKind } from '@ocb/persistence';
import { AppModule } from '../app.module';
import { loadAuthConfig, type AuthConfig } from '../config/auth.config';

export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
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
  identity: IdentityPlatform;
  server: SetupServer;
  /** Every request to a token endpoint, in order. */
  tokenCalls: TokenCall[];
  count(grantType: string): number;
  close(): void;
}

const findUser = (idOrUpn: string): KitUser | undefined =>
  USERS.find((u) => u.id.toLowerCase() === idOrUpn.toLowerCase() || u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase());

/** The identity platform and `/v1.0/users/{user}` on msw (any origin). */
export function startSimulator(): SimulatorRig {
  const identity = createIdentityPlatform({
    tenantId: TENANT_ID,
    apps: () => [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        displayName: 'Outlook Calendar Bridge (test)',
        redirectUris: [`${PUBLIC_URL}${CALLBACK_PATH}`],
        appRoles: ['Calendars.Read', 'User.Read.All'],
        delegatedScopes: ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Calendars.ReadWrite'],
      },
    ],
    findUser,
    listUsers: () => USERS,
    clock: new SystemClock(),
  });
  const users = http.get('*/v1.0/users/:user', ({ request, params }) => {
    const check = identity.verify(request.headers.get('authorization'));
    if (!check.ok) return HttpResponse.json({ error: { code: 'InvalidAuthenticationToken', message: check.reason } }, { status: 401 });
    const user = findUser(decodeURIComponent(String(params['user'])));
    if (!user) return HttpResponse.json({ error: { code: 'Request_ResourceNotFound', message: `Resource '${String(params['user'])}' does not exist.` } }, { status: 404 });
    return HttpResponse.json({ id: user.id, userPrincipalName: user.userPrincipalName, mail: user.mail, displayName: user.displayName });
  });
  const server = setupServer(...identity.handlers(), users);
  const tokenCalls: TokenCall[] = [];
  server.events.on('request:start', ({ request }) => {
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
  server.listen({ onUnhandledRequest: 'bypass' });
  return {
    identity,
    server,
    tokenCalls,
    count: (grantType) => tokenCalls.filter((c) => c.grantType === grantType).length,
    close: () => server.close(),
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

export async function startAuth(kind: DatabaseKind, env: Record<string, string> = {}): Promise<AuthRig> {
  const db = await createTestDatabase(kind, 'auth');
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
      await db.drop();
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
