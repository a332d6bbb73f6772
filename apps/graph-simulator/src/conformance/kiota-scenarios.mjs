// Conformance scenarios with official Microsoft clients the services do not use: the Kiota-based
// Graph SDK (@microsoft/msgraph-sdk + @microsoft/msgraph-sdk-users, ES modules, hence plain .mjs run
// by Node as it is) authenticated by Azure Identity (ClientSecretCredential for the app,
// AuthorizationCodeCredential for a signed-in user). Nothing differs from use against Microsoft but
// the authority host and Graph base URL. Run in a Node process started with NODE_EXTRA_CA_CERTS =
// the simulator's certificate; prints one JSON line `{ "scenarios": { name: { ok, ...facts } } }`.
//
// Usage: node kiota-scenarios.mjs '<json: { origin, tenantId, clientId, clientSecret, redirectUri }>'
import { AuthorizationCodeCredential, ClientSecretCredential } from '@azure/identity';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { createGraphServiceClient, GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import { createUserCollectionResponseFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import { BatchRequestContent, PageIterator } from '@microsoft/msgraph-sdk-core';
import '@microsoft/msgraph-sdk-users';
import { createDeltaGetResponseFromDiscriminatorValue } from '@microsoft/msgraph-sdk-users/users/item/calendarView/delta/index.js';

const settings = JSON.parse(process.argv[2] ?? '{}');
const { origin, tenantId, clientId, clientSecret, redirectUri } = settings;
const url = new URL(origin);
const SCOPES = ['https://graph.microsoft.com/.default'];
const errorMappings = { XXX: createODataErrorFromDiscriminatorValue };
const identityOptions = { authorityHost: origin, disableInstanceDiscovery: true };

function client(credential, scopes = SCOPES) {
  const auth = new AzureIdentityAuthenticationProvider(credential, scopes, undefined, new Set([url.hostname, url.host]));
  const adapter = new GraphRequestAdapter(auth);
  adapter.baseUrl = `${origin}/v1.0`;
  return { graph: createGraphServiceClient(adapter), adapter };
}

/**
 * Whether an SDK error is Graph's ODataError: `ODataError` is a TypeScript interface (no class to
 * test with instanceof); the SDK builds it with the ODataError factory from the error mapping, so
 * it is an error object carrying the parsed main error (`errorEscaped`, Kiota's name for the `error`
 * property) with its `code` and `message`, and the response status.
 */
const mainError = (error) => error?.errorEscaped ?? error?.error;
function isODataError(error) {
  return typeof mainError(error)?.code === 'string' && typeof mainError(error)?.message === 'string' && typeof error.responseStatusCode === 'number';
}

async function run(name, results, fn) {
  try {
    results[name] = { ok: true, ...(await fn()) };
  } catch (error) {
    results[name] = { ok: false, error: error?.message ?? String(error), code: mainError(error)?.code ?? error?.code, statusCode: error?.responseStatusCode ?? error?.statusCode };
  }
}

/** An authorization code for `loginHint` from the authorize endpoint (it redirects at once with a hint). */
async function authorizationCode(loginHint) {
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid offline_access https://graph.microsoft.com/Calendars.ReadWrite', login_hint: loginHint, state: 'kiota' });
  const res = await fetch(`${origin}/${tenantId}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (!location) throw new Error(`authorize answered ${res.status} without a redirect`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

const window = (() => {
  const day = 86_400_000;
  const start = new Date(Math.floor(Date.now() / day) * day - day);
  return { startDateTime: start.toISOString(), endDateTime: new Date(start.getTime() + 30 * day).toISOString() };
})();

async function main() {
  const results = {};
  const app = client(new ClientSecretCredential(tenantId, clientId, clientSecret, identityOptions));
  let users = [];
  let someone;

  await run('usersPageIterator', results, async () => {
    const first = await app.graph.users.get({ queryParameters: { top: 5 } });
    const seen = [];
    const iterator = new PageIterator(app.adapter, first, (u) => {
      seen.push(u);
      return true;
    }, createUserCollectionResponseFromDiscriminatorValue, errorMappings);
    await iterator.iterate();
    users = seen;
    return { count: seen.length, distinct: new Set(seen.map((u) => u.id)).size, firstPageSize: first.value.length, hadNextLink: Boolean(first.odataNextLink) };
  });

  someone = users.find((u) => u.mail) ?? users[0];

  await run('calendarView', results, async () => {
    const page = await app.graph.users.byUserId(someone.id).calendarView.get({ queryParameters: { ...window, top: 10 }, headers: { Prefer: 'outlook.timezone="UTC"' } });
    const starts = page.value.map((e) => e.start.dateTime);
    return { count: page.value.length, ordered: starts.every((s, i) => i === 0 || starts[i - 1] <= s), zone: page.value[0]?.start.timeZone ?? null };
  });

  await run('deltaToDeltaLinkAndOneMoreRound', results, async () => {
    const builder = app.graph.users.byUserId(someone.id).calendarView.delta;
    const first = await builder.get({ queryParameters: window, headers: { Prefer: 'odata.maxpagesize=5' } });
    const items = [];
    const iterator = new PageIterator(app.adapter, first, (e) => {
      items.push(e);
      return true;
    }, createDeltaGetResponseFromDiscriminatorValue, errorMappings);
    await iterator.iterate();
    const deltaLink = iterator.getOdataDeltaLink();
    if (!deltaLink) throw new Error('no deltaLink after the last page');
    const again = await builder.withUrl(deltaLink).get();
    return { items: items.length, pagedFirst: Boolean(first.odataNextLink), deltaLinkOnOrigin: deltaLink.startsWith(origin), roundTwoItems: again.value.length, roundTwoHasDeltaLink: Boolean(again.odataDeltaLink) };
  });

  await run('notFoundIsODataError', results, async () => {
    try {
      await app.graph.users.byUserId(someone.id).events.byEventId('AAMkADoesNotExist').get();
      return { rejected: false };
    } catch (error) {
      return { rejected: true, isODataError: isODataError(error), statusCode: error.responseStatusCode, code: mainError(error)?.code };
    }
  });

  await run('appOnlyWriteRefused', results, async () => {
    try {
      await app.graph.users.byUserId(someone.id).events.post({ subject: 'must not be written', start: { dateTime: '2026-06-15T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-15T10:30:00', timeZone: 'UTC' } });
      return { refused: false };
    } catch (error) {
      return { refused: true, isODataError: isODataError(error), statusCode: error.responseStatusCode, code: mainError(error)?.code };
    }
  });

  await run('batch', results, async () => {
    const batch = new BatchRequestContent(app.adapter, errorMappings);
    batch.addBatchRequest(app.graph.users.byUserId(someone.id).toGetRequestInformation(), '1');
    batch.addBatchRequest(app.graph.users.byUserId(someone.id).calendarView.toGetRequestInformation({ queryParameters: { ...window, top: 3 } }), '2');
    batch.addBatchRequest(app.graph.users.byUserId('00000000-0000-0000-0000-000000000000').toGetRequestInformation(), '3');
    const answer = await batch.postAsync();
    return { statuses: Object.fromEntries(await answer.getResponsesStatusCodes()) };
  });

  // MSAL (inside Azure Identity) requires the issuer's host to match the authority's: asked on
  // 127.0.0.1, the simulator must name 127.0.0.1 in its metadata, and links must stay on that origin
  await run('onAnotherOriginOfTheSameServer', results, async () => {
    const other = `https://127.0.0.1:${url.port}`;
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: other, disableInstanceDiscovery: true });
    const token = await credential.getToken(SCOPES);
    const auth = new AzureIdentityAuthenticationProvider(credential, SCOPES, undefined, new Set(['127.0.0.1', `127.0.0.1:${url.port}`]));
    const adapter = new GraphRequestAdapter(auth);
    adapter.baseUrl = `${other}/v1.0`;
    const page = await createGraphServiceClient(adapter).users.get({ queryParameters: { top: 2 } });
    return { gotToken: Boolean(token?.token), nextLinkOrigin: page.odataNextLink ? new URL(page.odataNextLink).origin : null, other };
  });

  await run('delegatedEventLifecycle', results, async () => {
    const code = await authorizationCode(someone.userPrincipalName);
    const me = client(new AuthorizationCodeCredential(tenantId, clientId, clientSecret, code, redirectUri, identityOptions), ['https://graph.microsoft.com/Calendars.ReadWrite']);
    const events = me.graph.users.byUserId(someone.id).events;
    const created = await events.post({
      subject: 'Kiota conformance',
      body: { contentType: 'text', content: 'created by the Kiota SDK' },
      start: { dateTime: '2026-06-15T10:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2026-06-15T10:30:00', timeZone: 'Pacific Standard Time' },
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-06-15', numberOfOccurrences: 3 } },
    });
    const patched = await events.byEventId(created.id).patch({ subject: 'Kiota conformance (renamed)' });
    const fetched = await events.byEventId(created.id).get();
    const instances = await events.byEventId(created.id).instances.get({ queryParameters: { startDateTime: '2026-06-14T00:00:00Z', endDateTime: '2026-06-20T00:00:00Z' } });
    await events.byEventId(created.id).delete();
    let afterDelete = {};
    try {
      await events.byEventId(created.id).get();
    } catch (error) {
      afterDelete = { isODataError: isODataError(error), statusCode: error.responseStatusCode, code: mainError(error)?.code };
    }
    return {
      createdSubject: created.subject,
      patchedSubject: patched?.subject,
      fetchedSubject: fetched.subject,
      fetchedZone: fetched.start.timeZone,
      instances: instances.value.length,
      instanceTypes: [...new Set(instances.value.map((i) => i.type))],
      afterDelete,
    };
  });

  process.stdout.write(`${JSON.stringify({ scenarios: results })}\n`);
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ fatal: e?.stack ?? String(e) })}\n`);
  process.exit(1);
});
