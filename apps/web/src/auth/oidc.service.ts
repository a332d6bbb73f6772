import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import type { WebConfig } from '../config/web.config';
import type { SignedInUser } from '../session/session-data';

const trim = (s: string) => s.replace(/\/+$/, '');

/** OpenID Connect sign-in (authorization code + PKCE) against the identity platform, through msal-node. */
export class OidcService {
  private readonly client: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();
  readonly redirectUri: string;

  constructor(config: WebConfig) {
    this.redirectUri = `${trim(config.WEB_PUBLIC_URL)}/auth/callback`;
    this.client = new ConfidentialClientApplication({
      auth: {
        clientId: config.WEB_CLIENT_ID,
        clientSecret: config.WEB_CLIENT_SECRET,
        authority: `${trim(config.AUTHORITY_HOST)}/${config.TENANT_ID}`,
        knownAuthorities: [new URL(config.AUTHORITY_HOST).host],
      },
    });
  }

  /** The authorize URL and what the callback must check. */
  async begin(returnTo: string): Promise<{ url: string; pending: { verifier: string; state: string; nonce: string; returnTo: string } }> {
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    const state = this.crypto.createNewGuid();
    const nonce = this.crypto.createNewGuid();
    const url = await this.client.getAuthCodeUrl({
      scopes: ['openid', 'profile', 'email'],
      redirectUri: this.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      nonce,
      responseMode: 'query',
    });
    return { url, pending: { verifier, state, nonce, returnTo } };
  }

  /** Redeems the code; the signed-in user from the ID token claims. */
  async complete(code: string, pending: { verifier: string; nonce: string }): Promise<SignedInUser> {
    const result = await this.client.acquireTokenByCode({
      code,
      scopes: ['openid', 'profile', 'email'],
      redirectUri: this.redirectUri,
      codeVerifier: pending.verifier,
      nonce: pending.nonce,
    });
    const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
    const upn = String(claims['preferred_username'] ?? claims['upn'] ?? claims['email'] ?? result.account?.username ?? '');
    if (!upn) throw new Error('the ID token names no user');
    return { upn, name: String(claims['name'] ?? upn), oid: String(claims['oid'] ?? result.uniqueId ?? '') };
  }
}
