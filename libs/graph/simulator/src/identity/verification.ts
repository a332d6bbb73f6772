/** Checking the Graph access tokens presented to the simulator, and revoking them. */
import type { SimPrincipal, TokenCheck } from '../state/types';
import type { IdentityContext } from './context';
import type { Grants } from './grants';
import { decodeJwt, verifyJwtSignature, type JwtPayload } from './jwt';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './scopes';

export class TokenVerifier {
  /** Tokens whose signature has been checked, with their payloads (bounded). */
  private readonly verifiedSignatures = new Map<string, JwtPayload>();

  constructor(
    private readonly c: IdentityContext,
    private readonly grants: Grants,
  ) {}

  verify(authorizationHeader: string | null | undefined): TokenCheck {
    if (!authorizationHeader || !authorizationHeader.trim()) return { ok: false, reason: 'missing' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader);
    if (!m) return { ok: false, reason: 'malformed' };
    const raw = m[1];
    let payload = this.verifiedSignatures.get(raw);
    if (!payload) {
      const jwt = decodeJwt(raw);
      if (!jwt) return { ok: false, reason: 'malformed' };
      if (!verifyJwtSignature(this.c.signingKey(), jwt)) return { ok: false, reason: 'invalid_signature' };
      payload = jwt.payload;
      if (this.verifiedSignatures.size >= 10_000) this.verifiedSignatures.clear();
      this.verifiedSignatures.set(raw, payload);
    }
    const aud = payload['aud'];
    if (aud !== GRAPH_RESOURCE && aud !== GRAPH_APP_ID && aud !== `${GRAPH_RESOURCE}/`) return { ok: false, reason: 'wrong_audience' };
    const nowS = this.c.clock.now() / 1000;
    const exp = Number(payload['exp']);
    const nbf = Number(payload['nbf'] ?? payload['iat']);
    if (!Number.isFinite(exp) || nowS >= exp || (Number.isFinite(nbf) && nowS < nbf - 300)) return { ok: false, reason: 'expired' };
    const tokenId = String(payload['uti'] ?? '');
    if (this.grants.revokedTokenIds.has(tokenId)) return { ok: false, reason: 'revoked' };
    if (String(payload['tid']) !== this.c.tenantId) return { ok: false, reason: 'invalid_signature' };
    const isUser = payload['idtyp'] === 'user' || typeof payload['scp'] === 'string';
    const principal: SimPrincipal = {
      kind: isUser ? 'user' : 'app',
      tenantId: String(payload['tid']),
      appId: String(payload['appid']),
      roles: Array.isArray(payload['roles']) ? (payload['roles'] as unknown[]).map(String) : [],
      scopes: typeof payload['scp'] === 'string' ? payload['scp'].split(' ').filter(Boolean) : [],
      tokenId,
    };
    if (isUser) principal.userId = String(payload['oid']);
    return { ok: true, principal };
  }

  revokeUser(userId: string): void {
    const ids = [userId];
    const u = this.c.resolveUser(userId);
    if (u && u.id !== userId) ids.push(u.id);
    this.grants.revokeUser(ids);
  }

  revokeToken(tokenValue: string): boolean {
    const raw = tokenValue.replace(/^Bearer\s+/i, '');
    if (this.grants.refreshTokens.delete(raw)) {
      this.grants.retiredRefreshTokens.set(raw, 'revoked');
      return true;
    }
    const jwt = decodeJwt(raw);
    if (!jwt || !verifyJwtSignature(this.c.signingKey(), jwt)) return false;
    const uti = jwt.payload['uti'];
    if (typeof uti !== 'string') return false;
    this.grants.revokedTokenIds.add(uti);
    return true;
  }

  reset(): void {
    this.verifiedSignatures.clear();
  }
}
