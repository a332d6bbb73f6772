import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MailboxStateRepository } from '../sync/mailbox-state.repository';
import { UsersService } from '../users/users.service';

export class SyncStateView {
  @ApiProperty({ type: String, nullable: true, description: "When the user's cache was last brought up to date (a full or delta sync, or a refresh that found nothing new); null before the first sync" })
  lastSyncedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastFullSyncAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastDeltaSyncAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the last sync failure, cleared by the next success' }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastErrorAt!: string | null;
}

/** The mailbox's sync bookkeeping, for "last updated" labels (PLATFORM_API_KEY). */
@ApiTags('events')
@Controller('users/:user')
export class SyncStateController {
  constructor(
    private readonly users: UsersService,
    private readonly states: MailboxStateRepository,
  ) {}

  @Get('sync-state')
  @ApiOperation({ summary: "When the user's cached calendar was last brought up to date; 404 naming user when not cached" })
  @ApiOkResponse({ type: SyncStateView })
  async get(@Param('user') user: string): Promise<SyncStateView> {
    const u = await this.users.cached(user);
    const s = await this.states.get(u.id);
    const full = s?.lastFullSyncAt ?? null;
    const delta = s?.lastDeltaSyncAt ?? null;
    return {
      lastSyncedAt: full && delta ? (delta > full ? delta : full) : (full ?? delta),
      lastFullSyncAt: full,
      lastDeltaSyncAt: delta,
      lastError: s?.lastError ?? null,
      lastErrorAt: s?.lastErrorAt ?? null,
    };
  }
}
