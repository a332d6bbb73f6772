/** Typed subset of Graph v1.0 resources the services use. */

export interface GraphUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string;
  givenName?: string | null;
  surname?: string | null;
}

export interface GraphDateTimeTimeZone {
  /** With `Prefer: outlook.timezone="UTC"`: UTC, offset-less (`2026-12-01T18:00:00.0000000`). Parse with `parseGraphUtc`. */
  dateTime: string;
  timeZone: string;
}

export interface GraphEmailAddress {
  name?: string | null;
  address?: string | null;
}

export interface GraphRecipient {
  emailAddress: GraphEmailAddress;
}

export type GraphResponseType =
  'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';

export interface GraphAttendee extends GraphRecipient {
  type: 'required' | 'optional' | 'resource';
  status?: { response: GraphResponseType; time: string | null };
}

export interface GraphItemBody {
  contentType: 'text' | 'html';
  content: string;
}

export interface GraphLocation {
  displayName?: string | null;
  locationType?: string;
  uniqueId?: string | null;
}

export type GraphDayOfWeek =
  'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

export interface GraphRecurrencePattern {
  type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
  interval: number;
  month?: number;
  dayOfMonth?: number;
  daysOfWeek?: GraphDayOfWeek[];
  firstDayOfWeek?: GraphDayOfWeek;
  index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
}

export interface GraphRecurrenceRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  /** Dates (`YYYY-MM-DD`) in `recurrenceTimeZone`. */
  startDate: string;
  endDate?: string | null;
  recurrenceTimeZone?: string | null;
  numberOfOccurrences?: number;
}

export interface GraphPatternedRecurrence {
  pattern: GraphRecurrencePattern;
  range: GraphRecurrenceRange;
}

export interface GraphSingleValueExtendedProperty {
  id: string;
  value: string;
}

export type GraphEventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

export interface GraphEvent {
  id: string;
  '@odata.etag'?: string;
  iCalUId?: string;
  changeKey?: string;
  subject?: string | null;
  bodyPreview?: string;
  body?: GraphItemBody;
  start?: GraphDateTimeTimeZone;
  end?: GraphDateTimeTimeZone;
  /** The event's own (Windows) zone: keep it for display. */
  originalStartTimeZone?: string | null;
  originalEndTimeZone?: string | null;
  location?: GraphLocation;
  locations?: GraphLocation[];
  attendees?: GraphAttendee[];
  organizer?: GraphRecipient;
  isOrganizer?: boolean;
  isAllDay?: boolean;
  isCancelled?: boolean;
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: string;
  onlineMeeting?: { joinUrl?: string | null } | null;
  /** Deprecated by Graph, still answered for older meetings. */
  onlineMeetingUrl?: string | null;
  webLink?: string;
  categories?: string[];
  type?: GraphEventType;
  seriesMasterId?: string | null;
  recurrence?: GraphPatternedRecurrence | null;
  singleValueExtendedProperties?: GraphSingleValueExtendedProperty[];
  lastModifiedDateTime?: string;
  createdDateTime?: string;
  showAs?: string;
  sensitivity?: string;
  transactionId?: string | null;
  /** Delta responses: the item was deleted (or left the window). */
  '@removed'?: { reason: 'deleted' | 'changed' | string };
}

/** A page of a Graph collection. */
export interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}
