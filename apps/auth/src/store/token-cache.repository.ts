import { writeTransaction } from '@ocb/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TokenCacheEntity } from './token-cache.entity';

/** What a connect or a refresh writes for a user. */
export interface CacheWrite {
  userId: string;
  userPrincipalName?: string;
  homeAccountId?: string | null;
  cacheData: string;
  keyId: string;
  connected: boolean;
  scopes: string[];
  expiresAt: string | null;
  now: string;
}

export type WriteOutcome = { saved: true; version: number } | { saved: false; reason: 'conflict' | 'missing' };

/** The token store's table. Every write is one transaction guarded by the row's version. */
@Injectable()
export class TokenCacheRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  findById(userId: string): Promise<TokenCacheEntity | null> {
    return this.ds.getRepository(TokenCacheEntity).findOneBy({ userId });
  }

  /** Records filed under a user principal name (case-insensitive). */
  findByUpn(userPrincipalName: string): Promise<TokenCacheEntity[]> {
    return this.ds.getRepository(TokenCacheEntity).findBy({ upnLower: userPrincipalName.toLowerCase() });
  }

  /** Files the record under a new UPN (no version bump: the tokens are untouched). */
  async rename(userId: string, userPrincipalName: string, now: string): Promise<void> {
    await this.ds
      .getRepository(TokenCacheEntity)
      .update({ userId }, { userPrincipalName, upnLower: userPrincipalName.toLowerCase(), updatedAt: now });
  }

  /**
   * A new connect: replaces the user's partition whatever it held (inserting the row when
   * there is none).
   */
  replace(write: CacheWrite & { userPrincipalName: string }): Promise<number> {
    return writeTransaction(this.ds, async (m) => {
      const current = await m.getRepository(TokenCacheEntity).findOneBy({ userId: write.userId });
      if (!current) {
        await m.getRepository(TokenCacheEntity).insert({
          userId: write.userId,
          userPrincipalName: write.userPrincipalName,
          upnLower: write.userPrincipalName.toLowerCase(),
          homeAccountId: write.homeAccountId ?? null,
          cacheData: write.cacheData,
          keyId: write.keyId,
          version: 1,
          connected: write.connected,
          scopes: write.scopes.join(' '),
          expiresAt: write.expiresAt,
          disconnectedReason: null,
          createdAt: write.now,
          updatedAt: write.now,
        });
        return 1;
      }
      const outcome = await this.conditionalUpdate(m, write, current.version);
      if (!outcome.saved) throw new Error('token store: concurrent connect for the same user');
      return outcome.version;
    });
  }

  /** A refresh (or re-encryption): written only if the row still has `expectedVersion`. */
  update(write: CacheWrite, expectedVersion: number): Promise<WriteOutcome> {
    return writeTransaction(this.ds, (m) => this.conditionalUpdate(m, write, expectedVersion));
  }

  /** Drops the tokens and records why; `expectedVersion` guards against racing a fresh connect. */
  async disconnect(userId: string, reason: string, now: string, expectedVersion?: number): Promise<boolean> {
    return writeTransaction(this.ds, async (m) => {
      const qb = m
        .createQueryBuilder()
        .update(TokenCacheEntity)
        .set({
          cacheData: null,
          keyId: null,
          connected: false,
          expiresAt: null,
          disconnectedReason: reason,
          updatedAt: now,
          version: () => 'version + 1',
        })
        .where('user_id = :userId', { userId });
      if (expectedVersion !== undefined) qb.andWhere('version = :expectedVersion', { expectedVersion });
      const result = await qb.execute();
      return (result.affected ?? 0) > 0;
    });
  }

  private async conditionalUpdate(m: EntityManager, write: CacheWrite, expectedVersion: number): Promise<WriteOutcome> {
    const set: Partial<TokenCacheEntity> = {
      cacheData: write.cacheData,
      keyId: write.keyId,
      connected: write.connected,
      scopes: write.scopes.join(' '),
      expiresAt: write.expiresAt,
      disconnectedReason: null,
      updatedAt: write.now,
    };
    if (write.userPrincipalName) {
      set.userPrincipalName = write.userPrincipalName;
      set.upnLower = write.userPrincipalName.toLowerCase();
    }
    if (write.homeAccountId !== undefined) set.homeAccountId = write.homeAccountId;
    const result = await m
      .createQueryBuilder()
      .update(TokenCacheEntity)
      .set({ ...set, version: () => 'version + 1' })
      .where('user_id = :userId AND version = :expectedVersion', { userId: write.userId, expectedVersion })
      .execute();
    if ((result.affected ?? 0) === 0) {
      const exists = await m.getRepository(TokenCacheEntity).existsBy({ userId: write.userId });
      return { saved: false, reason: exists ? 'conflict' : 'missing' };
    }
    return { saved: true, version: expectedVersion + 1 };
  }
}
