import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GraphEvent } from '@ocb/graph-client';
import type { EventDetail } from '@ocb/service-clients';
import { eventDetailFromGraph } from '../events/event-detail.mapper';
import { SYNC_REFRESHER, type SyncRefresher } from './sync.tokens';

/**
 * After a write: brings the user's cache up to date through sync BEFORE the response, and answers
 * with sync's detail of the written event, so that the next read shows the change. The write has
 * happened: a failing sync is logged, never an error; the detail is then built from Graph's answer.
 */
@Injectable()
export class CacheRefresh {
  private readonly logger = new Logger(CacheRefresh.name);

  constructor(@Inject(SYNC_REFRESHER) private readonly sync: SyncRefresher) {}

  /** Refreshes the user's cache; false (logged) when sync could not. */
  async refresh(user: string, reason: string): Promise<boolean> {
    try {
      await this.sync.refreshUser(user);
      return true;
    } catch (e) {
      this.logger.warn(`cache refresh for ${user} after ${reason} failed: ${(e as Error).message}`);
      return false;
    }
  }

  /** Refresh, then the written event as sync now has it (or as Graph answered the write). */
  async detailAfterWrite(user: string, written: GraphEvent, reason: string): Promise<EventDetail> {
    if (await this.refresh(user, reason)) {
      try {
        return await this.sync.event(user, written.id);
      } catch (e) {
        this.logger.warn(`sync has no detail of ${written.id} after ${reason}: ${(e as Error).message}`);
      }
    }
    return eventDetailFromGraph(written);
  }
}
