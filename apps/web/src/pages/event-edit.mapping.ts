import type { EventDetail, RecurrenceFormShape, TimeZoneInfo } from '@ocb/service-clients';
import { toEventForm } from './event-form.routes';

export type Fields = Record<string, string | string[]>;
export type EditScope = 'occurrence' | 'series' | 'following';
export const SCOPES: readonly EditScope[] = ['occurrence', 'series', 'following'];

const isInstance = (e: Pick<EventDetail, 'type' | 'seriesMasterId'>) => (e.type === 'occurrence' || e.type === 'exception') && Boolean(e.seriesMasterId);

/** Whether the page must ask "this occurrence / all / this and following" (an occurrence of a series). */
export function needsScope(e: Pick<EventDetail, 'type' | 'seriesMasterId'>): boolean {
  return isInstance(e);
}

/** The chosen scope: one of the three for an occurrence (else null: the choice is required); `series` for any other event. */
export function scopeOf(e: Pick<EventDetail, 'type' | 'seriesMasterId'>, value: unknown): EditScope | null {
  if (!isInstance(e)) return 'series';
  return SCOPES.find((s) => s === value) ?? null;
}

/** The recurrence's form fields (the names of the Create Event form). */
export function recurrenceFields(r: RecurrenceFormShape | null | undefined): Fields {
  if (!r || r.type === 'once') return { recurrenceType: 'once' };
  return {
    recurrenceType: r.type,
    interval: r.interval ? String(r.interval) : '',
    daysOfWeek: r.daysOfWeek ?? [],
    until: r.until ?? '',
    count: r.count ? String(r.count) : '',
  };
}

/** The Create Event form's fields filled from an event detail: wall times and zone of the event's own zone. */
export function detailToFields(e: EventDetail): Fields {
  const organizer = (e.organizer.email ?? '').toLowerCase();
  const attendees = e.attendees.filter((a) => a.response !== 'organizer' && a.email.toLowerCase() !== organizer).map((a) => a.email);
  return {
    title: e.subject,
    start: e.start.dateTime.slice(0, 16),
    end: e.end.dateTime.slice(0, 16),
    timeZone: e.start.timeZone,
    ...recurrenceFields(e.recurrence),
    location: e.location ?? '',
    description: e.description ?? '',
    attendees: attendees.length ? attendees : [''],
    isOnlineMeeting: e.joinUrl ? 'on' : '',
  };
}

/**
 * The form's fields with the zone named as the time zone list names it (the select's value): Outlook
 * may report an IANA name, or another spelling, for a zone the list has under its Windows id.
 */
export function withListedZone(f: Fields, zones: Pick<TimeZoneInfo, 'id' | 'iana'>[]): Fields {
  const name = typeof f['timeZone'] === 'string' ? f['timeZone'] : '';
  const lower = name.toLowerCase();
  const listed = zones.find((z) => z.id.toLowerCase() === lower) ?? zones.find((z) => z.iana.toLowerCase() === lower);
  return listed ? { ...f, timeZone: listed.id } : f;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const emails = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x).toLowerCase()).sort() : []);

/**
 * The PATCH body: only what the user changed against the prefilled form (a cleared text is sent
 * as "" to clear it). Times travel together (start, end and zone) when any of them changed.
 */
export function changedForm(original: Fields, submitted: Fields): Record<string, unknown> {
  const before = toEventForm(original);
  const after = toEventForm(submitted);
  const out: Record<string, unknown> = {};
  if (after['title'] !== before['title']) out['title'] = after['title'];
  for (const k of ['location', 'description']) if ((after[k] ?? '') !== (before[k] ?? '')) out[k] = after[k] ?? '';
  if (!same(before['recurrence'], after['recurrence'])) out['recurrence'] = after['recurrence'];
  if (!same(emails(before['attendees']), emails(after['attendees']))) out['attendees'] = after['attendees'];
  if (after['isOnlineMeeting'] !== before['isOnlineMeeting']) out['isOnlineMeeting'] = after['isOnlineMeeting'];
  if (['start', 'end', 'timeZone'].some((k) => after[k] !== before[k])) for (const k of ['start', 'end', 'timeZone']) out[k] = after[k];
  return out;
}

