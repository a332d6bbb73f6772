import type { EventDetail, RefreshResult } from '@ocb/service-clients';

/** Injection token: the sync service as seen from actions (`SyncClient` in production). */
export const SYNC_REFRESHER = Symbol('SYNC_REFRESHER');

export interface SyncRefresher {
  /** Brings the user's cache up to date before answering. */
  refreshUser(user: string): Promise<RefreshResult>;
  /** One event (any id) from the user's cache. */
  event(user: string, eventId: string): Promise<EventDetail>;
}
