import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../delivery/outbox.repository';

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


export class DeliveriesQuery extends LimitQuery {
  @ApiPropertyOptional({
    enum: DELIVERY_STATUSES,
    description: 'pending: not attempted yet; failed: attempted, a retry is scheduled; delivered: accepted (2xx); dead: given up after NOTIFY_MAX_ATTEMPTS. Unset: all.',
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

class DeliveryUser {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
}

class DeliveryEvent {
  @ApiProperty() id!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'ISO 8601 instant' }) startUtc!: string;
}

export class DeliveryItem {
  @ApiProperty({ description: 'The notification id: the body id and the webhook-id header, the same on every attempt' }) id!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ description: 'Attempts made (since the last redelivery request)' }) attempts!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status of the last attempt (null: none yet, or no answer)' }) lastStatus!: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Next attempt (pending, failed)' }) nextAttemptAt!: string | null;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: DeliveryUser }) user!: DeliveryUser;
  @ApiProperty({ type: DeliveryEvent }) event!: DeliveryEvent;
}

export class DeliveriesPage {
  @ApiProperty({ type: [DeliveryItem] }) items!: DeliveryItem[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' }) nextCursor!: string | null;
}

export class RedeliverResult {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
}
