import { Injectable } from '@nestjs/common';
import { ApiError } from '@ocb/http';
import type { TokenCacheEntity } from '../store/token-cache.entity';
import { TokenStore } from '../store/token-store.service';
import { UserDirectory } from './user-directory.service';

export interface ResolvedUser {
  id: string;
  userPrincipalName: string;
  /** The user's token record, when they ever connected. */
  record: TokenCacheEntity | null;
}

/**
 * `{user}` (Graph id or UPN) to a user: the token store answers for users who connected (no Graph
 * call on the hot path); the directory for everyone else. Unknown: 404 NOT_FOUND.
 */
@Injectable()
export class UserResolver {
  constructor(
    private readonly store: TokenStore,
    private readonly directory: UserDirectory,
  ) {}

  async resolve(user: string): Promise<ResolvedUser> {
    const key = user.trim();
    if (!key) throw ApiError.validation('user: must not be empty');
    const record = await this.store.find(key);
    if (record) return { id: record.userId, userPrincipalName: record.userPrincipalName, record };
    const found = await this.directory.find(key);
    if (!found) throw ApiError.notFound(`user: no user '${key}' in the directory`);
    return { id: found.id, userPrincipalName: found.userPrincipalName, record: await this.store.find(found.id) };
  }
}
