import { ApiProperty } from '@nestjs/swagger';
import { SYNC_RUN_STATUSES, type SyncRunKind, type SyncRunStatus } from './sync-run.entity';
import type { RunFailure, SyncRunView } from './sync-runs.service';

/** OpenAPI shape of one mailbox a run left unsynced. */
export class SyncRunFailureDto implements RunFailure {
  @ApiProperty({ description: 'Graph user id of the mailbox' }) userId!: string;
  @ApiProperty({ type: String, nullable: true, required: false, description: 'Its user principal name, when known' })
  userPrincipalName?: string | null;
  @ApiProperty({ description: "Why it was not synced (Graph's status and code, or the write error)" }) error!: string;
}

/** OpenAPI shape of `GET /api/sync/runs/{runId}` (the contract's fields, plus the failure figures). */
export class SyncRunViewDto implements SyncRunView {
  @ApiProperty() runId!: string;
  @ApiProperty({ enum: ['full', 'delta'] }) kind!: SyncRunKind;
  @ApiProperty({
    enum: SYNC_RUN_STATUSES,
    description:
      '`running`; `succeeded`: every mailbox synced (users without a calendar are skipped, not failed); ' +
      '`partial`: the run ended but left `mailboxesFailed` mailboxes unsynced (listed in `failures`, their previous cache kept); ' +
      '`failed`: the run itself failed (`error`), e.g. the user list could not be read',
  })
  status!: SyncRunStatus;
  @ApiProperty() usersTotal!: number;
  @ApiProperty({ description: 'Mailboxes finished so far: synced, skipped or failed' }) usersDone!: number;
  @ApiProperty() eventsUpserted!: number;
  @ApiProperty() eventsRemoved!: number;
  @ApiProperty({ description: 'HTTP requests sent to Graph by the run (a `$batch` counts once)' }) graphRequests!: number;
  @ApiProperty({ description: 'Mailboxes left unsynced (status `partial` when above 0)' }) mailboxesFailed!: number;
  @ApiProperty({ description: 'Users without a calendar (Graph answered 404)' }) mailboxesSkipped!: number;
  @ApiProperty({ type: [SyncRunFailureDto], description: 'The unsynced mailboxes (the first 100)' }) failures!: SyncRunFailureDto[];
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}
