/**
 * Graph event JSON, key for key as Microsoft returns it (user-post-events-response-*.json), built
 * at read time from the compact state.
 */
import type { EventRecord, Instance, InstanceFields } from '../state/records';
import type { SimZone } from '../state/time';
import { graphDateTime, utcToWall } from '../state/time';
import { changeKeyOf } from '../state/ids';

export interface RenderPrefs {
  /** Zone to show start/end in; null: the event's own zone. */
  zone: SimZone | null;
  /** Name echoed in start/end timeZone (what the client asked for). */
  zoneName: string | null;
  bodyText: boolean;
  select: string[] | null;
  /** Extended property ids to expand (lower-case); null: not expanded. */
  expandExtended: ((id: string) => boolean) | null;
  outlookWebOrigin: string;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function graphInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  // 'YYYY-MM-DDTHH:mm:ss.sssZ' -> seven fractional digits, as Graph writes them.
  return iso.length === 24 ? iso.slice(0, 23) + '0000Z' : iso.replace(/\.(\d{3})Z$/, '.$10000Z');
}

/**
 * Bounded memo of a function to strings (bodies repeat a lot: seeded ones are shared; times
 * repeat too: half hours, one seeding instant). Cleared when full.
 */
export function memo<K extends string | number>(fn: (key: K) => string, max = 4096): (key: K) => string {
  const cache = new Map<K, string>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      v = fn(key);
      if (cache.size >= max) cache.clear();
      cache.set(key, v);
    }
    return v;
  };
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\r/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const cachedText = memo<string>(htmlToText);
const htmlPreview = memo<string>((html) => htmlToText(html).replace(/\s+/g, ' ').slice(0, 255));
const textPreview = memo<string>((text) => text.trim().replace(/\s+/g, ' ').slice(0, 255));

export function preview(f: InstanceFields): string {
  return f.bodyType === 'html' ? htmlPreview(f.bodyContent) : textPreview(f.bodyContent);
}

function dateTimeTz(
  wall: string,
  ms: number,
  ownIana: string,
  ownLabel: string,
  isAllDay: boolean,
  prefs: RenderPrefs,
): { dateTime: string; timeZone: string } {
  if (!prefs.zone) return { dateTime: graphDateTime(wall), timeZone: ownLabel };
  // All-day events float: midnight to midnight in whatever zone they are shown in.
  if (isAllDay || prefs.zone.iana === ownIana) return { dateTime: graphDateTime(wall), timeZone: prefs.zoneName ?? ownLabel };
  return { dateTime: graphDateTime(utcToWall(ms, prefs.zone.iana)), timeZone: prefs.zoneName ?? prefs.zone.windows };
}

export function webLinkOf(origin: string, id: string): string {
  return `${origin}/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

function onlineMeetingOf(f: InstanceFields, rec: EventRecord): Record<string, string> | null {
  if (!f.isOnlineMeeting || !f.joinUrl || f.onlineMeetingProvider === 'unknown') return null;
  return {
    joinUrl: f.joinUrl,
    conferenceId: String(100000000 + ((rec.mailbox.salt ^ Math.imul(rec.seq + 1, 2654435761)) >>> 0) % 900000000),
    tollNumber: '+1 425 555 0123',
  };
}

function render(
  rec: EventRecord,
  f: InstanceFields,
  id: string,
  type: string,
  changeCount: number,
  modifiedMs: number,
  seriesMasterId: string | null,
  includeRecurrence: boolean,
  prefs: RenderPrefs,
): Record<string, unknown> {
  const changeKey = changeKeyOf(rec.mailbox.salt, rec.seq, changeCount, type === 'singleInstance' || type === 'seriesMaster' ? 0 : 1);
  const start = dateTimeTz(f.startWall, f.startMs, f.iana, f.timeZone, f.isAllDay, prefs);
  const end = dateTimeTz(f.endWall, f.endMs, f.endIana, f.endTimeZone, f.isAllDay, prefs);
  const textBody = prefs.bodyText && f.bodyType === 'html';
  const c = rec.content;
  const out: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id,
    createdDateTime: graphInstant(rec.createdMs),
    lastModifiedDateTime: graphInstant(modifiedMs),
    changeKey,
    categories: rec.categories,
    transactionId: rec.transactionId,
    originalStartTimeZone: f.timeZone,
    originalEndTimeZone: f.endTimeZone,
    iCalUId: c.iCalUId,
    reminderMinutesBeforeStart: rec.reminderMinutesBeforeStart,
    isReminderOn: rec.isReminderOn,
    hasAttachments: false,
    subject: f.subject,
    bodyPreview: preview(f),
    importance: f.importance,
    sensitivity: f.sensitivity,
    isAllDay: f.isAllDay,
    isCancelled: rec.isCancelled,
    isOrganizer: rec.isOrganizer,
    responseRequested: f.responseRequested,
    seriesMasterId,
    showAs: f.showAs,
    type,
    webLink: webLinkOf(prefs.outlookWebOrigin, id),
    onlineMeetingUrl: null,
    isOnlineMeeting: f.isOnlineMeeting,
    onlineMeetingProvider: f.onlineMeetingProvider,
    allowNewTimeProposals: f.allowNewTimeProposals,
    isDraft: false,
    hideAttendees: f.hideAttendees,
    responseStatus: {
      response: rec.response,
      time: rec.responseTimeMs === null ? ZERO_TIME : new Date(rec.responseTimeMs).toISOString().slice(0, 19) + 'Z',
    },
    body: textBody ? { contentType: 'text', content: cachedText(f.bodyContent) } : { contentType: f.bodyType, content: f.bodyContent },
    start,
    end,
    location: f.location,
    locations: f.locations,
    recurrence: includeRecurrence ? c.recurrence : null,
    attendees: f.attendees,
    organizer: { emailAddress: c.organizer },
    onlineMeeting: onlineMeetingOf(f, rec),
  };
  const expand = prefs.expandExtended;
  if (expand) {
    out.singleValueExtendedProperties = (rec.extendedProperties ?? []).filter((p) => expand(p.id.toLowerCase()));
  }
  return prefs.select ? pick(out, prefs.select) : out;
}

function pick(full: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  // Graph answers `location` together with `locations`.
  if (wanted.has('location')) wanted.add('locations');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) {
    if (k === '@odata.etag' || k === 'id' || k === 'singleValueExtendedProperties' || wanted.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}

/** A single event, or a series master (with its recurrence). */
export function renderRecord(rec: EventRecord, prefs: RenderPrefs): Record<string, unknown> {
  const c = rec.content;
  return render(rec, c, rec.id, c.recurrence ? 'seriesMaster' : 'singleInstance', rec.changeCount, rec.modifiedMs, null, true, prefs);
}

/** One calendarView item. */
export function renderInstance(inst: Instance, prefs: RenderPrefs): Record<string, unknown> {
  if (inst.type === 'singleInstance') return renderRecord(inst.record, prefs);
  return render(inst.record, inst.fields, inst.id, inst.type, inst.changeCount, inst.modifiedMs, inst.record.id, false, prefs);
}

// ---- fast JSON text ----
//
// calendarView and delta pages (a sync's hot path) are rendered straight to JSON text, without the
// intermediate object and without JSON.stringify of the whole event: the parts that depend only on
// an event's content (or an exception's fields) are built once and shared by the meeting's copies
// in every attendee's mailbox and by all occurrences of a series; per item only the id, change key,
// times and the record's own fields are written. The text equals JSON.stringify(renderInstance())
// (render.spec.ts checks it key for key); $select and $expand take the object path.

export const EVENT_PROPERTIES = [
  'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'transactionId', 'originalStartTimeZone',
  'originalEndTimeZone', 'iCalUId', 'reminderMinutesBeforeStart', 'isReminderOn', 'hasAttachments', 'subject', 'bodyPreview',
  'importance', 'sensitivity', 'isAllDay', 'isCancelled', 'isOrganizer', 'responseRequested', 'seriesMasterId', 'showAs', 'type',
  'webLink', 'onlineMeetingUrl', 'isOnlineMeeting', 'onlineMeetingProvider', 'allowNewTimeProposals', 'isDraft', 'hideAttendees',
  'responseStatus', 'body', 'start', 'end', 'location', 'locations', 'recurrence', 'attendees', 'organizer', 'onlineMeeting',
  'originalStart', 'singleValueExtendedProperties',
];
