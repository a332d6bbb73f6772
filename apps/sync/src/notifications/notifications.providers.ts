import { Logger, type Provider } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import type { SyncConfig } from '../config/sync.config';
import { describe } from '../sync/describe-error';
import { MailboxSyncService } from '../sync/mailbox-sync.service';
import { CHANGE_QUEUE, InProcessChangeQueue } from './change-queue';
import { GraphSubscriptions } from './graph-subscriptions';
import { NotificationInbox } from './notification-inbox.service';
import { NotificationMetrics } from './notification-metrics';
import { NotificationsCron } from './notifications.cron';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';

const logger = new Logger('ChangeQueue');

/** The providers of change notifications; the queue runs the existing delta path of one mailbox. */
export const NOTIFICATION_PROVIDERS: Provider[] = [
  NotificationMetrics,
  SubscriptionsRepository,
  GraphSubscriptions,
  SubscriptionsService,
  NotificationInbox,
  NotificationsCron,
  {
    provide: CHANGE_QUEUE,
    inject: [CLOCK, APP_CONFIG, MailboxSyncService, NotificationMetrics],
    useFactory: (clock: Clock, config: SyncConfig, mailboxes: MailboxSyncService, metrics: NotificationMetrics) =>
      new InProcessChangeQueue({
        clock,
        coalesceMs: config.SYNC_NOTIFICATION_COALESCE_MS,
        concurrency: config.SYNC_NOTIFICATION_CONCURRENCY,
        work: async (userId) => {
          await mailboxes.syncOne(userId);
          metrics.delta('ok');
        },
        onError: (userId, e, retryInMs) => {
          metrics.delta('failed');
          const next = retryInMs === null ? 'left to the next delta poll' : `retried in ${retryInMs} ms`;
          logger.warn(`delta of ${userId} after a notification failed (${next}): ${describe(e)}`);
        },
      }),
  },
];
