import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AvailabilityDto, MeetingTimesDto } from './scheduling.dto';
import { SchedulingService } from './scheduling.service';

/** Free/busy and suggested times, as the user (delegated token): Outlook's scheduling assistant. */
@ApiTags('scheduling')
@Controller('users/:user')
export class SchedulingController {
  constructor(private readonly scheduling: SchedulingService) {}

  @Post('availability')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Busy time of the organizer and up to 19 attendees over a window (< 62 days)',
    description:
      '`{ timeZone, startUtc, endUtc, schedules: [{ email, isOrganizer, busy: [{ status, start, end, startUtc, endUtc, subject, location }], availabilityView, workingHours, error }] }`; recurring events count by their occurrences; an address Outlook does not know has `error` set.',
  })
  availability(@Param('user') user: string, @Body() body: AvailabilityDto): Promise<unknown> {
    return this.scheduling.availability(user, body);
  }

  @Post('meeting-times')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Suggested slots for a duration and attendees (Outlook findMeetingTimes)',
    description:
      '`{ timeZone, suggestions: [{ start, end, startUtc, endUtc, confidence, organizerAvailability, attendees: [{ email, type, availability }], reason }], emptySuggestionsReason }`; no suggestion falls on a required attendee\'s busy time.',
  })
  meetingTimes(@Param('user') user: string, @Body() body: MeetingTimesDto): Promise<unknown> {
    return this.scheduling.meetingTimes(user, body);
  }
}
