import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '@ocb/http';
import type { TokenCacheEntity } from '../store/token-cache.entity';
import { TokenStore } from '../store/token-store.service';
import { UserDirectory, type DirectoryUser } from './user-directory.service';

export interface ResolvedUser {
  id: string;
  userPrincipalName: string;
  /** The user's token record, when they ever connected. */
  record: TokenCacheEntity | null;
}

/**
 * `{user}` (Graph id or UPN) to a user. A Graph id never changes hands, so a token record stored
 * under it answers at once (no Graph call). A UPN can: people leave and aliases are reused, a
 * tenant is re-created, users are renamed. So a UPN is resolved to an id freshly by the directory,
 * and only that id's record is used: the tokens of a previous holder of the UPN never serve the
 * new one, who can connect as themselves. Unknown: 404 NOT_FOUND.
 */
@Injectable()
export class UserResolver {
  private readonly logger = new Logger(UserResolver.name);

  constructor(
    private readonly store: TokenStore,
    private readonly directory: UserDirectory,
  ) {}

  async resolve(user: string): Promise<ResolvedUser> {
    const key = user.trim();
    if (!key) throw ApiError.validation('user: must not be empty');
    const byId = await this.store.findById(key);
    if (byId) return { id: byId.userId, userPrincipalName: byId.userPrincipalName, record: byId };
    const found = await this.directory.find(key);
    if (!found) throw ApiError.notFound(`user: no user '${key}' in the directory`);
    let record = await this.store.findById(found.id);
    if (record && record.userPrincipalName !== found.userPrincipalName) {
      // renamed since they connected: the record follows the id
      await this.store.rename(found.id, found.userPrincipalName);
      record = { ...record, userPrincipalName: found.userPrincipalName, upnLower: found.userPrincipalName.toLowerCase() };
    }
    await this.settlePreviousHolders(found);
    return { id: found.id, userPrincipalName: found.userPrincipalName, record };
  }

  /**
   * Records still filed under `holder`'s UPN but for other ids belong to people who no longer hold
   * it: one who left the directory loses their stored tokens; one who was renamed gets their
   * record filed under their new UPN. (Only when such records exist: no Graph call otherwise.)
   */
  private async settlePreviousHolders(holder: DirectoryUser): Promise<void> {
    for (const stale of await this.store.findByUpn(holder.userPrincipalName)) {
      if (stale.userId === holder.id) continue;
      const now = await this.directory.find(stale.userId);
      if (!now) {
        if (stale.connected || stale.cacheData) {
          await this.store.disconnect(stale.userId, 'the user left the directory (their UPN now belongs to another user)');
          this.logger.warn(`user ${stale.userId} left the directory; their stored tokens were dropped (UPN now held by ${holder.id})`);
        }
      } else if (now.userPrincipalName !== stale.userPrincipalName) {
        await this.store.rename(stale.userId, now.userPrincipalName);
      }
    }
  }
}
