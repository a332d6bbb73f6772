import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@ocb/http';
import { SyncQueue } from './sync-queue.service';

/** OpenAPI shape of `GET /api/sync/queue`. */
export class SyncQueueCountsDto {
  @ApiProperty({ description: 'Jobs waiting for a replica' }) waiting!: number;
  @ApiProperty({ description: 'Jobs a replica is working on' }) active!: number;
  @ApiProperty({ description: 'Jobs waiting for a retry or a cron tick' }) delayed!: number;
  @ApiProperty({ description: 'Jobs that failed after their attempts (kept for inspection)' }) failed!: number;
  @ApiProperty({ description: 'Completed jobs still kept (the last 1,000)' }) completed!: number;
  @ApiProperty({ description: "Runs' finish jobs waiting for their group jobs" }) waitingChildren!: number;
  @ApiProperty({ description: 'Jobs taken up again after their replica stopped (total since the queue was created)' }) stalled!: number;
  @ApiProperty({ description: 'Sync replicas consuming the queue' }) workers!: number;
}

@ApiTags('sync')
@Controller('sync/queue')
export class SyncQueueController {
  constructor(private readonly queue: SyncQueue) {}

  @Get()
  @ApiOperation({ summary: 'Job counts of the sync queue across replicas (REDIS_URL set; 404 QUEUE_DISABLED in the single-process mode)' })
  @ApiOkResponse({ type: SyncQueueCountsDto })
  counts(): Promise<SyncQueueCountsDto> {
    if (!this.queue.enabled) throw new ApiError(404, 'QUEUE_DISABLED', 'no sync queue: REDIS_URL is not set (single-process mode)');
    return this.queue.counts();
  }
}
