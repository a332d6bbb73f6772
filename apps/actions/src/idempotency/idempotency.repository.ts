import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** The idempotency key table. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(IdempotencyKeyEntity);
  }

  find(id: string): Promise<IdempotencyKeyEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Inserts a pending row unless one with that id exists (a concurrent first attempt won: it stays). */
  async insertPending(row: Omit<IdempotencyKeyEntity, 'state' | 'responseStatus' | 'responseBody' | 'eventId'>): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .values({ ...row, state: 'pending', responseStatus: null, responseBody: null, eventId: null })
      .orIgnore()
      .execute();
  }

  async complete(id: string, response: { status: number; body: unknown; eventId: string | null }): Promise<void> {
    await this.repo.update(
      { id },
      { state: 'completed', responseStatus: response.status, responseBody: JSON.stringify(response.body), eventId: response.eventId },
    );
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Forgets keys whose time is up; returns how many. */
  async purgeExpired(nowIso: string): Promise<number> {
    const r = await this.repo.delete({ expiresAt: LessThanOrEqual(nowIso) });
    return r.affected ?? 0;
  }
}
