import { Body, Controller, Headers, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventDetail } from '@ocb/service-clients';
import { EventsService } from '../events/events.service';
import { CreateOfficeHoursDto, UpdateOfficeHoursDto } from './office-hours.dto';

/** Office hours: a recurring event tagged with the "Office hours" category and extended property. */
@ApiTags('office-hours')
@Controller('users/:user/office-hours')
export class OfficeHoursController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create office hours (201, event detail of the series)',
    description: "`conflicts`: the organizer's own events that overlap its occurrences (first 61 days), as a warning.",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried create returns the first result' })
  async create(
    @Param('user') user: string,
    @Body() form: CreateOfficeHoursDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventDetail> {
    const result = await this.events.create(user, form, key, { officeHours: true });
    res.status(result.status);
    return result.body;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit office hours (the whole series; organizer only)' })
  update(@Param('user') user: string, @Param('id') id: string, @Body() form: UpdateOfficeHoursDto): Promise<EventDetail> {
    return this.events.update(user, id, form, 'series', { officeHours: true });
  }
}
