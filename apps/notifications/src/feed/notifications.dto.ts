import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** `limit` (1–500, default 100), shared by every list route. */
export class LimitQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class FeedQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'Only notifications due at or after this instant (ISO 8601 with Z or an offset)' })
  @IsOptional()
  @Matches(INSTANT, { message: 'since must be an ISO 8601 date-time with Z or an offset' })
  since?: string;
}

export const LEDGER_STATUSES = ['planned', 'queued', 'sent', 'stored', 'dead', 'void', 'missed'] as const;

export class LedgerQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: LEDGER_STATUSES })
  @IsOptional()
  @IsIn(LEDGER_STATUSES)
  status?: (typeof LEDGER_STATUSES)[number];
}

