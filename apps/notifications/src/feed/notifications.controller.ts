import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError } from '@ocb/http';
import { toInstant } from '@ocb/persistence';
import { OutboxEntity } from '../delivery/outbox.entity';
import { OutboxRepository } from '../delivery/outbox.repository';
import { ReminderScheduler } from '../reminders/reminder.scheduler';
import { RemindersRepository } from '../reminders/reminders.repository';
import { DUE_EVENTS_SOURCE, type DueEventsSource } from '../reminders/due-events.source';
import { FeedQuery, LedgerQuery, LimitQuery } from './notifications.dto';

function item(row: OutboxEntity) {
  return {
    ...(JSON.parse(row.body) as Record<string, unknown>),
    status: row.status,
    sentAt: row.sentAt,
    attempts: row.attempts,
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
    const since = query.since ? toInstant(query.since) : undefined;
    const rows = await this.outbox.feed(user, since, query.limit ?? 100);
    if (!rows.length && (await this.unknownUser(user))) throw ApiError.notFound(`user: no user ${user}`);
    return { items: rows.map(item) };
  }

  @Get('notifications/dead-letters')
  @ApiOperation({ summary: 'Notifications given up after NOTIFY_MAX_ATTEMPTS' })
  async deadLetters(@Query() query: LimitQuery) {
    const rows = await this.outbox.deadLetters(query.limit ?? 100);
    return { items: rows.map((r) => ({ ...item(r), lastError: r.lastError, deadAt: r.updatedAt })) };
  }

  @Post('notifications/dead-letters/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a dead letter again with a fresh attempt budget' })
  async retry(@Param('id') id: string) {
    if (!(await this.outbox.requeue(id, toInstant(this.clock.now())))) throw ApiError.notFound(`id: no dead letter ${id}`);
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
