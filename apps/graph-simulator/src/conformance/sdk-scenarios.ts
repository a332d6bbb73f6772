/**
 * SDK conformance scenarios, run in a Node process started with NODE_EXTRA_CA_CERTS pointing at
 * the standalone simulator's certificate (the trust has to be in place before Node starts).
 * Nothing differs from production use of @azure/msal-node and @microsoft/microsoft-graph-client
 * but the base addresses. Prints one JSON line: `{ "scenarios": { name: { ok, ...facts } } }`.
 *
 * Usage: node sdk-scenarios.js '<json: { origin, tenantId, clientId, clientSecret, redirectUri }>'
 */
import { ConfidentialClientApplication, CryptoProvider, type AccountInfo } from '@azure/msal-node';
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  PageIterator,
  type BatchResponseBody,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';

interface Settings {
  origin: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Who signs in for the delegated scenarios; the first listed user with a mailbox by default. */
  loginHint?: string;
}

type Facts = Record<string, unknown>;
type Result = ({ ok: true } & Facts) | { ok: false; error: string; code?: string; statusCode?: number };

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const { origin, tenantId, clientId, clientSecret, redirectUri } = settings;
const host = new URL(origin).host;
const GRAPH_SCOPES = ['https://graph.microsoft.com/Calendars.ReadWrite', 'https://graph.microsoft.com/User.Read'];

const msal = new ConfidentialClientApplication({
  auth: { clientId, clientSecret, authority: `${origin}/${tenantId}`, knownAuthorities: [host] },
  system: { loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false } },
});

function graph(token: () => Promise<string>): Client {
  return Client.initWithMiddleware({
    baseUrl: origin,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(origin).hostname]),
    authProvider: { getAccessToken: token },
  });
}

async function run(name: string, results: Record<string, Result>, fn: () => Promise<Facts>): Promise<void> {
  try {
    results[name] = { ok: true, ...(await fn()) };
  } catch (error) {
    const e = error as { message?: string; errorCode?: string; code?: string; statusCode?: number };
    results[name] = { ok: false, error: e.message ?? String(error), code: e.errorCode ?? e.code, statusCode: e.statusCode };
  }
}

function refreshTokensIn(serialized: string): string[] {
  const cache = JSON.parse(serialized) as { RefreshToken?: Record<string, { secret: string }> };
  return Object.values(cache.RefreshToken ?? {}).map((t) => t.secret);
}

async function main(): Promise<void> {
  const results: Record<string, Result> = {};
  let appToken = '';
  let account: AccountInfo | undefined;
  let userToken = '';
  let firstUser: { id: string; userPrincipalName: string; mail?: string } | undefined;

  await run('clientCredentials', results, async () => {
    const first = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    const second = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    if (!first?.accessToken) throw new Error('no access token');
    appToken = first.accessToken;
    return { tokenType: first.tokenType, expiresInSeconds: Math.round(((first.expiresOn?.getTime() ?? 0) - Date.now()) / 1000), secondFromCache: second?.fromCache ?? false, sameToken: second?.accessToken === first.accessToken };
  });

  const app = graph(async () => appToken);

  await run('usersPageIterator', results, async () => {
    const page = (await app.api('/users').top(5).select(['id', 'displayName', 'userPrincipalName', 'mail']).get()) as PageCollection;
    const users: { id: string; userPrincipalName: string; mail?: string }[] = [];
    let pages = 1;
    const iterator = new PageIterator(app, page, (user: { id: string; userPrincipalName: string; mail?: string }) => {
      users.push(user);
      return true;
    }, { headers: {} });
    const firstPageSize = page.value.length;
    const hadNextLink = Boolean(page['@odata.nextLink']);
    await iterator.iterate();
    pages += Math.max(0, Math.ceil((users.length - firstPageSize) / 5));
    firstUser = users.find((u) => u.mail) ?? users[0];
    return { count: users.length, firstPageSize, hadNextLink, pagesAtLeast: pages, distinct: new Set(users.map((u) => u.id)).size, firstUser: firstUser?.userPrincipalName };
  });

  await run('authorizationCodePkce', results, async () => {
    const loginHint = settings.loginHint ?? firstUser?.userPrincipalName;
    if (!loginHint) throw new Error('no user to sign in');
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await msal.getAuthCodeUrl({
      scopes: GRAPH_SCOPES,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint,
      state: 'conformance-state',
      nonce: 'conformance-nonce',
    });
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
    const back = new URL(location);
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code: ${location}`);
    const result = await msal.acquireTokenByCode({ code, codeVerifier: verifier, redirectUri, scopes: GRAPH_SCOPES, state: 'conformance-state', nonce: 'conformance-nonce' });
    account = result.account ?? undefined;
    userToken = result.accessToken;
    return {
      redirectedTo: `${back.origin}${back.pathname}`,
      state: back.searchParams.get('state'),
      username: result.account?.username,
      localAccountId: result.account?.localAccountId,
      homeAccountId: result.account?.homeAccountId,
      tenantId: result.tenantId,
      nonce: (result.idTokenClaims as { nonce?: string }).nonce,
      scopes: result.scopes,
      expectedUserId: firstUser?.id,
    };
  });

  await run('refreshRotation', results, async () => {
    if (!account) throw new Error('no signed-in account');
    const before = refreshTokensIn(msal.getTokenCache().serialize());
    const silentCached = await msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES });
    const refreshed = await msal.acquireTokenSilent({ account, scopes: GRAPH_SCOPES, forceRefresh: true });
    const after = refreshTokensIn(msal.getTokenCache().serialize());
    userToken = refreshed.accessToken;
    const reuse = await fetch(`${origin}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: before[0] ?? '' }).toString(),
    });
    const reuseBody = (await reuse.json()) as { error?: string; error_codes?: number[] };
    return {
      cachedBefore: before.length,
      silentFromCache: silentCached.fromCache,
      refreshedFromCache: refreshed.fromCache,
      rotated: before.length === 1 && after.length === 1 && before[0] !== after[0],
      newAccessToken: refreshed.accessToken !== silentCached.accessToken,
      oldRefreshStatus: reuse.status,
      oldRefreshError: reuseBody.error,
      oldRefreshCodes: reuseBody.error_codes,
    };
  });

  const window = { start: '2026-01-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' };

  await run('calendarView', results, async () => {
    if (!firstUser) throw new Error('no user');
    const page = (await app
      .api(`/users/${firstUser.id}/calendarView`)
      .query({ startDateTime: window.start, endDateTime: window.end })
      .header('Prefer', 'outlook.timezone="UTC"')
      .top(10)
      .get()) as PageCollection;
    let count = 0;
    let ordered = true;
    let last = '';
    const iterator = new PageIterator(app, page, (ev: { start: { dateTime: string } }) => {
      count++;
      if (ev.start.dateTime < last) ordered = false;
      last = ev.start.dateTime;
      return true;
    });
    await iterator.iterate();
    return { count, firstPageSize: page.value.length, hadNextLink: Boolean(page['@odata.nextLink']), ordered };
  });

  await run('delegatedMe', results, async () => {
    const me = graph(async () => userToken);
    const profile = (await me.api('/me').get()) as { id: string; userPrincipalName: string };
    return { id: profile.id, userPrincipalName: profile.userPrincipalName };
  });

  await run('eventLifecycle', results, async () => {
    // writes go as the signed-in user (delegated Calendars.ReadWrite): the default registration's
    // app-only token only reads, as a tenant set up like the original integration's
    const me = graph(async () => userToken);
    const base = '/me/events';
    const created = (await me.api(base).post({
      subject: 'Conformance check',
      body: { contentType: 'text', content: 'created by the SDK conformance suite' },
      start: { dateTime: '2026-06-15T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-06-15T10:30:00', timeZone: 'UTC' },
    })) as { id: string; subject: string; start: { dateTime: string } };
    const patched = (await me.api(`${base}/${created.id}`).patch({ subject: 'Conformance check (moved)' })) as { subject: string } | undefined;
    const fetched = (await me.api(`${base}/${created.id}`).get()) as { subject: string };
    await me.api(`${base}/${created.id}`).delete();
    let afterDelete: { statusCode?: number; code?: string; isGraphError?: boolean } = {};
    try {
      await me.api(`${base}/${created.id}`).get();
    } catch (error) {
      const e = error as GraphError;
      afterDelete = { statusCode: e.statusCode, code: e.code ?? undefined, isGraphError: error instanceof GraphError };
    }
    return { createdSubject: created.subject, patchedSubject: patched?.subject, fetchedSubject: fetched.subject, afterDelete };
  });

  await run('appOnlyWriteRefused', results, async () => {
    if (!firstUser) throw new Error('no user');
    try {
      await app.api(`/users/${firstUser.id}/events`).post({ subject: 'must not be written', start: { dateTime: '2026-06-15T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-15T10:30:00', timeZone: 'UTC' } });
      return { statusCode: 201 };
    } catch (error) {
      const e = error as GraphError;
      return { statusCode: e.statusCode, code: e.code ?? undefined, isGraphError: error instanceof GraphError };
    }
  });

  await run('batch', results, async () => {
    if (!firstUser) throw new Error('no user');
    const content = new BatchRequestContent([
      { id: '1', request: new Request(`${origin}/v1.0/users/${firstUser.id}`, { method: 'GET' }) },
      { id: '2', request: new Request(`${origin}/v1.0/users/${firstUser.id}/calendarView?startDateTime=${window.start}&endDateTime=${window.end}&$top=3`, { method: 'GET' }) },
      { id: '3', request: new Request(`${origin}/v1.0/users/00000000-0000-0000-0000-000000000000`, { method: 'GET' }) },
    ]);
    const body = await content.getContent();
    const raw = (await app.api('/$batch').post(body)) as BatchResponseBody;
    const responses = new BatchResponseContent(raw);
    const statuses: Record<string, number> = {};
    for (const [id, response] of responses.getResponses()) statuses[id] = response.status;
    const user = (await responses.getResponseById('1').json()) as { id: string };
    return { statuses, userId: user.id };
  });

  await run('invalidTokenIsGraphError', results, async () => {
    const bad = graph(async () => 'not-a-token');
    try {
      await bad.api('/users').get();
      return { rejected: false };
    } catch (error) {
      const e = error as GraphError;
      return { rejected: true, statusCode: e.statusCode, code: e.code, isGraphError: error instanceof GraphError };
    }
  });

  process.stdout.write(`${JSON.stringify({ scenarios: results })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ fatal: error instanceof Error ? error.stack : String(error) })}\n`);
  process.exitCode = 1;
});
