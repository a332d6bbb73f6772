/**
 * The fast path of event rendering: calendarView items written straight as JSON text, piece by
 * piece from cached fragments, the same text as JSON.stringify of the rendered object.
 */
import type { EventContent, EventRecord, Instance, InstanceFields } from '../state/records';
import { DerivedCache } from '../state/derived';
import { graphDateTime, utcToWall } from '../state/time';
import { changeKeyOf } from '../state/ids';
import { cachedText, graphInstant, memo, preview, renderInstance, ZERO_TIME, type RenderPrefs } from './render';

const q = (v: unknown): string => {
  // JSON.stringify omits undefined members; the pieces below never hold one for defined fields.
  const t = JSON.stringify(v);
  return t === undefined ? 'null' : t;
};

/**
 * JSON text of values that repeat across events (subjects, bodies, zone names, shared location
 * objects, an organizer's address): memoised by value for strings and by identity for objects,
 * bounded. Unique values (ids, join URLs) are not memoised: a sync-like reader sees each once, and
 * caching them would only keep garbage alive.
 */
const quotedStrings = new Map<string, string>();
const quotedObjects = new Map<object, string>();
function qm(v: unknown): string {
  if (typeof v === 'string') {
    let t = quotedStrings.get(v);
    if (t === undefined) {
      t = q(v);
      if (quotedStrings.size >= 4096) quotedStrings.clear();
      quotedStrings.set(v, t);
    }
    return t;
  }
  if (typeof v !== 'object' || v === null) return q(v);
  if (Array.isArray(v) && v.length === 0) return '[]';
  let t = quotedObjects.get(v);
  if (t === undefined) {
    t = q(v);
    if (quotedObjects.size >= 4096) quotedObjects.clear();
    quotedObjects.set(v, t);
  }
  return t;
}

/** What is shared by every item showing the same fields object (a content, or an exception's fields). */
interface FieldPieces {
  /** ,"originalStartTimeZone":..,"originalEndTimeZone":.. */
  zones: string;
  /** ,"hasAttachments":false,"subject":..,"bodyPreview":..,"importance":..,"sensitivity":..,"isAllDay":.. */
  summary: string;
  /** ,"responseRequested":.. */
  responseRequested: string;
  /** ,"showAs":.. */
  showAs: string;
  /** ,"onlineMeetingUrl":null,"isOnlineMeeting":..,...,"hideAttendees":.. */
  online: string;
  /** ,"body":{...} as stored, and (lazily) as text. */
  body: string;
  bodyAsText: string | null;
  /** ,"location":..,"locations":.. */
  where: string;
  /** ,"attendees":.. */
  attendees: string;
  /** '{"joinUrl":..,"conferenceId":"' when the item has an online meeting, else null. */
  meetingHead: string | null;
}

/** What is shared by every copy of a meeting (organizer and attendee copies). */
interface ContentPieces {
  /** ,"iCalUId":.. */
  iCalUId: string;
  /** ,"recurrence":.. (series masters and singles) */
  recurrence: string;
  /** ,"organizer":{"emailAddress":..} */
  organizer: string;
}

const fieldPieces = new DerivedCache<InstanceFields, FieldPieces>(1024);
const contentPieces = new DerivedCache<EventContent, ContentPieces>(1024);

/**
 * Pieces of a fields object. Cached only for series (their occurrences share them, within a page
 * and across copies); a single event's pieces are used once per item, and caching them would
 * promote every page's text to the old generation.
 */
function piecesOf(f: InstanceFields, cache: boolean): FieldPieces {
  let p = cache ? fieldPieces.get(f) : undefined;
  if (p) return p;
  const hasMeeting = f.isOnlineMeeting && !!f.joinUrl && f.onlineMeetingProvider !== 'unknown';
  p = {
    zones: `,"originalStartTimeZone":${qm(f.timeZone)},"originalEndTimeZone":${qm(f.endTimeZone)}`,
    summary:
      `,"hasAttachments":false,"subject":${qm(f.subject)},"bodyPreview":${qm(preview(f))},"importance":${qm(f.importance)}` +
      `,"sensitivity":${qm(f.sensitivity)},"isAllDay":${f.isAllDay === true ? 'true' : q(f.isAllDay)}`,
    responseRequested: `,"responseRequested":${q(f.responseRequested)}`,
    showAs: `,"showAs":${qm(f.showAs)}`,
    online:
      `,"onlineMeetingUrl":null,"isOnlineMeeting":${q(f.isOnlineMeeting)},"onlineMeetingProvider":${qm(f.onlineMeetingProvider)}` +
      `,"allowNewTimeProposals":${q(f.allowNewTimeProposals)},"isDraft":false,"hideAttendees":${q(f.hideAttendees)}`,
    body: `,"body":{"contentType":${qm(f.bodyType)},"content":${qm(f.bodyContent)}}`,
    bodyAsText: null,
    where: `,"location":${qm(f.location)},"locations":${qm(f.locations)}`,
    attendees: `,"attendees":${f.attendees.length === 0 ? '[]' : q(f.attendees)}`,
    meetingHead: hasMeeting ? `{"joinUrl":${q(f.joinUrl)},"conferenceId":"` : null,
  };
  if (cache) fieldPieces.set(f, p);
  return p;
}

function contentPiecesOf(c: EventContent): ContentPieces {
  let p = contentPieces.get(c);
  if (p) return p;
  p = {
    iCalUId: `,"iCalUId":${q(c.iCalUId)}`,
    recurrence: `,"recurrence":${q(c.recurrence)}`,
    organizer: `,"organizer":{"emailAddress":${qm(c.organizer)}}`,
  };
  if (c.recurrence) contentPieces.set(c, p);
  return p;
}

const instantText = memo<number>((ms) => `"${graphInstant(ms)}"`, 8192);
const utcWall = memo<number>((ms) => utcToWall(ms, 'UTC'), 8192);
const responseTime = (ms: number | null): string => (ms === null ? ZERO_TIME : new Date(ms).toISOString().slice(0, 19) + 'Z');

/** Per-request constants of the fast renderer (zone label, webLink prefix). */
interface TextPrefs {
  prefs: RenderPrefs;
  /** ,"timeZone":"<prefs.zoneName>"} or null when there is no zoneName. */
  zoneLabel: string | null;
  /** ,"timeZone":"<prefs.zone.windows>"} */
  zoneWindows: string | null;
  webLinkHead: string;
}

const textPrefsCache = new WeakMap<RenderPrefs, TextPrefs>();

function textPrefsOf(prefs: RenderPrefs): TextPrefs {
  let t = textPrefsCache.get(prefs);
  if (!t) {
    const head = q(`${prefs.outlookWebOrigin}/owa/?itemid=`);
    t = {
      prefs,
      zoneLabel: prefs.zoneName === null ? null : `,"timeZone":${q(prefs.zoneName)}}`,
      zoneWindows: prefs.zone ? `,"timeZone":${q(prefs.zone.windows)}}` : null,
      webLinkHead: head.slice(0, -1),
    };
    textPrefsCache.set(prefs, t);
  }
  return t;
}

const labelCache = new Map<string, string>();
function ownLabel(tz: string): string {
  let v = labelCache.get(tz);
  if (v === undefined) {
    v = `,"timeZone":${q(tz)}}`;
    if (labelCache.size >= 1024) labelCache.clear();
    labelCache.set(tz, v);
  }
  return v;
}

/** `{"dateTime":..,"timeZone":..}` as dateTimeTz gives it, onto `out`. */
function dateTimeParts(out: string[], wall: string, ms: number, ownIana: string, ownZone: string, isAllDay: boolean, t: TextPrefs): void {
  const zone = t.prefs.zone;
  let shown = wall;
  let label: string;
  if (!zone) label = ownLabel(ownZone);
  else if (isAllDay || zone.iana === ownIana) label = t.zoneLabel ?? ownLabel(ownZone);
  else {
    shown = zone.iana === 'UTC' || zone.iana === 'Etc/UTC' ? utcWall(ms) : utcToWall(ms, zone.iana);
    label = (t.zoneLabel ?? t.zoneWindows) as string;
  }
  if (SAFE.test(shown)) out.push('{"dateTime":"', shown, '.0000000"', label);
  else out.push('{"dateTime":', q(graphDateTime(shown)), label);
}

/** Strings that JSON writes as they are (ids, change keys, hex, wall times, encoded URLs). */
const SAFE = /^[\w\-+=/.:%@!~*'() ]*$/;

/** `"s"` onto `out`, without allocating when `s` needs no escaping. */
function pushString(out: string[], s: string): void {
  if (SAFE.test(s)) out.push('"', s, '"');
  else out.push(q(s));
}

const bool = (b: boolean): string => (b === true ? 'true' : b === false ? 'false' : q(b));
const num = (n: number): string => (typeof n === 'number' && Number.isFinite(n) ? String(n) : q(n));

let lastCategories: string[] | null = null;
let lastCategoriesText = '[]';
function categoriesText(c: string[]): string {
  if (c.length === 0) return '[]';
  if (c !== lastCategories) {
    lastCategories = c;
    lastCategoriesText = q(c);
  }
  return lastCategoriesText;
}

const responseStatusCache = new Map<string, string>();
function responseStatusText(rec: EventRecord): string {
  if (rec.responseTimeMs !== null) return `,"responseStatus":${q({ response: rec.response, time: responseTime(rec.responseTimeMs) })}`;
  let v = responseStatusCache.get(rec.response);
  if (v === undefined) {
    v = `,"responseStatus":${q({ response: rec.response, time: ZERO_TIME })}`;
    if (responseStatusCache.size >= 64) responseStatusCache.clear();
    responseStatusCache.set(rec.response, v);
  }
  return v;
}

const WEBLINK_TAIL = '&exvsurl=1&path=/calendar/item"';

/**
 * One item's JSON text as parts pushed onto `out` (joined once per page: no intermediate strings
 * per key, little garbage).
 */
function renderParts(
  out: string[],
  head: string,
  rec: EventRecord,
  f: InstanceFields,
  p: FieldPieces,
  times: { startWall: string; endWall: string; startMs: number; endMs: number },
  id: string,
  type: string,
  changeCount: number,
  modifiedMs: number,
  seriesMasterId: string | null,
  includeRecurrence: boolean,
  t: TextPrefs,
): void {
  const changeKey = changeKeyOf(rec.mailbox.salt, rec.seq, changeCount, type === 'singleInstance' || type === 'seriesMaster' ? 0 : 1);
  const cp = contentPiecesOf(rec.content);
  let body = p.body;
  if (t.prefs.bodyText && f.bodyType === 'html') body = p.bodyAsText ??= `,"body":{"contentType":"text","content":${qm(cachedText(f.bodyContent))}}`;
  out.push(head, '"@odata.etag":"W/\\"', changeKey, '\\"","id":');
  pushString(out, id);
  out.push(',"createdDateTime":', instantText(rec.createdMs), ',"lastModifiedDateTime":', instantText(modifiedMs), ',"changeKey":"', changeKey);
  out.push('","categories":', categoriesText(rec.categories), ',"transactionId":');
  if (rec.transactionId === null) out.push('null');
  else pushString(out, rec.transactionId);
  out.push(p.zones, cp.iCalUId, ',"reminderMinutesBeforeStart":', num(rec.reminderMinutesBeforeStart), ',"isReminderOn":', bool(rec.isReminderOn));
  out.push(p.summary, ',"isCancelled":', bool(rec.isCancelled), ',"isOrganizer":', bool(rec.isOrganizer), p.responseRequested, ',"seriesMasterId":');
  if (seriesMasterId === null) out.push('null');
  else pushString(out, seriesMasterId);
  out.push(p.showAs, ',"type":"', type, '","webLink":', t.webLinkHead);
  const link = encodeURIComponent(id);
  out.push(SAFE.test(link) ? link : q(link).slice(1, -1), WEBLINK_TAIL, p.online, responseStatusText(rec), body, ',"start":');
  dateTimeParts(out, times.startWall, times.startMs, f.iana, f.timeZone, f.isAllDay, t);
  out.push(',"end":');
  dateTimeParts(out, times.endWall, times.endMs, f.endIana, f.endTimeZone, f.isAllDay, t);
  out.push(p.where, includeRecurrence ? cp.recurrence : ',"recurrence":null', p.attendees, cp.organizer, ',"onlineMeeting":');
  if (p.meetingHead === null) out.push('null}');
  else out.push(p.meetingHead, String(100000000 + ((rec.mailbox.salt ^ Math.imul(rec.seq + 1, 2654435761)) >>> 0) % 900000000), '","tollNumber":"+1 425 555 0123"}}');
}

/** Whether instanceJson can take the fast path for these preferences. */
export function canRenderText(prefs: RenderPrefs): boolean {
  return prefs.select === null && prefs.expandExtended === null;
}

/**
 * One calendarView item as JSON text: the same text as JSON.stringify(renderInstance(inst, prefs)),
 * with `head` ('{' or '{"@odata.type":...,') opening the object.
 */
export function instanceJson(inst: Instance, prefs: RenderPrefs, head = '{'): string {
  const out: string[] = [];
  pushInstanceJson(out, inst, prefs, head);
  return out.join('');
}

/** instanceJson's text as parts pushed onto `out` (pages join all their items' parts once). */
export function pushInstanceJson(out: string[], inst: Instance, prefs: RenderPrefs, head = '{'): void {
  if (!canRenderText(prefs)) {
    const text = JSON.stringify(renderInstance(inst, prefs));
    out.push(head === '{' ? text : head + text.slice(1));
    return;
  }
  const t = textPrefsOf(prefs);
  const rec = inst.record;
  if (inst.type === 'singleInstance') {
    const c = rec.content;
    renderParts(out, head, rec, c, piecesOf(c, c.recurrence !== null), c, rec.id, c.recurrence ? 'seriesMaster' : 'singleInstance', rec.changeCount, rec.modifiedMs, null, true, t);
    return;
  }
  // An occurrence shows its series' content (times aside): its pieces are the content's.
  const base = inst.base;
  renderParts(out, head, rec, base, piecesOf(base, base === rec.content), inst, inst.id, inst.type, inst.changeCount, inst.modifiedMs, rec.id, false, t);
}

/** Shape check for select lists: Graph rejects unknown properties. */
