import type { Grant } from './scopes';

export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60 * 1000;
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3600 * 1000;

export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  userId: string;
  grant: Grant;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshRecord {
  clientId: string;
  userId: string;
  grant: Grant;
  expiresAt: number;
}

/** What the identity platform remembers between requests: codes, refresh tokens, issued and revoked access tokens. */
export class Grants {
  readonly codes = new Map<string, CodeRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  /** Refresh tokens replaced by rotation or revoked: kept to answer with the right error. */
  readonly retiredRefreshTokens = new Map<string, 'revoked'>();
  readonly userTokenIds = new Map<string, Set<string>>();
  readonly revokedTokenIds = new Set<string>();

  trackUserToken(userId: string, tokenId: string): void {
    let set = this.userTokenIds.get(userId);
    if (!set) this.userTokenIds.set(userId, (set = new Set()));
    set.add(tokenId);
  }

  /** Every access and refresh token issued to the user so far, and pending codes, stop working. */
  revokeUser(ids: readonly string[]): void {
    for (const id of ids) {
      for (const t of this.userTokenIds.get(id) ?? []) this.revokedTokenIds.add(t);
      this.userTokenIds.delete(id);
      for (const [t, r] of this.refreshTokens) {
        if (r.userId === id) {
          this.refreshTokens.delete(t);
          this.retiredRefreshTokens.set(t, 'revoked');
        }
      }
      for (const [c, r] of this.codes) if (r.userId === id) this.codes.delete(c);
    }
  }

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.retiredRefreshTokens.clear();
    this.userTokenIds.clear();
    this.revokedTokenIds.clear();
  }
}
