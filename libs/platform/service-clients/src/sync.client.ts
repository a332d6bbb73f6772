import type { EventDetail, Page, RefreshResult, StartingEvent, UserRef } from './contracts';
import { InternalHttp, InternalHttpOptions } from './internal-http';

/** Client of the sync service's internal routes. */
export class SyncClient {
  private readonly http: InternalHttp;

  constructor(options: InternalHttpOptions) {
    this.http = new InternalHttp(options);
  }

  /** Brings the user's cache up to date (delta when possible) before answering. */
  refreshUser(user: string): Promise<RefreshResult> {
    return this.http.request('POST', `api/internal/users/${encodeURIComponent(user)}/refresh`);
  }

  /** The user as cached by sync (id or UPN); 404 NOT_FOUND when unknown. */
  user(user: string): Promise<UserRef> {
    return this.http.request('GET', `api/internal/users/${encodeURIComponent(user)}`);
  }

  /** One event (any occurrence id) from the user's cache; 404 when gone. */
  event(user: string, eventId: string): Promise<EventDetail> {
    return this.http.request('GET', `api/internal/users/${encodeURIComponent(user)}/events/${encodeURIComponent(eventId)}`);
  }

  /** Non-cancelled occurrences organized by their mailbox's user, starting in [from, to). */
  startingBetween(from: Date, to: Date, cursor?: string, limit = 500): Promise<Page<StartingEvent>> {
    return this.http.request('GET', 'api/internal/events/starting', undefined, {
      from: from.toISOString(),
      to: to.toISOString(),
      cursor,
      limit,
    });
  }
}
