/** The identity platform's discovery documents: OpenID configuration and instance discovery. */
import { HttpResponse } from 'msw';

/**
 * The tenant's OpenID configuration on the origin it was asked on. Microsoft answers `{tenantid}`
 * in the issuer of the multi-tenant metadata; MSAL compares scheme and host only, so the
 * simulator's own tenant id is given for every accepted tenant.
 */
export function openidConfiguration(origin: string, tenant: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'WW',
    cloud_instance_name: new URL(origin).hostname,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(origin).host,
    rbac_url: 'https://pas.windows.net',
  };
}

export function instanceDiscovery(request: Request, tenantId: string): Response {
  const url = new URL(request.url);
  const authEndpoint = url.searchParams.get('authorization_endpoint');
  let tenant = tenantId;
  if (authEndpoint) {
    try {
      tenant = new URL(authEndpoint).pathname.split('/').filter(Boolean)[0] ?? tenant;
    } catch {
      // keep the default tenant
    }
  }
  const host = url.host;
  const publicCloud = ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'];
  const first = publicCloud.includes(host)
    ? { preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: publicCloud }
    : { preferred_network: host, preferred_cache: host, aliases: [host] };
  return HttpResponse.json({
    tenant_discovery_endpoint: `${url.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [
      first,
      { preferred_network: 'login.partner.microsoftonline.cn', preferred_cache: 'login.partner.microsoftonline.cn', aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'] },
      { preferred_network: 'login.microsoftonline.de', preferred_cache: 'login.microsoftonline.de', aliases: ['login.microsoftonline.de'] },
      { preferred_network: 'login.microsoftonline.us', preferred_cache: 'login.microsoftonline.us', aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'] },
      { preferred_network: 'login-us.microsoftonline.com', preferred_cache: 'login-us.microsoftonline.com', aliases: ['login-us.microsoftonline.com'] },
    ],
  });
}
