import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DAYS_OF_WEEK, RECURRENCE_TYPES, WEEK_INDEXES, type DayOfWeek, type RecurrenceType, type WeekIndex } from '@ocb/recurrence';
import type { AttendeeInput } from './attendees';
import { ONLINE_MEETING_PROVIDERS, type OnlineMeetingProvider } from './event-form';

const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const WALL_TIME_MESSAGE = '$property must be a wall time YYYY-MM-DDTHH:mm[:ss] (no Z or offset; the zone goes in timeZone)';

/** The recurrence of the form (contract.md): type, interval, daysOfWeek, until / count. */
export class RecurrenceDto {
  @ApiProperty({ enum: RECURRENCE_TYPES })
  @IsIn(RECURRENCE_TYPES)
  type!: RecurrenceType;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999)
  interval?: number;

  @ApiPropertyOptional({ enum: DAYS_OF_WEEK, isArray: true, description: 'weekly; monthly with weekOfMonth' })
  @IsOptional()
  @IsArray()
  @IsIn(DAYS_OF_WEEK, { each: true })
  daysOfWeek?: DayOfWeek[];

  @ApiPropertyOptional({ example: '2027-03-01', description: 'last date (inclusive, local); not with count' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  until?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'number of occurrences; not with until' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999)
  count?: number;

  @ApiPropertyOptional({ enum: WEEK_INDEXES, description: 'monthly: "second tuesday" style' })
  @IsOptional()
  @IsIn(WEEK_INDEXES)
  weekOfMonth?: WeekIndex;
}

/** Times shared by events and office hours. */
export class TimesDto {
  @ApiProperty({ example: '2026-12-01T10:00:00', description: 'wall time in timeZone' })
  @IsString()
  @Matches(WALL_TIME, { message: WALL_TIME_MESSAGE })
  start!: string;

  @ApiProperty({ example: '2026-12-01T11:00:00', description: 'wall time in timeZone' })
  @IsString()
  @Matches(WALL_TIME, { message: WALL_TIME_MESSAGE })
  end!: string;

  @ApiProperty({ example: 'Pacific Standard Time', description: 'Windows or IANA name (GET /api/timezones)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  timeZone!: string;
}

/** POST /api/users/{user}/events. */
export class CreateEventDto extends TimesDto {
  @ApiProperty({ example: 'Design review' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  title!: string;

  @ApiPropertyOptional({ type: RecurrenceDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence?: RecurrenceDto;

  @ApiPropertyOptional({ example: 'Room 4' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  location?: string;

  @ApiPropertyOptional({ description: 'plain text' })
  @IsOptional()
  @IsString()
  @MaxLength(32_000)
  description?: string;

  @ApiPropertyOptional({
    description: 'addresses, or { email, name, type: required (default) | optional | resource }',
    type: 'array',
    items: {
      oneOf: [
        { type: 'string', format: 'email' },
        {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string' }, name: { type: 'string' }, type: { type: 'string', enum: ['required', 'optional', 'resource'] } },
        },
      ],
    },
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  attendees?: AttendeeInput[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isOnlineMeeting?: boolean;

  @ApiPropertyOptional({ enum: ONLINE_MEETING_PROVIDERS, default: 'teamsForBusiness' })
  @IsOptional()
  @IsIn(ONLINE_MEETING_PROVIDERS)
  onlineMeetingProvider?: OnlineMeetingProvider;
}

/** PATCH /api/users/{user}/events/{eventId}: any subset of the create form. */
export class UpdateEventDto extends PartialType(CreateEventDto) {}

export const EDIT_SCOPES = ['occurrence', 'series', 'following'] as const;
export type EditScope = (typeof EDIT_SCOPES)[number];

export class EditScopeQuery {
  @ApiPropertyOptional({
    enum: EDIT_SCOPES,
    default: 'occurrence',
    description: 'for an occurrence id: that occurrence, the whole series, or this and following occurrences (the series ends before it, a new series starts there)',
  })
  @IsOptional()
  @IsIn(EDIT_SCOPES)
  scope?: EditScope;
}
