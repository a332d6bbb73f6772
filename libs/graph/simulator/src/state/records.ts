/**
 * The in-memory shape of a calendar. One `EventContent` is shared by the organizer's item and the
 * attendees' copies (so organizer changes reach every copy for free); each mailbox holds its own
 * `EventRecord` with the per-mailbox fields (id, changeKey, response, categories, cancelled...).
 * Series are stored once with their exceptions; occurrences are computed when asked for.
 */
import type { PatternedRecurrence } from './series';

export interface EmailAddress {
  name: string;
  address: string;
}

export interface GraphAttendee {
  type: string;
  status: { response: string; time: string };
  emailAddress: EmailAddress;
}

export type GraphLocation = Record<string, unknown> & { displayName: string };

/** Fields an occurrence can override (an exception), and the series' own values. */
export interface InstanceFields {
  subject: string;
  bodyType: 'html' | 'text';
  bodyContent: string;
  startWall: string; // 'YYYY-MM-DDTHH:mm:ss' in timeZone
  endWall: string; // in endTimeZone
  timeZone: string; // as the client gave it (originalStartTimeZone)
  endTimeZone: string;
  iana: string;
  endIana: string;
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  location: GraphLocation;
  locations: GraphLocation[];
  attendees: GraphAttendee[];
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  joinUrl: string | null;
  importance: string;
  sensitivity: string;
  showAs: string;
  allowNewTimeProposals: boolean;
  hideAttendees: boolean;
  responseRequested: boolean;
}

export interface OccurrenceOverride {
  /** Deleted occurrences disappear from the series. */
  deleted: boolean;
  fields: InstanceFields;
  changeCount: number;
  modifiedMs: number;
}

export interface EventContent extends InstanceFields {
  iCalUId: string;
  organizer: EmailAddress;
  organizerUserId: string | null;
  recurrence: PatternedRecurrence | null;
  /** Keyed by the occurrence's original start (UTC ms). */
  exceptions: Map<number, OccurrenceOverride> | null;
  /** Every mailbox item that shows this content, the organizer's first when present. */
  copies: EventRecord[];
}

export interface MailboxRef {
  index: number;
  userId: string;
  /** Changes with every reset, so ids minted before it no longer resolve. */
  salt: number;
}

export interface EventRecord {
  seq: number;
  mailbox: MailboxRef;
  id: string;
  content: EventContent;
  isOrganizer: boolean;
  /** Mailbox change-log version of the last change. */
  version: number;
  changeCount: number;
  createdMs: number;
  modifiedMs: number;
  response: string;
  responseTimeMs: number | null;
  isCancelled: boolean;
  categories: string[];
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  extendedProperties: Array<{ id: string; value: string }> | null;
  transactionId: string | null;
  deleted: boolean;
}

/** One item as calendarView shows it: a single event, or one occurrence/exception of a series. */
export interface Instance {
  record: EventRecord;
  id: string;
  type: 'singleInstance' | 'occurrence' | 'exception';
  /** What the item shows: `base` at this item's times. */
  fields: InstanceFields;
  /** The shared fields object shown (the series' content for occurrences, an exception's own fields); times may differ. */
  base: InstanceFields;
  startWall: string;
  endWall: string;
  startMs: number;
  endMs: number;
  /** Original start (UTC ms) for occurrences and exceptions. */
  originalStartMs: number | null;
  changeCount: number;
  modifiedMs: number;
}
