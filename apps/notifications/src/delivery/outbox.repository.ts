import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { isPostgres, serializedWrite, writeTransaction } from '@ocb/persistence';
import { ReminderEntity } from '../reminders/reminder.entity';
import { EndpointStateEntity, OutboxEntity, OutboxStatus } from './outbox.entity';

/** Who holds a claim: the instance (stable across restarts) and its incarnation (one per start). */
export interface Lease {
  owner: string;
  token: string;
}

export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The delivery outbox: claims with a lease, outcomes, the feed, the deliveries list and redelivery; endpoint state. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Reserves up to `limit` deliverable rows for `lease` until `leaseUntil`. PostgreSQL: one
   * transaction `SELECT ... FOR UPDATE SKIP LOCKED` then UPDATE; SQLite (one writer at a time):
   * a conditional UPDATE per candidate, which only one process can win.
   */
  async claim(now: string, lease: Lease, leaseUntil: string, limit: number): Promise<OutboxEntity[]> {
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
    const set = { leaseOwner: lease.owner, leaseToken: lease.token, leaseUntil, updatedAt: now };

    let ids: string[];
    if (isPostgres(this.ds)) {
      ids = await writeTransaction(this.ds, async (m) => {
        const rows = await claimable(m).setLock('pessimistic_write').setOnLocked('skip_locked').getRawMany<{ id: string }>();
        const found = rows.map((r) => r.id);
        if (found.length) await m.createQueryBuilder().update(OutboxEntity).set(set).whereInIds(found).execute();
        return found;
      });
    } else {
      const candidates = (await claimable(this.ds.manager).getRawMany<{ id: string }>()).map((r) => r.id);
      ids = [];
      for (const id of candidates) {
        const res = await serializedWrite(this.ds, () =>
          this.ds
            .createQueryBuilder()
            .update(OutboxEntity)
            .set(set)
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

  /** Heartbeat: extends the lease on rows this incarnation is still delivering. */
  async renew(lease: Lease, ids: string[], leaseUntil: string, now: string): Promise<number> {
    if (!ids.length) return 0;
    const res = await serializedWrite(this.ds, () =>
      this.ds
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ leaseUntil, updatedAt: now })
        .where('id IN (:...ids) AND lease_owner = :owner AND lease_token = :token AND status = :pending', {
          ids,
          owner: lease.owner,
          token: lease.token,
          pending: 'pending',
        })
        .execute(),
    );
    return res.affected ?? 0;
  }

  /**
   * Frees the claims an earlier incarnation of this instance left behind (it died before
   * finishing them): they are deliverable again at once instead of after their lease.
   */
  async releaseOwn(lease: Lease, now: string): Promise<number> {
    const res = await serializedWrite(this.ds, () =>
      this.ds
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ leaseOwner: null, leaseToken: null, leaseUntil: null, updatedAt: now })
        .where('status = :pending AND lease_owner = :owner', { pending: 'pending', owner: lease.owner })
        .andWhere(new Brackets((b) => b.where('lease_token IS NULL').orWhere('lease_token <> :token', { token: lease.token })))
        .execute(),
    );
    return res.affected ?? 0;
  }

  /** Records a final outcome (sent or dead) in the outbox and the ledger, if the lease is still ours. */
  async finish(
    id: string,
    lease: Lease,
    outcome: { status: Extract<OutboxStatus, 'sent' | 'dead'>; attempts: number; now: string; error: string | null; httpStatus: number | null },
  ): Promise<boolean> {
    const { status, attempts, now, error, httpStatus } = outcome;
    return writeTransaction(this.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({
          status,
          attempts,
          sentAt: status === 'sent' ? now : null,
          lastError: error,
          lastStatus: httpStatus,
          leaseOwner: null,
          leaseToken: null,
          leaseUntil: null,
          updatedAt: now,
        })
        .where('id = :id AND lease_owner = :owner AND lease_token = :token AND status = :pending', { id, owner: lease.owner, token: lease.token, pending: 'pending' })
        .execute();
      if ((res.affected ?? 0) !== 1) return false;
      await m.createQueryBuilder().update(ReminderEntity).set({ status, updatedAt: now }).where('id = :id', { id }).execute();
      return true;
    });
  }

  /** A failed attempt: count it, schedule the next one and release the lease. */
  async retryLater(
    id: string,
    lease: Lease,
    outcome: { attempts: number; nextAttemptAt: string; now: string; error: string; httpStatus: number | null },
  ): Promise<boolean> {
    const { attempts, nextAttemptAt, now, error, httpStatus } = outcome;
    const res = await serializedWrite(this.ds, () =>
      this.ds
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ attempts, nextAttemptAt, lastError: error, lastStatus: httpStatus, leaseOwner: null, leaseToken: null, leaseUntil: null, updatedAt: now })
        .where('id = :id AND lease_owner = :owner AND lease_token = :token AND status = :pending', { id, owner: lease.owner, token: lease.token, pending: 'pending' })
        .execute(),
    );
    return (res.affected ?? 0) === 1;
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

  /**
   * Deliveries (rows with a webhook outcome, not `stored`), latest due first, keyset-paged after
   * `after` = [dueAt, id] of the previous page's last item. `status`: pending (no attempt yet),
   * failed (attempted, a retry is scheduled), delivered, dead.
   */
  deliveries(status: DeliveryStatus | undefined, limit: number, after: [string, string] | null): Promise<OutboxEntity[]> {
    const qb = this.ds.getRepository(OutboxEntity).createQueryBuilder('o');
    if (status === 'pending') qb.where('o.status = :s AND o.attempts = 0', { s: 'pending' });
    else if (status === 'failed') qb.where('o.status = :s AND o.attempts > 0', { s: 'pending' });
    else if (status === 'delivered') qb.where('o.status = :s', { s: 'sent' });
    else if (status === 'dead') qb.where('o.status = :s', { s: 'dead' });
    else qb.where('o.status IN (:...s)', { s: ['pending', 'sent', 'dead'] });
    if (after)
      qb.andWhere(
        new Brackets((b) => b.where('o.dueAt < :d', { d: after[0] }).orWhere(new Brackets((c) => c.where('o.dueAt = :d', { d: after[0] }).andWhere('o.id < :id', { id: after[1] })))),
      );
    return qb.orderBy('o.dueAt', 'DESC').addOrderBy('o.id', 'DESC').take(limit).getMany();
  }

  /**
   * Queues a notification to be sent again at once with a fresh attempt budget (same id, so the
   * same webhook-id). A row in flight (leased) is left alone.
   */
  async redeliver(id: string, now: string): Promise<'queued' | 'not_found' | 'in_flight'> {
    return writeTransaction(this.ds, async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseToken: null, leaseUntil: null, updatedAt: now })
        .where('id = :id', { id })
        .andWhere(new Brackets((b) => b.where('lease_until IS NULL').orWhere('lease_until <= :now', { now })))
        .execute();
      if ((res.affected ?? 0) !== 1) return (await m.getRepository(OutboxEntity).existsBy({ id })) ? 'in_flight' : 'not_found';
      await m.createQueryBuilder().update(ReminderEntity).set({ status: 'queued', updatedAt: now }).where('id = :id', { id }).execute();
      return 'queued';
    });
  }

  /** The endpoint's 410 state, if it answered 410 Gone. */
  endpointGone(key: string): Promise<EndpointStateEntity | null> {
    return this.ds.getRepository(EndpointStateEntity).findOneBy({ key });
  }

  async markEndpointGone(key: string, reason: string, now: string): Promise<void> {
    await serializedWrite(this.ds, () =>
      this.ds
        .createQueryBuilder()
        .insert()
        .into(EndpointStateEntity)
        .values({ key, status: 'gone', reason, since: now, updatedAt: now })
        .orIgnore()
        .execute(),
    );
  }

  /** Re-enables an endpoint; true when it was disabled. */
  async clearEndpointGone(key: string): Promise<boolean> {
    const res = await serializedWrite(this.ds, () => this.ds.createQueryBuilder().delete().from(EndpointStateEntity).where('key = :key', { key }).execute());
    return (res.affected ?? 0) > 0;
  }

  findById(id: string): Promise<OutboxEntity | null> {
    return this.ds.getRepository(OutboxEntity).findOneBy({ id });
  }
}
