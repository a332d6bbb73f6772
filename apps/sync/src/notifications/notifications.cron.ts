import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import type { SyncConfig } from '../config/sync.config';
import { SyncRunsService } from '../sync/sync-runs.service';
import { CHANGE_QUEUE, type ChangeQueue } from './change-queue';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Every SYNC_SUBSCRIPTIONS_CHECK_SECONDS (when notifications are on and crons are enabled): the
 * subscriptions are reconciled — created after a mailbox's first full fetch, renewed before half
 * their lifetime is left, removed for users who left. Also at the end of every sync run that
 * fetched something (crons on or off): the mailboxes it fetched for the first time are subscribed
 * at once, not up to one check later.
 */
@Injectable()
export class NotificationsCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsCron.name);
  private cancel: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly subscriptions: SubscriptionsService,
    @Inject(CHANGE_QUEUE) private readonly queue: ChangeQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
    private readonly runs: SyncRunsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.subscriptions.enabled) return;
    this.runs.onConcluded((_kind, status) => {
      if (this.stopped || status === 'failed') return;
      this.subscriptions.reconcile().catch((e: unknown) => this.logger.error(`subscriptions after a run: ${e instanceof Error ? e.message : String(e)}`));
    });
    if (this.config.SYNC_CRON_ENABLED) this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    this.cancel = this.clock.setTimer(() => {
      this.subscriptions.reconcile().then(
        () => this.tick(),
        (e: unknown) => {
          this.logger.error(`subscriptions: ${e instanceof Error ? e.message : String(e)}`);
          this.tick();
        },
      );
    }, this.config.SYNC_SUBSCRIPTIONS_CHECK_SECONDS * 1000);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.cancel?.();
    this.queue.close();
  }
}
