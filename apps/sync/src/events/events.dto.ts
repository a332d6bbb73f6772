import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;
const INSTANT_MESSAGE = (field: string) => `${field} must be an ISO 8601 date-time with a zone (e.g. 2026-12-01T10:00:00Z) or a date`;

/** GET /api/users/{user}/events query. */
export class ListEventsQuery {
  @ApiPropertyOptional({ description: 'Matches subject, location, organizer, attendees and body text (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Events not ended by this instant (default: now)' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ description: 'Events starting before this instant' })
  @IsOptional()
  @Matches(INSTANT, { message: INSTANT_MESSAGE('to') })
  to?: string;

  @ApiPropertyOptional({ description: 'Page size, 1-200 (default 50)' })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'limit must be an integer from 1 to 200' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}

/** GET /api/internal/events/starting query. */
export class StartingEventsQuery {
  @Matches(INSTANT, { message: INSTANT_MESSAGE('from') })
  from!: string;

  @Matches(INSTANT, { message: INSTANT_MESSAGE('to') })
  to!: string;

  @IsOptional()
  @Matches(/^\d{1,5}$/, { message: 'limit must be an integer from 1 to 1000' })
  limit?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}
