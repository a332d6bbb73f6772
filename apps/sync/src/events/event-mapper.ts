import { htmlToText, isOfficeHoursEvent, type GraphEvent } from '@ocb/graph-client';
import { isValidTimeZone, utcToZoned, zonedToUtc } from '@ocb/time-zones';
import type { Attendee } from '@ocb/service-clients';


/** Graph's event resource (one type for the writer and the reader: libs/graph/client). */
export type { GraphEvent };

/** Start and end of a row: wall times in the event's own zones and UTC instants. */
export interface RowTimes {
  startTimeZone: string;
  startWall: string;
  endTimeZone: string;
  endWall: string;
  startUtc: string;
  endUtc: string;
}

/** The columns an occurrence row is built from (everything but bookkeeping). */
export interface EventRow extends RowTimes {
  userId: string;
  id: string;
  seriesMasterId: string | null;
  type: string;
  subject: string;
  bodyText: string;
  location: string | null;
  attendees: string;
  organizerName: string | null;
  organizerEmail: string | null;
  isOrganizer: boolean;
  joinUrl: string | null;
  webLink: string | null;
  categories: string;
  isAllDay: boolean;
  isCancelled: boolean;
  isOfficeHours: boolean;
  changeKey: string;
  searchText: string;
}

export interface SeriesRow extends RowTimes {
  userId: string;
  id: string;
  subject: string;
  bodyText: string;
  location: string | null;
  isAllDay: boolean;
  recurrence: string | null;
  isOfficeHours: boolean;
  isOrganizer: boolean;
  changeKey: string;
}

export function changeKeyOf(e: GraphEvent): string {
  if (e.changeKey) return e.changeKey;
  const etag = e['@odata.etag'];
  if (etag) return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
  return '';
}

/** Wall time `YYYY-MM-DDTHH:mm:ss` from Graph's `YYYY-MM-DDTHH:mm:ss.fffffff`. */
export function wallOf(dateTime: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(dateTime);
  if (!m) throw new Error(`not a Graph dateTime: ${dateTime}`);
  return `${m[1]}${m[2] ?? ':00'}`;
}

const OWN_ZONES = new Map<string, string>();

/** The event's own zone as Outlook reports it, or UTC when it is not a zone we can convert with (cached per name). */
export function ownZone(name: string | null | undefined): string {
  if (!name) return 'UTC';
  let zone = OWN_ZONES.get(name);
  if (zone === undefined) {
    zone = isValidTimeZone(name) ? name : 'UTC';
    if (OWN_ZONES.size > 1_000) OWN_ZONES.clear();
    OWN_ZONES.set(name, zone);
  }
  return zone;
}

/** A Graph `{ dateTime, timeZone }` as a UTC instant (ISO, ms precision). */
export function instantOf(dt: { dateTime: string; timeZone: string }): string {
  const wall = wallOf(dt.dateTime);
  const frac = /\.(\d{1,3})/.exec(dt.dateTime)?.[1] ?? '000';
  if (/^(utc|etc\/utc|gmt)$/i.test(dt.timeZone)) return `${wall}.${frac.padEnd(3, '0')}Z`;
  return zonedToUtc(wall, ownZone(dt.timeZone)).toISOString();
}

function bodyTextOf(e: GraphEvent): string {
  const b = e.body;
  if (!b?.content) return (e.bodyPreview ?? '').trim();
  return b.contentType?.toLowerCase() === 'html' ? htmlToText(b.content) : b.content.replace(/\r/g, '').trim();
}

function attendeeType(t: string | undefined): Attendee['type'] {
  return t === 'optional' || t === 'resource' ? t : 'required';
}

export function attendeesOf(e: GraphEvent): Attendee[] {
  const out: Attendee[] = [];
  for (const a of e.attendees ?? []) {
    const email = a.emailAddress?.address;
    if (!email) continue;
    out.push({ name: a.emailAddress?.name ?? null, email, type: attendeeType(a.type), response: a.status?.response ?? 'none' });
  }
  return out;
}


/**
 * Start/end as UTC instants and as wall times in the event's own zone. Reads ask Graph for UTC;
 * the own zone is `originalStartTimeZone`. All-day events float: their wall dates are kept as
 * Graph gives them and their instants are midnight in the own zone.
 */
export function timesOf(e: GraphEvent): RowTimes {
  if (!e.start || !e.end) throw new Error(`event ${e.id} has no start/end`);
  const startTimeZone = ownZone(e.originalStartTimeZone ?? e.start.timeZone);
  const endTimeZone = ownZone(e.originalEndTimeZone ?? e.originalStartTimeZone ?? e.end.timeZone);
  if (e.isAllDay) {
    const startWall = `${wallOf(e.start.dateTime).slice(0, 10)}T00:00:00`;
    const endWall = `${wallOf(e.end.dateTime).slice(0, 10)}T00:00:00`;
    return {
      startTimeZone,
      startWall,
      endTimeZone,
      endWall,
      startUtc: zonedToUtc(startWall, startTimeZone).toISOString(),
      endUtc: zonedToUtc(endWall, endTimeZone).toISOString(),
    };
  }
  const startUtc = instantOf(e.start);
  const endUtc = instantOf(e.end);
  return {
    startTimeZone,
    startWall: utcToZoned(Date.parse(startUtc), startTimeZone),
    endTimeZone,
    endWall: utcToZoned(Date.parse(endUtc), endTimeZone),
    startUtc,
    endUtc,
  };
}

function nonEmpty(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

export function searchTextOf(parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => !!p)
    .join('\n')
    .toLowerCase();
}

/** A calendarView item as a cache row of mailbox `userId` (one object, no intermediate copies). */
export function toEventRow(userId: string, e: GraphEvent): EventRow {
  const attendees = attendeesOf(e);
  const subject = e.subject ?? '';
  const bodyText = bodyTextOf(e);
  const location = nonEmpty(e.location?.displayName);
  const organizerName = nonEmpty(e.organizer?.emailAddress?.name);
  const organizerEmail = nonEmpty(e.organizer?.emailAddress?.address);
  const t = timesOf(e);
  // same text as searchTextOf([subject, location, organizer, ...attendees' names and emails, body])
  let search = subject;
  const add = (p: string | null): void => {
    if (p) search = search ? `${search}\n${p}` : p;
  };
  add(location);
  add(organizerName);
  add(organizerEmail);
  for (const a of attendees) {
    add(a.name);
    add(a.email);
  }
  add(bodyText);
  return {
    userId,
    id: e.id,
    seriesMasterId: e.seriesMasterId ?? null,
    type: e.type ?? (e.seriesMasterId ? 'occurrence' : 'singleInstance'),
    subject,
    bodyText,
    location,
    attendees: JSON.stringify(attendees),
    organizerName,
    organizerEmail,
    isOrganizer: e.isOrganizer === true,
    joinUrl: nonEmpty(e.onlineMeeting?.joinUrl) ?? nonEmpty(e.onlineMeetingUrl),
    webLink: nonEmpty(e.webLink),
    categories: JSON.stringify(e.categories ?? []),
    startTimeZone: t.startTimeZone,
    startWall: t.startWall,
    endTimeZone: t.endTimeZone,
    endWall: t.endWall,
    startUtc: t.startUtc,
    endUtc: t.endUtc,
    isAllDay: e.isAllDay === true,
    isCancelled: e.isCancelled === true,
    isOfficeHours: isOfficeHoursEvent(e),
    changeKey: changeKeyOf(e),
    searchText: search.toLowerCase(),
  };
}

/** A series master as a cache row of mailbox `userId`. */
export function toSeriesRow(userId: string, e: GraphEvent): SeriesRow {
  return {
    userId,
    id: e.id,
    subject: e.subject ?? '',
    bodyText: bodyTextOf(e),
    location: nonEmpty(e.location?.displayName),
    ...timesOf(e),
    isAllDay: e.isAllDay === true,
    recurrence: e.recurrence ? JSON.stringify(e.recurrence) : null,
    isOfficeHours: isOfficeHoursEvent(e),
    isOrganizer: e.isOrganizer === true,
    changeKey: changeKeyOf(e),
  };
}
