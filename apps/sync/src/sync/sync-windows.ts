import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { CLOCK, type Clock } from '@ocb/clock';
import type { SyncConfig } from '../config/sync.config';
import { CalendarGraph, type SyncWindow } from '../graph/calendar.graph';
import type { MailboxStateEntity } from './mailbox-state.entity';
import { SYNC_TUNING, type SyncTuning } from './sync-tuning';

const DAY = 86_400_000;

/** Which part of a mailbox is cached, and when a stored delta link may still be used. */
@Injectable()
export class SyncWindows {
  constructor(
    private readonly graph: CalendarGraph,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
    @Inject(SYNC_TUNING) private readonly tuning: SyncTuning,
  ) {}

  /** The rolling window: whole UTC days from SYNC_WINDOW_PAST_DAYS back to SYNC_WINDOW_FUTURE_DAYS ahead. */
  window(now = this.clock.now()): SyncWindow {
    const today = Math.floor(now / DAY) * DAY;
    return { from: new Date(today - this.config.SYNC_WINDOW_PAST_DAYS * DAY), to: new Date(today + (this.config.SYNC_WINDOW_FUTURE_DAYS + 1) * DAY) };
  }

  /** A stored delta link is used while its window is recent enough; otherwise the mailbox is fetched in full. */
  hasFreshDelta(state: MailboxStateEntity | null | undefined, now = this.clock.now()): state is MailboxStateEntity & { deltaLink: string } {
    if (!state?.deltaLink || !state.deltaEstablishedAt) return false;
    return now - Date.parse(state.deltaEstablishedAt) < this.tuning.deltaMaxAgeMs;
  }

  /** Where a full fetch of the mailbox's window starts (a calendarView delta round). */
  startPath(userId: string, window = this.window()): string {
    return this.graph.deltaStartPath(userId, window);
  }
}
