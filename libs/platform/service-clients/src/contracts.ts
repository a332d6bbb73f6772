/**
 * Shapes exchanged between our services (internal routes, `/api/internal/**`, INTERNAL_API_KEY)
 * and the platform-facing event detail of contract.md. One definition, used by server and client.
 */

export interface GraphDateTime {
  dateTime: string; // wall time, e.g. 2026-12-01T10:00:00.0000000
  timeZone: string; // the event's own zone (Windows name as Outlook reports it)
}

export interface Attendee {
  name: string | null;
  email: string;
  type: 'required' | 'optional' | 'resource';
  response: string; // none | organizer | tentativelyAccepted | accepted | declined | notResponded
}

export interface RecurrenceFormShape {
  type: 'once' | 'daily' | 'weekly' | 'monthly';
  interval?: number;
  daysOfWeek?: string[];
  until?: string;
  count?: number;
  weekOfMonth?: string;
}

/** contract.md "Event detail". */
export interface EventDetail {
  id: string;
  subject: string;
  start: GraphDateTime;
  end: GraphDateTime;
  startUtc: string;
  endUtc: string;
  isAllDay: boolean;
  location: string | null;
  description: string;
  attendees: Attendee[];
  organizer: { name: string | null; email: string | null };
  isOrganizer: boolean;
  canEdit: boolean;
  joinUrl: string | null;
  webLink: string | null;
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  seriesMasterId: string | null;
  recurrence: RecurrenceFormShape | null;
  isOfficeHours: boolean;
  isCancelled: boolean;
}

/** A busy time of someone's calendar (actions' availability; a conflict's slot). */
export interface BusySlot {
  status: string;
  start: GraphDateTime;
  end: GraphDateTime;
  startUtc: string;
  endUtc: string;
  subject: string | null;
  location?: string | null;
}

/** An attendee busy at a written event's times (actions' create/edit answers). */
export interface ScheduleConflict extends Omit<BusySlot, 'location'> {
  email: string;
}

/**
 * actions' answer to a create or edit: the event detail, plus `conflicts` (null when Outlook could
 * not be asked) and, after `scope=following`, the series the edit split off from.
 */
export interface WrittenEventDetail extends EventDetail {
  conflicts?: ScheduleConflict[] | null;
  previousSeriesId?: string;
}

export interface UserRef {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string | null;
}

/** GET /api/internal/tokens/app (auth). */
export interface AppTokenResponse {
  accessToken: string;
  expiresOn: string;
}

/** GET /api/internal/users/{user}/token (auth): 409 CONSENT_REQUIRED with connectUrl when not connected. */
export interface UserTokenResponse {
  accessToken: string;
  expiresOn: string;
  userId: string;
  userPrincipalName: string;
}

/** POST /api/internal/users/{user}/refresh (sync) and POST /api/users/{user}/refresh. */
export interface RefreshResult {
  eventsUpserted: number;
  eventsRemoved: number;
}

/** GET /api/internal/events/starting?from&to&cursor&limit (sync): occurrences users organize. */
export interface StartingEvent extends EventDetail {
  user: { id: string; email: string | null; userPrincipalName: string };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Office hours series as listed by sync (GET /api/users/{user}/office-hours). */
export interface OfficeHoursSeries {
  id: string;
  description: string;
  start: GraphDateTime;
  end: GraphDateTime;
  recurrence: RecurrenceFormShape | null;
  nextOccurrences: Array<{ id: string | null; start: GraphDateTime; end: GraphDateTime; startUtc: string; endUtc: string }>;
}

/** A mailbox a sync run left unsynced; `userPrincipalName` when the user is (still) cached. */
export interface RunFailure {
  userId: string;
  userPrincipalName?: string | null;
  error: string;
}

/** What a sync run, or one of its queue jobs, counted. */
export interface RunFigures {
  usersDone: number;
  eventsUpserted: number;
  eventsRemoved: number;
  graphRequests: number;
  mailboxesFailed: number;
  mailboxesSkipped: number;
  failures: RunFailure[];
}

/** GET /api/sync/runs/{runId} (sync): a run and its figures. */
export interface SyncRunView extends RunFigures {
  runId: string;
  kind: 'full' | 'delta';
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  usersTotal: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** One mailbox's Graph change-notification subscription, as GET /api/sync/subscriptions (sync) shows it. */
export interface SubscriptionView {
  /** Graph user id of the mailbox. */
  userId: string;
  subscriptionId: string;
  /** When Graph removes it unless renewed (UTC ISO instant). */
  expiresAt: string;
  createdAt: string;
  renewedAt: string | null;
  /** Last change notification believed (clientState matched). */
  lastNotificationAt: string | null;
  /** reauthorizationRequired, subscriptionRemoved or missed. */
  lastLifecycleEvent: string | null;
  /** Last failed renewal. */
  lastError: string | null;
}

/** GET /api/sync/subscriptions (sync): change notifications on (NOTIFICATIONS_PUBLIC_URL set) and one row per subscribed mailbox. */
export interface SubscriptionsState {
  enabled: boolean;
  subscriptions: SubscriptionView[];
}
