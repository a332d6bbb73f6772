import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError, parseInstant } from '@ocb/http';
import { toInstant } from '@ocb/persistence';
import { OutboxEntity } from '../delivery/outbox.entity';
import { OutboxRepository } from '../delivery/outbox.repository';
import { ReminderScheduler } from '../reminders/reminder.scheduler';
import { RemindersRepository } from '../reminders/reminders.repository';
import { DUE_EVENTS_SOURCE, type DueEventsSource } from '../reminders/due-events.source';
import { OutboxDispatcher } from '../delivery/outbox-dispatcher.service';
import { DeliveriesPage, DeliveriesQuery, DeliveryItem, FeedQuery, LedgerQuery, RedeliverResult } from './notifications.dto';
import { decodeCursor, encodeCursor } from './cursor';

function item(row: OutboxEntity) {
  return {
    ...(JSON.parse(row.body) as Record<string, unknown>),
    status: row.status,
    sentAt: row.sentAt,
    attempts: row.attempts,
  };
}

function deliveryItem(row: OutboxEntity): DeliveryItem {
  const body = JSON.parse(row.body) as { user: { id: string; email: string | null }; event: { id: string; subject: string; startUtc: string } };
  const status = row.status === 'sent' ? 'delivered' : row.status === 'dead' ? 'dead' : row.attempts > 0 ? 'failed' : 'pending';
  return {
    id: row.id,
    status,
    attempts: row.attempts,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    dueAt: row.dueAt,
    deliveredAt: row.sentAt,
    updatedAt: row.updatedAt,
    user: { id: body.user.id, email: body.user.email },
    event: { id: body.event.id, subject: body.event.subject, startUtc: body.event.startUtc },
  };
}

@ApiTags('notifications')
@Controller()
export class NotificationsController {
  private readonly logger = new Logger(NotificationsController.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly reminders: RemindersRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly dispatcher: OutboxDispatcher,
    @Inject(DUE_EVENTS_SOURCE) private readonly source: DueEventsSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The user's notifications, newest first (by due time). `user` matches the stored user id, UPN
   * or email. No notification and a user sync does not know: 404; sync unreachable: empty list.
   */
  @Get('users/:user/notifications')
  @ApiOperation({ summary: "A user's reminders (webhook bodies plus status and sentAt), newest first" })
  async feed(@Param('user') user: string, @Query() query: FeedQuery) {
    const since = query.since ? parseInstant(query.since, 'since') : undefined;
    const rows = await this.outbox.feed(user, since, query.limit ?? 100);
    if (!rows.length && (await this.unknownUser(user))) throw ApiError.notFound(`user: no user ${user}`);
    return { items: rows.map(item) };
  }

  @Get('notifications/deliveries')
  @ApiOperation({
    summary: 'Webhook deliveries, latest due first, with attempts, last status and error',
    description:
      'status: pending (not attempted yet), failed (attempted; a retry is scheduled), delivered (accepted with a 2xx), dead (given up after NOTIFY_MAX_ATTEMPTS). Paged: `limit` (1-500, default 100) and `cursor` (the previous page\'s `nextCursor`).',
  })
  @ApiOkResponse({ type: DeliveriesPage })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming the parameter (status, limit, cursor)' })
  async deliveries(@Query() query: DeliveriesQuery): Promise<DeliveriesPage> {
    const limit = query.limit ?? 100;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows = await this.outbox.deliveries(query.status, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(deliveryItem), nextCursor: rows.length > limit && last ? encodeCursor([last.dueAt, last.id]) : null };
  }

  @Post('notifications/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a notification again (same id and webhook-id) with a fresh attempt budget',
    description:
      'Works for delivered, failed, pending and dead notifications and for ones stored while no webhook was configured. A webhook endpoint disabled by a 410 Gone is re-enabled.',
  })
  @ApiAcceptedResponse({ type: RedeliverResult })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no notification with that id' })
  @ApiConflictResponse({ description: 'DELIVERY_IN_PROGRESS: an attempt is in flight; WEBHOOK_NOT_CONFIGURED: NOTIFY_WEBHOOK_URL is unset' })
  async redeliver(@Param('id') id: string): Promise<RedeliverResult> {
    if (!this.dispatcher.enabled) throw ApiError.conflict('WEBHOOK_NOT_CONFIGURED', 'NOTIFY_WEBHOOK_URL is not set: there is no webhook to deliver to');
    const result = await this.outbox.redeliver(id, toInstant(this.clock.now()));
    if (result === 'not_found') throw ApiError.notFound(`id: no notification ${id}`);
    if (result === 'in_flight') throw ApiError.conflict('DELIVERY_IN_PROGRESS', `id: notification ${id} is being delivered right now; try again in a few seconds`);
    await this.dispatcher.reenableEndpoint();
    this.scheduler.deliverNow();
    return { id, status: 'pending' };
  }

  @Get('notifications/reminders')
  @ApiOperation({ summary: 'The reminder ledger (planned, queued, sent, stored, dead, void, missed), latest due first' })
  async ledger(@Query() query: LedgerQuery) {
    const rows = await this.reminders.list(query.status, query.limit ?? 100);
    return {
      items: rows.map((r) => ({
        id: r.id,
        eventId: r.eventId,
        startUtc: r.startUtc,
        dueAt: r.dueAt,
        user: { id: r.userId, userPrincipalName: r.userUpn, email: r.userEmail },
        status: r.status,
        reason: r.reason,
        decidedAt: r.decidedAt,
      })),
    };
  }

  private async unknownUser(user: string): Promise<boolean> {
    try {
      return (await this.source.user(user)) === null;
    } catch (e) {
      this.logger.warn(`cannot resolve user through sync: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }
}
