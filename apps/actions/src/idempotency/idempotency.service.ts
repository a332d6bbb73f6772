import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError } from '@ocb/http';
import type { ActionsConfig } from '../config/actions.config';
import { IdempotencyRepository } from './idempotency.repository';
import { keyRecordId, transactionIdFor } from './transaction-id';

/** What a create does next: answer the stored response again, or (re)send with this transactionId. */
export type IdempotentStart =
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'proceed'; recordId: string; transactionId: string };

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const PURGE_EVERY_MS = 60_000;

/**
 * Idempotency-Key handling for creates. The first attempt stores the key (pending) with the Graph
 * transactionId derived from user and key; a retry with the same body either gets the stored
 * response (completed) or sends the POST again with the same transactionId (pending: the first
 * answer was lost), so Graph returns the first event, never a second. Another body under the
 * same key: 422 IDEMPOTENCY_KEY_REUSED. Keys are forgotten after IDEMPOTENCY_TTL_HOURS.
 */
@Injectable()
export class IdempotencyService {
  private lastPurge = 0;

  constructor(
    private readonly repo: IdempotencyRepository,
    @Inject(APP_CONFIG) private readonly config: ActionsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** 400 naming the header when the key is not 1-255 visible ASCII characters. */
  static checkKey(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    if (!KEY_PATTERN.test(key)) {
      throw ApiError.validation('Idempotency-Key: must be 1 to 255 visible ASCII characters (e.g. a UUID)');
    }
    return key;
  }

  async begin(userId: string, key: string, requestHash: string): Promise<IdempotentStart> {
    const now = this.clock.now();
    await this.purgeSometimes(now);
    const id = keyRecordId(userId, key);
    let row = await this.repo.find(id);
    if (row && Date.parse(row.expiresAt) <= now) {
      await this.repo.delete(id);
      row = null;
    }
    if (!row) {
      await this.repo.insertPending({
        id,
        userId,
        idempotencyKey: key,
        requestHash,
        transactionId: transactionIdFor(userId, key),
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + this.config.IDEMPOTENCY_TTL_HOURS * 3_600_000).toISOString(),
      });
      row = await this.repo.find(id);
      if (!row) throw new Error(`idempotency key row ${id} vanished`);
    }
    if (row.requestHash !== requestHash) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'IDEMPOTENCY_KEY_REUSED',
        'Idempotency-Key: already used for a different request; use a new key for a new create',
      );
    }
    if (row.state === 'completed' && row.responseStatus !== null && row.responseBody !== null) {
      return { kind: 'replay', status: row.responseStatus, body: JSON.parse(row.responseBody) };
    }
    return { kind: 'proceed', recordId: id, transactionId: row.transactionId };
  }

  complete(recordId: string, status: number, body: unknown, eventId: string | null): Promise<void> {
    return this.repo.complete(recordId, { status, body, eventId });
  }

  private async purgeSometimes(now: number): Promise<void> {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.repo.purgeExpired(new Date(now).toISOString());
  }
}
