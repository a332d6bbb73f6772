import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { isPostgres } from '@ocb/persistence';
import { ReminderEntity } from '../reminders/reminder.entity';
import { serialized, transaction } from '../database/write-lock';
import { OutboxEntity, OutboxStatus } from './outbox.entity';

/** The delivery outbox: claims with a lease, outcomes, the feed and the dead letters. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Reserves up to `limit` deliverable rows for `owner` until `leaseUntil`. PostgreSQL: one
   * transaction `SELECT ... FOR UPDATE SKIP LOCKED` then UPDATE; SQLite (one writer at a time):
   * a conditional UPDATE per candidate, which only one process can win.
   */
  async claim(now: string, owner: string, leaseUntil: string, limit: number): Promise<OutboxEntity[]> {
    const claimable = (m: EntityManager) =>
      m
        .getRepository(OutboxEntity)
        .createQueryBuilder('o')
        .select('o.id', 'id')
        .where('o.status = :pending AND o.nextAttemptAt <= :now', { pending: 'pending', now })
        .andWhere(new Brackets((b) => b.where('o.leaseUntil IS NULL').orWhere('o.leaseUntil <= :now', { now })))
        .orderBy('o.nextAttemptAt', 'ASC')
        .addOrderBy('o.id', 'ASC')
        .limit(limit);
    const lease = { leaseOwner: owner, leaseUntil, updatedAt: now };

    let ids: string[];
    if (isPostgres(this.ds)) {
      ids = await transaction(this.ds, async (m) => {
        const rows = await claimable(m).setLock('pessimistic_write').setOnLocked('skip_locked').getRawMany<{ id: string }>();
        const found = rows.map((r) => r.id);
        if (found.length) await m.createQueryBuilder().update(OutboxEntity).set(lease).whereInIds(found).execute();
        return found;
      });
    } else {
      const candidates = (await claimable(this.ds.manager).getRawMany<{ id: string }>()).map((r) => r.id);
      ids = [];
      for (const id of candidates) {
        const res = await serialized(this.ds, () =>
          this.ds
            .createQueryBuilder()
            .update(OutboxEntity)
            .set(lease)
            .where('id = :id AND status = :pending', { id, pending: 'pending' })
            .andWhere(new Brackets((b) => b.where('lease_until IS NULL').orWhere('lease_until <= :now', { now })))
            .execute(),
        );
        if ((res.affected ?? 0) === 1) ids.push(id);
      }
    }
    if (!ids.length) return [];
    return this.ds.getRepository(OutboxEntity).createQueryBuilder('o').whereInIds(ids).orderBy('o.nextAttemptAt', 'ASC').getMany();
  }

  /** Records a final outcome (sent or dead) in the outbox and the ledger, if the lease is still ours. */
  async finish(id: string, owner: string, status: Extract<OutboxStatus, 'sent' | 'dead'>, attempts: number, now: string, error: string | null): Promise<boolean> {
    return transaction(this.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({
          status,
          attempts,
          sentAt: status === 'sent' ? now : null,
          lastError: error,
          leaseOwner: null,
          leaseUntil: null,
          updatedAt: now,
        })
        .where('id = :id AND lease_owner = :owner AND status = :pending', { id, owner, pending: 'pending' })
        .execute();
      if ((res.affected ?? 0) !== 1) return false;
      await m.createQueryBuilder().update(ReminderEntity).set({ status, updatedAt: now }).where('id = :id', { id }).execute();
      return true;
    });
  }

  /** A failed attempt: count it, schedule the next one and release the lease. */
  async retryLater(id: string, owner: string, attempts: number, nextAttemptAt: string, now: string, error: string): Promise<void> {
    await serialized(this.ds, () =>
      this.ds
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ attempts, nextAttemptAt, lastError: error, leaseOwner: null, leaseUntil: null, updatedAt: now })
        .where('id = :id AND lease_owner = :owner AND status = :pending', { id, owner, pending: 'pending' })
        .execute(),
    );
  }

  /** When the dispatcher should look again: the earliest retry or expiring lease of a pending row. */
  async nextWakeAt(): Promise<string | null> {
    const row = await this.ds
      .getRepository(OutboxEntity)
      .createQueryBuilder('o')
      .select('MIN(CASE WHEN o.leaseUntil IS NOT NULL AND o.leaseUntil > o.nextAttemptAt THEN o.leaseUntil ELSE o.nextAttemptAt END)', 'next')
      .where('o.status = :pending', { pending: 'pending' })
      .getRawOne<{ next: string | null }>();
    return row?.next ?? null;
  }

  /** A user's notifications, newest first; `user` matches the stored id, UPN or email. */
  feed(user: string, since: string | undefined, limit: number): Promise<OutboxEntity[]> {
    const lower = user.toLowerCase();
    const qb = this.ds
      .getRepository(OutboxEntity)
      .createQueryBuilder('o')
      .where(
        new Brackets((b) =>
          b.where('o.userId = :user', { user }).orWhere('o.userUpn = :lower', { lower }).orWhere('o.userEmail = :lower', { lower }),
        ),
      );
    if (since) qb.andWhere('o.dueAt >= :since', { since });
    return qb.orderBy('o.dueAt', 'DESC').addOrderBy('o.id', 'DESC').take(limit).getMany();
  }

  deadLetters(limit: number): Promise<OutboxEntity[]> {
    return this.ds
      .getRepository(OutboxEntity)
      .createQueryBuilder('o')
      .where('o.status = :dead', { dead: 'dead' })
      .orderBy('o.updatedAt', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .take(limit)
      .getMany();
  }

  /** Puts a dead letter back in the queue with a fresh attempt budget. */
  async requeue(id: string, now: string): Promise<boolean> {
    return transaction(this.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, updatedAt: now })
        .where('id = :id AND status = :dead', { id, dead: 'dead' })
        .execute();
      if ((res.affected ?? 0) !== 1) return false;
      await m.createQueryBuilder().update(ReminderEntity).set({ status: 'queued', updatedAt: now }).where('id = :id', { id }).execute();
      return true;
    });
  }

  findById(id: string): Promise<OutboxEntity | null> {
    return this.ds.getRepository(OutboxEntity).findOneBy({ id });
  }
}
