import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RefreshResult } from '@ocb/service-clients';
import { DeltaSyncService } from './delta-sync.service';
import { FullSyncService } from './full-sync.service';
import { RefreshService } from './refresh.service';
import { SyncRunViewDto } from './sync-run.dto';
import { SyncRunsService, type SyncRunView } from './sync-runs.service';

@ApiTags('sync')
@Controller()
export class SyncController {
  constructor(
    private readonly full: FullSyncService,
    private readonly delta: DeltaSyncService,
    private readonly runs: SyncRunsService,
    private readonly refresher: RefreshService,
  ) {}

  @Post('sync/full')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a full sync of all users (409 with the running runId while one runs)' })
  startFull(): Promise<{ runId: string }> {
    return this.full.start();
  }

  @Post('sync/delta')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start an incremental (delta) sync of every cached mailbox (what the delta cron enqueues)' })
  startDelta(): Promise<{ runId: string }> {
    return this.delta.start();
  }

  @Get('sync/runs/:runId')
  @ApiOperation({ summary: 'Figures of a sync run; `partial` when it ended leaving mailboxes unsynced (which ones in `failures`)' })
  @ApiOkResponse({ type: SyncRunViewDto })
  run(@Param('runId') runId: string): Promise<SyncRunView> {
    return this.runs.view(runId);
  }

  @Post('users/:user/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: "The Refresh button: bring the user's cache up to date before answering" })
  refresh(@Param('user') user: string): Promise<RefreshResult> {
    return this.refresher.refresh(user);
  }
}
