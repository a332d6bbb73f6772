import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { ApiError } from '@ocb/http';
import type { AuthConfig } from '../config/auth.config';
import { AppTokenService } from '../tokens/app-token.service';

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string | null;
}

/** Looks users up in the directory (Graph `/users/{id | userPrincipalName}`) with the app token. */
@Injectable()
export class UserDirectory {
  private readonly base: string;

  constructor(
    private readonly appTokens: AppTokenService,
    @Inject(APP_CONFIG) private readonly config: Pick<AuthConfig, 'GRAPH_BASE_URL' | 'GRAPH_TIMEOUT_MS'>,
  ) {
    this.base = `${config.GRAPH_BASE_URL.replace(/\/+$/, '')}/v1.0`;
  }

  /** The user, or null when the directory does not know them. */
  async find(user: string): Promise<DirectoryUser | null> {
    const url = `${this.base}/users/${encodeURIComponent(user)}?$select=id,userPrincipalName,mail,displayName`;
    for (let attempt = 0; ; attempt++) {
      const { accessToken } = await this.appTokens.token();
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
          signal: AbortSignal.timeout(this.config.GRAPH_TIMEOUT_MS),
        });
      } catch (e) {
        throw new ApiError(502, 'UPSTREAM_UNAVAILABLE', `Graph user lookup failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (res.status === 401 && attempt === 0) {
        this.appTokens.invalidate(accessToken);
        continue;
      }
      if (res.status === 404 || res.status === 400) return null;
      if (res.status === 429) throw new ApiError(429, 'UPSTREAM_THROTTLED', 'Graph throttled the user lookup; retry later');
      if (!res.ok) throw new ApiError(502, 'UPSTREAM_UNAVAILABLE', `Graph user lookup answered HTTP ${res.status}`);
      const body = (await res.json()) as Partial<DirectoryUser>;
      if (typeof body.id !== 'string' || typeof body.userPrincipalName !== 'string') {
        throw new ApiError(502, 'UPSTREAM_UNAVAILABLE', 'Graph user lookup returned no id/userPrincipalName');
      }
      return { id: body.id, userPrincipalName: body.userPrincipalName, mail: body.mail ?? null, displayName: body.displayName ?? null };
    }
  }
}
