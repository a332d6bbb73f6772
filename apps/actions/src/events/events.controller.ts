import { Body, Controller, Delete, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventDetail } from '@ocb/service-clients';
import { CreateEventDto, EditScopeQuery, UpdateEventDto } from './event.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('users/:user/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an event as the user (201, event detail)',
    description: 'The detail carries `conflicts`: the attendees busy at its times `[{ email, status, start, end, startUtc, endUtc, subject }]` (null when Outlook could not be asked); a conflict never refuses the write.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried create returns the first result' })
  async create(
    @Param('user') user: string,
    @Body() form: CreateEventDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventDetail> {
    const result = await this.events.create(user, form, key);
    res.status(result.status);
    return result.body;
  }

  @Patch(':eventId')
  @ApiOperation({
    summary: 'Edit an event (organizer only); scope=occurrence|series|following for an occurrence id',
    description: '`following`: the series ends the day before the occurrence and a new series with the change starts there (answer: the new series, with `previousSeriesId`). The detail carries `conflicts` as on create.',
  })
  update(
    @Param('user') user: string,
    @Param('eventId') eventId: string,
    @Query() query: EditScopeQuery,
    @Body() form: UpdateEventDto,
  ): Promise<EventDetail> {
    return this.events.update(user, eventId, form, query.scope);
  }

  @Delete(':eventId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Cancel an event (organizer only); scope=occurrence|series|following for an occurrence id',
    description: '`following`: the series ends the day before the occurrence (its earlier occurrences stay); from the first occurrence, the whole series is cancelled.',
  })
  cancel(@Param('user') user: string, @Param('eventId') eventId: string, @Query() query: EditScopeQuery): Promise<void> {
    return this.events.cancel(user, eventId, query.scope);
  }
}
