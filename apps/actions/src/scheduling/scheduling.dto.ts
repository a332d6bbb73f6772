import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { AttendeeInput } from '../events/attendees';
import { TimesDto } from '../events/event.dto';


/** Most attendees one availability request takes: with the organizer, getSchedule's 20 schedules. */
export const MAX_AVAILABILITY_ATTENDEES = 19;

const ATTENDEES_SCHEMA: ApiPropertyOptions = {
  type: 'array',
  items: {
    oneOf: [
      { type: 'string', format: 'email' },
      { type: 'object', required: ['email'], properties: { email: { type: 'string' }, name: { type: 'string' }, type: { type: 'string', enum: ['required', 'optional', 'resource'] } } },
    ],
  },
};

/** The window asked about: start and end as wall times in `timeZone` (answers are given in it too). */
class WindowDto extends TimesDto {}

/** POST /api/users/{user}/availability */
export class AvailabilityDto extends WindowDto {
  @ApiProperty({ ...ATTENDEES_SCHEMA, description: `up to ${MAX_AVAILABILITY_ATTENDEES} addresses or { email, name, type }; the organizer is always included` })
  @IsArray()
  @ArrayMaxSize(MAX_AVAILABILITY_ATTENDEES, { message: `attendees must have at most ${MAX_AVAILABILITY_ATTENDEES} entries (with the organizer, getSchedule's 20)` })
  attendees!: AttendeeInput[];

  @ApiPropertyOptional({ minimum: 5, maximum: 1440, default: 30, description: 'minutes per slot of availabilityView' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440)
  intervalMinutes?: number;
}

export const ACTIVITY_DOMAINS = ['work', 'personal', 'unrestricted'] as const;

/** POST /api/users/{user}/meeting-times */
export class MeetingTimesDto extends WindowDto {
  @ApiProperty({ ...ATTENDEES_SCHEMA, description: 'addresses or { email, name, type: required (default) | optional }' })
  @IsArray()
  @ArrayMaxSize(100)
  attendees!: AttendeeInput[];

  @ApiProperty({ minimum: 5, maximum: 1440, example: 60, description: 'meeting length in minutes' })
  @IsInt()
  @Min(5)
  @Max(1440)
  durationMinutes!: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxCandidates?: number;

  @ApiPropertyOptional({ enum: ACTIVITY_DOMAINS, default: 'work', description: "work: inside the organizer's and required attendees' working hours" })
  @IsOptional()
  @IsIn(ACTIVITY_DOMAINS)
  activityDomain?: (typeof ACTIVITY_DOMAINS)[number];

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 50, description: 'minimum confidence (%) of a suggestion' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  minimumAttendeePercentage?: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isOrganizerOptional?: boolean;
}
