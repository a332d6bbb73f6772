import { ApiPropertyOptional } from '@nestjs/swagger';
import { ApiError, unknownFields } from '@ocb/http';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;
const INSTANT_MESSAGE = (field: string) => `${field} must be an ISO 8601 date-time with a zone (e.g. 2026-12-01T10:00:00Z) or a date`;

const LIST_FIELDS = ['q', 'from', 'to', 'limit', 'cursor'] as const;

/**
 * GET /api/users/{user}/events query. The read API's hottest route reads its query itself
 * (`fromQuery`, see `QueryReader`) with the rules and words the class-validator decorators had:
 * each field at most once and a string, q up to 200 characters, from/to instants, limit 1-4 digits
 * (the service checks 1-200), cursor up to 4,096 characters, no other field.
 */
export class ListEventsQuery {
  @ApiPropertyOptional({ description: 'Matches subject, location, organizer, attendees and body text (case-insensitive)' })
  q?: string;

  @ApiPropertyOptional({ description: 'Events not ended by this instant (default: now)' })
  from?: string;

  @ApiPropertyOptional({ description: 'Events starting before this instant' })
  to?: string;

  @ApiPropertyOptional({ description: 'Page size, 1-200 (default 50)' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  cursor?: string;

  static fromQuery(query: Record<string, unknown>): ListEventsQuery {
    const problems = unknownFields(query, LIST_FIELDS);
    const out = new ListEventsQuery();
    const text = (field: (typeof LIST_FIELDS)[number], check: (v: string) => string | null): void => {
      const v = query[field];
      if (v === undefined) return;
      if (typeof v !== 'string') {
        problems.push(`${field} must be a string`);
        return;
      }
      const problem = check(v);
      if (problem) problems.push(problem);
      else out[field] = v;
    };
    const maxLength = (field: string, max: number) => (v: string) => (v.length > max ? `${field} must be shorter than or equal to ${max} characters` : null);
    const matches = (re: RegExp, message: string) => (v: string) => (re.test(v) ? null : message);
    text('q', maxLength('q', 200));
    text('from', matches(INSTANT, INSTANT_MESSAGE('from')));
    text('to', matches(INSTANT, INSTANT_MESSAGE('to')));
    text('limit', matches(/^\d{1,4}$/, 'limit must be an integer from 1 to 200'));
    text('cursor', maxLength('cursor', 4096));
    if (problems.length) throw ApiError.validation(problems.join('; '));
    return out;
  }
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
