/** The authorization endpoint: code flow with PKCE, the simulated account picker, errors as Microsoft redirects them. */
import { HttpResponse } from 'msw';
import type { SimAppRegistration, SimUser } from '../state/types';
import type { IdentityContext } from './context';
import { aadErrorPage, escapeHtml, noStoreHeaders } from './errors';
import { AUTHORIZATION_CODE_LIFETIME_MS, type Grants } from './grants';
import { parseDelegatedScopes } from './scopes';

function redirectWith(redirectUri: string, responseMode: string, params: Record<string, string | undefined>): Response {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (responseMode === 'form_post') {
    const inputs = entries.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
    const html = `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
    return new HttpResponse(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...noStoreHeaders } });
  }
  const qs = new URLSearchParams(entries).toString();
  const location = responseMode === 'fragment' ? `${redirectUri}#${qs}` : `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${qs}`;
  return new HttpResponse(null, { status: 302, headers: { location, ...noStoreHeaders } });
}

/** `GET /{tenant}/oauth2/v2.0/authorize`: validates the request, shows the account picker, redirects with a code. */
export function authorize(c: IdentityContext, grants: Grants, request: Request, tenant: string): Response {
  const url = new URL(request.url);
  const q = url.searchParams;
  const ctx = c.errCtx();
  if (!c.tenantAccepted(tenant)) return aadErrorPage(ctx, 400, 90002, `Tenant '${tenant}' not found.`);
  const clientId = q.get('client_id');
  const app = c.findApp(clientId);
  if (!clientId) return aadErrorPage(ctx, 400, 900144, "The request body must contain the following parameter: 'client_id'.");
  if (!app) return aadErrorPage(ctx, 400, 700016, `Application with identifier '${clientId}' was not found in the directory '${c.tenantId}'.`);
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
    return aadErrorPage(ctx, 400, 50011, `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`);
  }
  const state = q.get('state') ?? undefined;
  const responseMode = q.get('response_mode') ?? 'query';
  const fail = (error: string, code: number, message: string, extra: Record<string, string> = {}): Response => {
    const body = c.aadErrorBodyDescription(code, message);
    return redirectWith(redirectUri, responseMode, { error, ...extra, error_description: body, error_uri: `https://login.microsoftonline.com/error?code=${code}`, state });
  };
  const responseType = q.get('response_type');
  if (!responseType) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'response_type'.");
  if (responseType !== 'code') return fail('unsupported_response_type', 70005, `response_type '${responseType}' is not enabled for the application.`);
  const scopeParam = q.get('scope');
  if (!scopeParam || !scopeParam.trim()) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const parsed = parseDelegatedScopes(app, scopeParam, url.origin);
  if (!parsed.ok) return fail('invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${parsed.scope} is not valid.`);
  const codeChallenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    return fail('invalid_request', 501491, `Invalid code_challenge_method '${method}'. Supported values are 'S256' and 'plain'.`);
  }
  if (method && !codeChallenge) return fail('invalid_request', 501481, 'The code_challenge parameter is missing while code_challenge_method is present.');
  if (codeChallenge && !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge)) {
    return fail('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');
  }
  if (q.get('sim_deny') === '1') {
    return fail('access_denied', 65004, 'User declined to consent to access the app.', { error_subcode: 'cancel' });
  }
  const user = c.resolveUser(q.get('user')) ?? c.resolveUser(q.get('login_hint'));
  const prompt = q.get('prompt');
  if (prompt === 'none' && !user) {
    return fail('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
  }
  if (!user || (prompt === 'select_account' && !q.get('user'))) return pickerPage(url, app, c.deps.listUsers());
  const code = `0.A${c.bytes(64).toString('base64url')}`;
  grants.codes.set(code, {
    clientId: app.clientId,
    redirectUri,
    userId: user.id,
    grant: parsed.grant,
    codeChallenge,
    codeChallengeMethod: method as 'S256' | 'plain' | undefined,
    nonce: q.get('nonce') ?? undefined,
    expiresAt: c.clock.now() + AUTHORIZATION_CODE_LIFETIME_MS,
    redeemed: false,
  });
  const clientInfo = q.get('client_info') === '1'
    ? Buffer.from(JSON.stringify({ uid: user.id, utid: c.tenantId })).toString('base64url')
    : undefined;
  return redirectWith(redirectUri, responseMode, { code, client_info: clientInfo, state, session_state: c.newId() });
}

/** The account picker: a link per user of the tenant, and Cancel. */
function pickerPage(url: URL, app: SimAppRegistration, users: readonly SimUser[]): Response {
  const link = (extra: Record<string, string>): string => {
    const params = new URLSearchParams(url.searchParams);
    params.delete('user');
    params.delete('sim_deny');
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `${url.pathname}?${params.toString()}`;
  };
  const items = users
    .map((u) => `<li><a class="user" data-upn="${escapeHtml(u.userPrincipalName)}" href="${escapeHtml(link({ user: u.id }))}">${escapeHtml(u.displayName)} &lt;${escapeHtml(u.userPrincipalName)}&gt;</a></li>`)
    .join('\n');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Sign in to your account</title></head><body>
<h1>Pick an account</h1>
<p>to continue to ${escapeHtml(app.displayName)} (simulated Microsoft identity platform)</p>
<ul id="accounts">
${items}
</ul>
<p><a id="cancel" href="${escapeHtml(link({ sim_deny: '1' }))}">Cancel</a></p>
</body></html>`;
  return new HttpResponse(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...noStoreHeaders } });
}
