import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventDetail, OfficeHoursSeries, Page } from '@ocb/service-clients';
import { UsersService } from '../users/users.service';
import { ListEventsQuery } from './events.dto';
import { EventsService } from './events.service';

/** The platform's read API of the cache (PLATFORM_API_KEY). */
@ApiTags('events')
@Controller('users/:user')
export class EventsController {
  constructor(
    private readonly users: UsersService,
    private readonly events: EventsService,
  ) {}

  @Get('events')
  @ApiOperation({ summary: 'Upcoming events from the cache, by start; q searches subject, location, organizer, attendees, body' })
  async list(@Param('user') user: string, @Query() query: ListEventsQuery): Promise<Page<EventDetail>> {
    const u = await this.users.cached(user);
    return this.events.list(u.id, query);
  }

  @Get('events/:eventId')
  @ApiOperation({ summary: 'Event detail' })
  async detail(@Param('user') user: string, @Param('eventId') eventId: string): Promise<EventDetail> {
    const u = await this.users.cached(user);
    return this.events.detail(u.id, eventId);
  }

  @Get('office-hours')
  @ApiOperation({ summary: "The user's office hours series with their next occurrences" })
  async officeHours(@Param('user') user: string): Promise<OfficeHoursSeries[]> {
    const u = await this.users.cached(user);
    return this.events.officeHours(u.id);
  }
}
