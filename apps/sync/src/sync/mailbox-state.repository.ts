import { serializedWrite } from '@ocb/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { MailboxStateEntity } from './mailbox-state.entity';

/** Delta links and per-mailbox sync bookkeeping. */
@Injectable()
export class MailboxStateRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  get(userId: string, m: EntityManager = this.ds.manager): Promise<MailboxStateEntity | null> {
    return m.getRepository(MailboxStateEntity).findOne({ where: { userId } });
  }

  async getMany(userIds: string[]): Promise<Map<string, MailboxStateEntity>> {
    const out = new Map<string, MailboxStateEntity>();
    for (let i = 0; i < userIds.length; i += 500) {
      const rows = await this.ds.getRepository(MailboxStateEntity).find({ where: { userId: In(userIds.slice(i, i + 500)) } });
      for (const r of rows) out.set(r.userId, r);
    }
    return out;
  }

  /** A delta fetch that found nothing new: the mailboxes are up to date as of `stamp` (one UPDATE, no row read). */
  async markCurrent(userIds: string[], stamp: string): Promise<void> {
    for (let i = 0; i < userIds.length; i += 500) {
      // serialised on SQLite: never inside another mailbox's open write transaction
      await serializedWrite(this.ds, () =>
        this.ds.getRepository(MailboxStateEntity).update({ userId: In(userIds.slice(i, i + 500)) }, { lastDeltaSyncAt: stamp, lastError: null, lastErrorAt: null, throttledUntil: null }),
      );
    }
  }

  async save(userId: string, patch: Partial<MailboxStateEntity>, m: EntityManager = this.ds.manager): Promise<void> {
    const repo = m.getRepository(MailboxStateEntity);
    const existing = await repo.findOne({ where: { userId } });
    const row: MailboxStateEntity = {
      userId,
      deltaLink: null,
      windowStart: null,
      windowEnd: null,
      deltaEstablishedAt: null,
      lastFullSyncAt: null,
      lastDeltaSyncAt: null,
      hasCalendar: true,
      lastError: null,
      lastErrorAt: null,
      throttledUntil: null,
      ...(existing ?? {}),
      ...patch,
    };
    await repo.save(row);
  }
}
