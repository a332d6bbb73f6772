import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SubscriptionEntity } from './subscription.entity';

/** The subscription of each mailbox. */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(SubscriptionEntity);
  }

  all(): Promise<SubscriptionEntity[]> {
    return this.repo.find({ order: { userId: 'ASC' } });
  }

  byUser(userId: string): Promise<SubscriptionEntity | null> {
    return this.repo.findOne({ where: { userId } });
  }

  bySubscription(subscriptionId: string): Promise<SubscriptionEntity | null> {
    return this.repo.findOne({ where: { subscriptionId } });
  }

  async save(row: SubscriptionEntity): Promise<void> {
    await this.repo.save(row);
  }

  async patch(userId: string, patch: Partial<SubscriptionEntity>): Promise<void> {
    await this.repo.update({ userId }, patch);
  }

  async remove(userId: string): Promise<void> {
    await this.repo.delete({ userId });
  }

  /** Users whose first full fetch is done, with a calendar (they should have a subscription). */
  async subscribable(): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await this.ds.query(
      'SELECT s.user_id FROM sync_mailbox_state s JOIN sync_users u ON u.id = s.user_id WHERE s.last_full_sync_at IS NOT NULL AND s.has_calendar = ' +
        (this.ds.options.type === 'postgres' ? 'true' : '1'),
    );
    return rows.map((r) => r.user_id);
  }

  /** Ids of users still in the cache (of those given). */
  async knownUsers(): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.ds.query('SELECT id FROM sync_users');
    return new Set(rows.map((r) => r.id));
  }
}
