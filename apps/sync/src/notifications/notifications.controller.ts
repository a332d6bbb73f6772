import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiError, Public } from '@ocb/http';
import type { Response } from 'express';
import { NotificationInbox } from './notification-inbox.service';
import { SubscriptionsStateDto } from './notifications.dto';
import type { SubscriptionsState } from '@ocb/service-clients';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Microsoft Graph's side: the public endpoints its change and lifecycle notifications are POSTed to
 * (no API key: Graph cannot send one; a notification is believed by its clientState). The
 * validation handshake is answered 200 text/plain with the token; a notification 202 at once,
 * before any work.
 */
@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(
    private readonly inbox: NotificationInbox,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  private answer(kind: 'change' | 'lifecycle', token: string | undefined, body: unknown, res: Response): void {
    if (!this.subscriptions.enabled) throw ApiError.notFound('notifications: change notifications are off (NOTIFICATIONS_PUBLIC_URL is not set)');
    if (token !== undefined) {
      res.status(200).type('text/plain').send(token);
      return;
    }
    res.status(202).end();
    this.inbox.accept(body, kind);
  }

  @Public()
  @Post('notifications/graph')
  @HttpCode(202)
  @ApiOperation({ summary: "Graph change notifications (public): the validation handshake (?validationToken → 200 text/plain echo) or { value: [...] } → 202 at once; each item with our clientState leads to a delta of its mailbox" })
  @ApiQuery({ name: 'validationToken', required: false })
  change(@Query('validationToken') token: string | undefined, @Body() body: unknown, @Res() res: Response): void {
    this.answer('change', token, body, res);
  }

  @Public()
  @Post('notifications/graph/lifecycle')
  @HttpCode(202)
  @ApiOperation({ summary: 'Graph lifecycle notifications (public): reauthorizationRequired → renew, subscriptionRemoved → recreate + delta, missed → delta' })
  @ApiQuery({ name: 'validationToken', required: false })
  lifecycle(@Query('validationToken') token: string | undefined, @Body() body: unknown, @Res() res: Response): void {
    this.answer('lifecycle', token, body, res);
  }

  @Get('sync/subscriptions')
  @ApiOperation({ summary: 'Change-notification subscription state per mailbox (enabled: NOTIFICATIONS_PUBLIC_URL is set)' })
  @ApiOkResponse({ type: SubscriptionsStateDto })
  state(): Promise<SubscriptionsState> {
    return this.subscriptions.view();
  }
}

