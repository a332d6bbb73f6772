import { canEditEvent, htmlToText, isOfficeHoursEvent, type GraphEvent } from '@ocb/graph-client';
import { fromGraphRecurrence, type PatternedRecurrence } from '@ocb/recurrence';
import type { EventDetail, RecurrenceFormShape } from '@ocb/service-clients';
import { formatGraphDateTime, isValidTimeZone, parseWallTime, toWindows, utcToZoned, zonedToUtc } from '@ocb/time-zones';
import type { StoredTimes } from './form-mapper';

/** The event's own zone (Windows name): its original start zone, else its recurrence's, else UTC. */
export function ownZoneOf(e: GraphEvent): string {
  for (const candidate of [e.originalStartTimeZone, e.recurrence?.range.recurrenceTimeZone, e.start?.timeZone]) {
    if (candidate && isValidTimeZone(candidate)) return toWindows(candidate);
  }
  return 'UTC';
}

function instantOf(dt: { dateTime: string; timeZone: string } | undefined, fallbackZone: string): Date | null {
  if (!dt?.dateTime) return null;
  const zone = dt.timeZone && isValidTimeZone(dt.timeZone) ? dt.timeZone : fallbackZone;
  try {
    return zonedToUtc(dt.dateTime.replace(/(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/i, ''), zone);
  } catch {
    return null;
  }
}

function recurrenceOf(e: GraphEvent): RecurrenceFormShape | null {
  if (!e.recurrence) return null;
  try {
    return fromGraphRecurrence(e.recurrence as PatternedRecurrence) as RecurrenceFormShape;
  } catch {
    return null;
  }
}

/** An instant as a wall time in `zone`, or null when it is not one (a year before 1 or after 9999). */
function wallIn(instant: Date | null, zone: string): string | null {
  if (!instant) return null;
  try {
    const wall = utcToZoned(instant, zone);
    parseWallTime(wall);
    return wall;
  } catch {
    return null;
  }
}

/**
 * Start and end as wall times in the event's own zone, for edits. A time that cannot be read
 * (set by another client, outside any calendar Outlook shows) is `null`: an edit that needs it
 * answers 400 naming the field, one that does not (a new title) still goes through.
 */
export function storedTimesOf(e: GraphEvent): StoredTimes {
  const zone = ownZoneOf(e);
  return {
    type: e.type ?? 'singleInstance',
    startWall: wallIn(instantOf(e.start, 'UTC'), zone),
    endWall: wallIn(instantOf(e.end, 'UTC'), zone),
    zone,
    recurrence: (e.recurrence as PatternedRecurrence | null | undefined) ?? null,
  };
}

/**
 * Contract "event detail" from a Graph event, for answering a write when sync cannot be asked:
 * start/end in the event's own zone plus UTC instants. Never throws (it answers a write that
 * happened): what cannot be read stays empty.
 */
export function eventDetailFromGraph(e: GraphEvent): EventDetail {
  const zone = ownZoneOf(e);
  const start = instantOf(e.start, zone);
  const end = instantOf(e.end, zone);
  const body = e.body ? (e.body.contentType === 'html' ? htmlToText(e.body.content) : e.body.content) : (e.bodyPreview ?? '');
  const isOrganizer = e.isOrganizer ?? false;
  return {
    id: e.id,
    subject: e.subject ?? '',
    start: { dateTime: start ? formatGraphDateTime(start, zone) : '', timeZone: zone },
    end: { dateTime: end ? formatGraphDateTime(end, zone) : '', timeZone: zone },
    startUtc: start ? start.toISOString() : '',
    endUtc: end ? end.toISOString() : '',
    isAllDay: e.isAllDay ?? false,
    location: e.location?.displayName || null,
    description: body,
    attendees: (e.attendees ?? []).map((a) => ({
      name: a.emailAddress.name ?? null,
      email: a.emailAddress.address ?? '',
      type: a.type,
      response: a.status?.response ?? 'none',
    })),
    organizer: { name: e.organizer?.emailAddress.name ?? null, email: e.organizer?.emailAddress.address ?? null },
    isOrganizer,
    canEdit: canEditEvent({ isOrganizer, isCancelled: e.isCancelled ?? false }),
    joinUrl: e.onlineMeeting?.joinUrl ?? null,
    webLink: e.webLink ?? null,
    type: e.type ?? 'singleInstance',
    seriesMasterId: e.seriesMasterId ?? null,
    recurrence: recurrenceOf(e),
    isOfficeHours: isOfficeHoursEvent(e),
    isCancelled: e.isCancelled ?? false,
  };
}
