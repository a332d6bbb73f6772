import { Module } from '@nestjs/common';
import { MetricsModule } from '@ocb/http';
import { OutboxDispatcher } from '../delivery/outbox-dispatcher.service';
import { OutboxRepository } from '../delivery/outbox.repository';
import { DELIVERY_POLICY, defaultDeliveryPolicy, FetchWebhookSender, WEBHOOK_SENDER } from '../delivery/webhook.sender';
import { WebhookSigner } from '../delivery/webhook.signer';
import { NotificationsController } from '../feed/notifications.controller';
import { DUE_EVENTS_SOURCE, SyncDueEventsSource } from './due-events.source';
import { ReminderPlanner } from './reminder-planner.service';
import { ReminderScheduler } from './reminder.scheduler';
import { RemindersMetrics } from './reminders.metrics';
import { RemindersRepository } from './reminders.repository';

/** Reminders: planning from sync's cache, the ledger, the outbox and its webhook delivery, the feed. */
@Module({
  imports: [MetricsModule],
  controllers: [NotificationsController],
  providers: [
    { provide: DUE_EVENTS_SOURCE, useClass: SyncDueEventsSource },
    { provide: WEBHOOK_SENDER, useClass: FetchWebhookSender },
    { provide: DELIVERY_POLICY, useValue: defaultDeliveryPolicy },
    RemindersMetrics,
    WebhookSigner,
    RemindersRepository,
    OutboxRepository,
    ReminderPlanner,
    OutboxDispatcher,
    ReminderScheduler,
  ],
  exports: [ReminderScheduler],
})
export class RemindersModule {}
