import { serializedWrite, writeTransaction } from '@ocb/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEntity } from '../delivery/outbox.entity';
import { PlannerStateEntity, ReminderEntity, ReminderStatus } from './reminder.entity';

const LAST_POLL = 'last_poll';
const INSERT_CHUNK = 50;

/** The reminder ledger and the planner's state. */
@Injectable()
export class RemindersRepository {
  constructor(private readonly ds: DataSource) {}

  /** Adds planned reminders; an existing key (any status) is left as it is: decided once. */
  async plan(rows: ReminderEntity[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await serializedWrite(this.ds, () => this.ds.createQueryBuilder().insert().into(ReminderEntity).values(chunk).orIgnore().execute());
    }
  }

  async lastPolledAt(): Promise<string | null> {
    const row = await this.ds.getRepository(PlannerStateEntity).findOneBy({ key: LAST_POLL });
    return row?.value ?? null;
  }

  async setLastPolledAt(at: string): Promise<void> {
    await serializedWrite(this.ds, () =>
      this.ds
        .createQueryBuilder()
        .insert()
        .into(PlannerStateEntity)
        .values({ key: LAST_POLL, value: at, updatedAt: at })
        .orUpdate(['value', 'updated_at'], ['key'])
        .execute(),
    );
  }

  async nextDueAt(): Promise<string | null> {
    const row = await this.ds
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .select('MIN(r.dueAt)', 'next')
      .where('r.status = :s', { s: 'planned' })
      .getRawOne<{ next: string | null }>();
    return row?.next ?? null;
  }

  dueRows(now: string, limit: number): Promise<ReminderEntity[]> {
    return this.ds
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .where('r.status = :s AND r.dueAt <= :now', { s: 'planned', now })
      .orderBy('r.dueAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Planned reminders of occurrences starting in [from, to) (instants), oldest start first. */
  plannedStartingBetween(from: string, to: string, limit: number): Promise<ReminderEntity[]> {
    return this.ds
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .where('r.status = :s AND r.startUtc >= :from AND r.startUtc < :to', { s: 'planned', from, to })
      .orderBy('r.startUtc', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Moves a reminder from one status to another if nobody did first; true when this call did. */
  async transition(
    id: string,
    from: ReminderStatus,
    to: ReminderStatus,
    now: string,
    reason: string | null = null,
    manager?: EntityManager,
  ): Promise<boolean> {
    if (!manager) return serializedWrite(this.ds, () => this.transition(id, from, to, now, reason, this.ds.manager));
    const res = await manager
      .createQueryBuilder()
      .update(ReminderEntity)
      .set({ status: to, reason, decidedAt: now, updatedAt: now })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  /**
   * The decision: planned → queued (or stored) and its outbox row, in one transaction. False when
   * another planner (replica) decided it first; then nothing is written.
   */
  async decide(id: string, to: 'queued' | 'stored', outbox: OutboxEntity, now: string): Promise<boolean> {
    return writeTransaction(this.ds, async (m) => {
      if (!(await this.transition(id, 'planned', to, now, null, m))) return false;
      await m.getRepository(OutboxEntity).insert(outbox);
      return true;
    });
  }

  list(status: ReminderStatus | undefined, limit: number): Promise<ReminderEntity[]> {
    const qb = this.ds.getRepository(ReminderEntity).createQueryBuilder('r');
    if (status) qb.where('r.status = :status', { status });
    return qb.orderBy('r.dueAt', 'DESC').addOrderBy('r.id', 'DESC').take(limit).getMany();
  }
}
