import { Logger } from '@nestjs/common';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { TokenStore } from './token-store.service';

/**
 * MSAL cache plugin bound to one user's partition: loads that user's (decrypted) cache before
 * every access and writes it back, sealed, when MSAL changed it (e.g. a rotated refresh token).
 * The write names the version read, so a concurrent refresh elsewhere is never overwritten.
 */
export class UserCachePlugin implements ICachePlugin {
  private readonly logger = new Logger(UserCachePlugin.name);
  /** Version of the partition last read or written; null when the user has no row. */
  version: number | null = null;
  /** Set when a write lost to a concurrent writer. */
  conflicted = false;

  constructor(
    private readonly store: TokenStore,
    readonly userId: string,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const loaded = await this.store.load(this.userId);
    this.version = loaded?.row.version ?? null;
    context.tokenCache.deserialize(loaded?.cache ?? '');
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    if (this.version === null) {
      this.logger.warn(`token partition of user ${this.userId} vanished during a refresh; not written`);
      return;
    }
    const outcome = await this.store.save(this.userId, context.tokenCache.serialize(), this.version);
    if (outcome.saved) {
      this.version = outcome.version;
    } else {
      this.conflicted = true;
      this.logger.warn(`token partition of user ${this.userId} changed concurrently (${outcome.reason}); kept the newer record`);
    }
  }
}
