import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { toInstant } from '@ocb/persistence';
import { summarizeCache } from './cache-summary';
import type { TokenCacheEntity } from './token-cache.entity';
import { TokenCacheRepository, type WriteOutcome } from './token-cache.repository';
import { TokenCrypto } from './token-crypto';

export interface LoadedPartition {
  row: TokenCacheEntity;
  /** The serialized MSAL cache, or null when the user has no tokens. */
  cache: string | null;
}

/**
 * The encrypted, per-user token store. Callers see serialized MSAL caches; the database only
 * ever sees AES-256-GCM ciphertext. A record sealed with an old key is re-sealed when read.
 */
@Injectable()
export class TokenStore {
  private readonly logger = new Logger(TokenStore.name);

  constructor(
    private readonly repo: TokenCacheRepository,
    private readonly crypto: TokenCrypto,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The record stored under this Graph id (exact). */
  findById(userId: string): Promise<TokenCacheEntity | null> {
    return this.repo.findById(userId);
  }

  /** Records filed under this UPN (case-insensitive); several after the UPN changed hands. */
  findByUpn(userPrincipalName: string): Promise<TokenCacheEntity[]> {
    return this.repo.findByUpn(userPrincipalName);
  }

  /** Files a user's record under their current UPN (the record itself is keyed by id). */
  async rename(userId: string, userPrincipalName: string): Promise<void> {
    await this.repo.rename(userId, userPrincipalName, this.now());
  }

  async load(userId: string): Promise<LoadedPartition | null> {
    const row = await this.repo.findById(userId);
    if (!row) return null;
    if (!row.cacheData || !row.keyId) return { row, cache: null };
    const { plaintext, stale } = this.crypto.open({ keyId: row.keyId, data: row.cacheData }, row.userId);
    if (stale) {
      const sealed = this.crypto.seal(plaintext, row.userId);
      const outcome = await this.repo.update(
        {
          userId: row.userId,
          cacheData: sealed.data,
          keyId: sealed.keyId,
          connected: row.connected,
          scopes: row.scopes.split(' ').filter(Boolean),
          expiresAt: row.expiresAt,
          now: this.now(),
        },
        row.version,
      );
      if (outcome.saved) {
        this.logger.log(`re-encrypted the token record of user ${row.userId} with the current key`);
        return { row: { ...row, cacheData: sealed.data, keyId: sealed.keyId, version: outcome.version }, cache: plaintext };
      }
    }
    return { row, cache: plaintext };
  }

  /** Stores a freshly connected user's cache, replacing whatever the partition held. */
  async connect(userId: string, userPrincipalName: string, cache: string): Promise<void> {
    await this.repo.replace({ ...this.sealedRecord(userId, cache), userPrincipalName });
  }

  /** Writes a refreshed cache if nobody else wrote the partition since `expectedVersion`. */
  save(userId: string, cache: string, expectedVersion: number): Promise<WriteOutcome> {
    return this.repo.update(this.sealedRecord(userId, cache), expectedVersion);
  }

  /** The columns written from a cache: sealed with the current key, plus what it says about the user. */
  private sealedRecord(userId: string, cache: string) {
    const summary = summarizeCache(cache);
    const sealed = this.crypto.seal(cache, userId);
    return {
      userId,
      homeAccountId: summary.homeAccountId,
      cacheData: sealed.data,
      keyId: sealed.keyId,
      connected: summary.hasRefreshToken,
      scopes: summary.scopes,
      expiresAt: summary.expiresAt,
      now: this.now(),
    };
  }

  disconnect(userId: string, reason: string, expectedVersion?: number): Promise<boolean> {
    return this.repo.disconnect(userId, reason, this.now(), expectedVersion);
  }

  private now(): string {
    return toInstant(this.clock.now());
  }
}
