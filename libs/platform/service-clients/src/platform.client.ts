import type { EventDetail, OfficeHoursSeries, Page, RefreshResult, UserRef, WrittenEventDetail } from './contracts';
import type { Availability, MeetingTimes, SchedulingRequest, SyncState } from './scheduling';
import { InternalHttp } from './internal-http';

export interface PlatformClientOptions {
  urls: { auth: string; sync: string; actions: string; notifications: string };
  platformKey: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** A notification of notifications' feed (contract.md, notifications). */
export interface FeedNotification {
  id: string;
  type: string;
  dueAt: string;
  message: string;
  event: { id: string; subject: string; startUtc: string };
}

export interface Connection {
  connected: boolean;
  scopes: string[];
  expiresAt: string | null;
}

export interface TimeZoneInfo {
  id: string;
  iana: string;
  displayName: string;
  utcOffset: string;
}

/**
 * The platform's view of the services: their public `/api` routes called with the platform key
 * (as the workspace does). Used by the web app's server side only; the key never reaches a browser.
 */
export class PlatformClient {
  private readonly http: Record<keyof PlatformClientOptions['urls'], InternalHttp>;

  constructor(options: PlatformClientOptions) {
    const make = (baseUrl: string) =>
      new InternalHttp({ baseUrl, internalKey: options.platformKey, timeoutMs: options.timeoutMs ?? 30_000, fetchImpl: options.fetchImpl, attempts: 2 });
    this.http = {
      auth: make(options.urls.auth),
      sync: make(options.urls.sync),
      actions: make(options.urls.actions),
      notifications: make(options.urls.notifications),
    };
  }

  private u(user: string): string {
    return `api/users/${encodeURIComponent(user)}`;
  }

  connection(user: string): Promise<Connection> {
    return this.http.auth.request('GET', `api/auth/users/${encodeURIComponent(user)}/connection`);
  }

  events(user: string, query: { q?: string; from?: string; to?: string; limit?: number; cursor?: string }): Promise<Page<EventDetail>> {
    return this.http.sync.request('GET', `${this.u(user)}/events`, undefined, query);
  }

  event(user: string, eventId: string): Promise<EventDetail> {
    return this.http.sync.request('GET', `${this.u(user)}/events/${encodeURIComponent(eventId)}`);
  }

  officeHours(user: string): Promise<{ items: OfficeHoursSeries[] } | OfficeHoursSeries[]> {
    return this.http.sync.request('GET', `${this.u(user)}/office-hours`);
  }

  refresh(user: string): Promise<RefreshResult> {
    return this.http.sync.request('POST', `${this.u(user)}/refresh`);
  }

  /** With `idempotencyKey`, a repeated create (a double submit) answers the first event again. */
  createEvent(user: string, form: unknown, idempotencyKey?: string): Promise<WrittenEventDetail> {
    return this.http.actions.request('POST', `${this.u(user)}/events`, form, undefined, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
  }

  availability(user: string, request: SchedulingRequest & { intervalMinutes?: number }): Promise<Availability> {
    return this.http.actions.request('POST', `${this.u(user)}/availability`, request);
  }

  meetingTimes(user: string, request: SchedulingRequest & { durationMinutes: number; maxCandidates?: number }): Promise<MeetingTimes> {
    return this.http.actions.request('POST', `${this.u(user)}/meeting-times`, request);
  }

  /** The tenant directory: users whose display name or mail starts with `q` (auth). */
  directory(q: string, top = 10): Promise<{ items: UserRef[] }> {
    return this.http.auth.request('GET', 'api/directory/users', undefined, { q, top });
  }

  syncState(user: string): Promise<SyncState> {
    return this.http.sync.request('GET', `${this.u(user)}/sync-state`);
  }

  editEvent(user: string, eventId: string, form: unknown, scope: 'occurrence' | 'series' | 'following'): Promise<WrittenEventDetail> {
    return this.http.actions.request('PATCH', `${this.u(user)}/events/${encodeURIComponent(eventId)}`, form, { scope });
  }

  /** Cancels an event; for an occurrence id, `scope` picks that occurrence, the whole series, or this and the following ones. */
  cancelEvent(user: string, eventId: string, scope?: 'occurrence' | 'series' | 'following'): Promise<void> {
    return this.http.actions.request('DELETE', `${this.u(user)}/events/${encodeURIComponent(eventId)}`, undefined, scope ? { scope } : undefined);
  }

  createOfficeHours(user: string, form: unknown): Promise<WrittenEventDetail> {
    return this.http.actions.request('POST', `${this.u(user)}/office-hours`, form);
  }

  editOfficeHours(user: string, id: string, form: unknown): Promise<WrittenEventDetail> {
    return this.http.actions.request('PATCH', `${this.u(user)}/office-hours/${encodeURIComponent(id)}`, form);
  }

  timeZones(): Promise<TimeZoneInfo[]> {
    return this.http.actions.request('GET', 'api/timezones');
  }

  notifications(user: string): Promise<{ items: FeedNotification[] } | FeedNotification[]> {
    return this.http.notifications.request('GET', `${this.u(user)}/notifications`);
  }
}
