import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InternalRoutes } from '@ocb/http';
import type { EventDetail, Page, RefreshResult, StartingEvent, UserRef } from '@ocb/service-clients';
import { StartingEventsQuery } from '../events/events.dto';
import { EventsService } from '../events/events.service';
import { RefreshService, userNotFound } from '../sync/refresh.service';
import { userRef, UsersService } from '../users/users.service';

/** Service-to-service routes (INTERNAL_API_KEY), as called by `SyncClient`. */
@ApiTags('internal')
@InternalRoutes()
export class InternalController {
  constructor(
    private readonly users: UsersService,
    private readonly events: EventsService,
    private readonly refresher: RefreshService,
  ) {}

  @Post('users/:user/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: "Bring the user's cache up to date (after an action)" })
  refresh(@Param('user') user: string): Promise<RefreshResult> {
    return this.refresher.refresh(user);
  }

  @Get('users/:user')
  @ApiOperation({ summary: 'The user (id or UPN); looked up in the tenant when not cached' })
  async user(@Param('user') user: string): Promise<UserRef> {
    try {
      return userRef((await this.users.resolve(user)).user);
    } catch (e) {
      throw userNotFound(e);
    }
  }

  @Get('users/:user/events/:eventId')
  @ApiOperation({ summary: 'One cached event (any occurrence or series id)' })
  async event(@Param('user') user: string, @Param('eventId') eventId: string): Promise<EventDetail> {
    const u = await this.users.cached(user);
    return this.events.detail(u.id, eventId);
  }

  @Get('events/starting')
  @ApiOperation({ summary: 'Non-cancelled occurrences organized by their mailbox user, starting in [from, to)' })
  starting(@Query() query: StartingEventsQuery): Promise<Page<StartingEvent>> {
    return this.events.starting(query);
  }
}
