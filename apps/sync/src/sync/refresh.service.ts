import { Injectable } from '@nestjs/common';
import { GraphApiError } from '@ocb/graph-client';
import { ApiError } from '@ocb/http';
import type { RefreshResult } from '@ocb/service-clients';
import { UsersService } from '../users/users.service';
import { MailboxSyncService } from './mailbox-sync.service';

/** Graph failures as the contract's errors. */
export function contractError(e: unknown): unknown {
  if (e instanceof GraphApiError) {
    if (e.kind === 'not-found') return ApiError.notFound(`user: the mailbox has no calendar (${e.message})`);
    return new ApiError(e.contractStatus, e.contractCode, `Microsoft Graph: ${e.message}`);
  }
  return e;
}

/**
 * The Refresh button and the update after an action: brings one mailbox up to date before
 * answering (delta from the stored link: one Graph request and no writes when nothing changed).
 */
@Injectable()
export class RefreshService {
  constructor(
    private readonly users: UsersService,
    private readonly mailboxes: MailboxSyncService,
  ) {}

  async refresh(user: string): Promise<RefreshResult> {
    try {
      const { user: u } = await this.users.resolve(user);
      const r = await this.mailboxes.syncOne(u.id);
      return { eventsUpserted: r.upserted, eventsRemoved: r.removed };
    } catch (e) {
      throw contractError(e);
    }
  }
}
