import { OFFICE_HOURS_CATEGORY, OFFICE_HOURS_PROPERTY_ID } from '@ocb/graph-client';
import { ApiError } from '@ocb/http';
import {
  fromGraphRecurrence,
  toGraphRecurrence,
  validateRecurrence,
  type FieldError,
  type PatternedRecurrence,
  type RecurrenceForm,
} from '@ocb/recurrence';
import { formatFloatingMs, outlookDateError, parseWallTime, resolveTimeZone, wallToFloatingMs, type ResolvedTimeZone } from '@ocb/time-zones';
import { parseAttendees, type Attendee } from './attendees';
import { DEFAULT_ONLINE_MEETING_PROVIDER, type EventForm, type OnlineMeetingProvider } from './event-form';

/** The subject of office hours without a title (the tags themselves: OFFICE_HOURS_* in @ocb/graph-client). */
export const OFFICE_HOURS_DEFAULT_SUBJECT = 'Office hours';

/** The Graph event properties this service writes. */
export interface GraphEventWrite {
  subject?: string;
  start?: { dateTime: string; timeZone: string };
  end?: { dateTime: string; timeZone: string };
  recurrence?: PatternedRecurrence | null;
  location?: { displayName: string };
  body?: { contentType: 'text'; content: string };
  attendees?: Array<{ emailAddress: { address: string; name?: string }; type: Attendee['type'] }>;
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: OnlineMeetingProvider;
  categories?: string[];
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
  transactionId?: string;
}

/** A form whose every given field passed the checks that need no Graph data. */
export interface CheckedForm {
  title?: string;
  start?: string;
  end?: string;
  zone?: ResolvedTimeZone;
  recurrence?: RecurrenceForm;
  location?: string;
  description?: string;
  attendees?: Attendee[];
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: OnlineMeetingProvider;
}

export interface CheckOptions {
  /** PATCH: every field optional; cross-field checks against the stored event happen later. */
  partial?: boolean;
  /** Office hours: the recurrence must recur (daily, weekly, monthly). */
  officeHours?: boolean;
}

/** 400 VALIDATION_FAILED naming every field at fault: `end: end must be after start; timeZone: ...`. */
export function validationError(errors: FieldError[]): ApiError {
  const lines = [...new Set(errors.map((e) => `${e.field}: ${e.message}`))];
  return ApiError.validation(lines.join('; '));
}

const given = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** Normalises a wall time to `YYYY-MM-DDTHH:mm:ss` (throws on a malformed one). */
function normalizeWall(value: string): string {
  return formatFloatingMs(wallToFloatingMs(parseWallTime(value)));
}

const ANY_START = '2000-01-01T00:00:00';
const ANY_END = '2000-01-01T00:30:00';

/**
 * Everything that can be checked from the form alone: the zone, wall-time formats, end after
 * start (when both are given), the recurrence (alone and against the start), attendees.
 * Throws 400 VALIDATION_FAILED naming the fields; nothing is sent anywhere before this passes.
 */
export function checkForm(form: EventForm, options: CheckOptions = {}): CheckedForm {
  const errors: FieldError[] = [];
  const out: CheckedForm = {};
  if (given(form.title)) out.title = form.title;
  if (given(form.location)) out.location = form.location;
  if (given(form.description)) out.description = form.description;
  if (given(form.isOnlineMeeting)) out.isOnlineMeeting = form.isOnlineMeeting;
  if (given(form.onlineMeetingProvider)) out.onlineMeetingProvider = form.onlineMeetingProvider;

  if (given(form.timeZone)) {
    try {
      out.zone = resolveTimeZone(form.timeZone);
    } catch (e) {
      errors.push({ field: 'timeZone', message: (e as Error).message });
    }
  } else if (!options.partial) errors.push({ field: 'timeZone', message: 'timeZone is required' });

  for (const field of ['start', 'end'] as const) {
    const v = form[field];
    if (!given(v)) {
      if (!options.partial) errors.push({ field, message: `${field} is required` });
      continue;
    }
    try {
      out[field] = normalizeWall(v);
    } catch (e) {
      errors.push({ field, message: (e as Error).message });
      continue;
    }
    const outside = outlookDateError(field, out[field] as string);
    if (outside) errors.push({ field, message: outside });
  }
  const timesOk = !errors.some((e) => e.field === 'start' || e.field === 'end');

  if (given(form.recurrence)) out.recurrence = form.recurrence;
  if (timesOk && out.start !== undefined && out.end !== undefined) {
    // A PATCH without recurrence keeps the stored one: only a create must bring it.
    const officeHours = options.officeHours && (!options.partial || out.recurrence !== undefined);
    errors.push(...validateRecurrence(out.recurrence ?? null, { start: out.start, end: out.end, officeHours }));
  } else if (out.recurrence !== undefined) {
    // Start or end unknown until the stored event is read: check the recurrence on its own now,
    // against the real start later (buildPatch).
    errors.push(
      ...validateRecurrence(out.recurrence, { start: ANY_START, end: ANY_END, officeHours: options.officeHours }).filter(
        (e) => e.field !== 'recurrence.until' || !/before the start/.test(e.message),
      ),
    );
  } else if (options.officeHours && !options.partial) {
    errors.push({ field: 'recurrence', message: 'office hours must recur (daily, weekly or monthly)' });
  }

  if (given(form.attendees)) {
    const parsed = parseAttendees(form.attendees);
    errors.push(...parsed.errors);
    out.attendees = parsed.attendees;
  }
  if (errors.length) throw validationError(errors);
  return out;
}

function graphAttendees(attendees: Attendee[]): NonNullable<GraphEventWrite['attendees']> {
  return attendees.map((a) => ({ emailAddress: a.name ? { address: a.email, name: a.name } : { address: a.email }, type: a.type }));
}

/** The descriptive (non-time) fields of a form as Graph properties. */
function contentFields(form: CheckedForm, body: GraphEventWrite): void {
  if (form.title !== undefined) body.subject = form.title;
  if (form.location !== undefined) body.location = { displayName: form.location };
  // Plain text goes as a text body: Outlook shows it verbatim, nothing to escape.
  if (form.description !== undefined) body.body = { contentType: 'text', content: form.description };
  if (form.attendees !== undefined) body.attendees = graphAttendees(form.attendees);
  if (form.isOnlineMeeting !== undefined) body.isOnlineMeeting = form.isOnlineMeeting;
  if (form.isOnlineMeeting === true) body.onlineMeetingProvider = form.onlineMeetingProvider ?? DEFAULT_ONLINE_MEETING_PROVIDER;
  else if (form.onlineMeetingProvider !== undefined && form.isOnlineMeeting === undefined) body.onlineMeetingProvider = form.onlineMeetingProvider;
}

/** Office hours tags: a category and a single-value extended property. */
export function officeHoursTags(): Pick<GraphEventWrite, 'categories' | 'singleValueExtendedProperties'> {
  return {
    categories: [OFFICE_HOURS_CATEGORY],
    singleValueExtendedProperties: [{ id: OFFICE_HOURS_PROPERTY_ID, value: 'true' }],
  };
}

/** A checked create form -> the Graph event to POST. */
export function toGraphEvent(form: CheckedForm, options: { officeHours?: boolean } = {}): GraphEventWrite {
  if (form.start === undefined || form.end === undefined || form.zone === undefined) {
    throw new Error('toGraphEvent needs a complete, checked form');
  }
  const body: GraphEventWrite = {};
  contentFields(form, body);
  body.subject = form.title ?? (options.officeHours ? OFFICE_HOURS_DEFAULT_SUBJECT : '');
  body.start = { dateTime: form.start, timeZone: form.zone.windows };
  body.end = { dateTime: form.end, timeZone: form.zone.windows };
  const recurrence = toGraphRecurrence(form.recurrence ?? null, { start: form.start, timeZone: form.zone.windows });
  if (recurrence) body.recurrence = recurrence;
  if (options.officeHours) Object.assign(body, officeHoursTags());
  return body;
}

/** What the PATCH logic needs of a stored event: its times in its own zone and its recurrence. */
export interface StoredTimes {
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  /** `null` when the stored time cannot be read (e.g. a year Outlook does not accept, set elsewhere). */
  startWall: string | null;
  endWall: string | null;
  /** Windows name of the event's own zone. */
  zone: string;
  recurrence: PatternedRecurrence | null;
}

export interface PatchPlan {
  body: GraphEventWrite;
  /** Whether anything is to be written. */
  changed: boolean;
}

const floating = (wall: string): number => wallToFloatingMs(parseWallTime(wall));

/**
 * Graph PATCH body for `target` (the event actually written: a single event, an occurrence, or
 * a series master) from a checked partial form. `anchor`: the occurrence the user edited when the
 * edit applies to its whole series ("save all occurrences"): its time change is carried over to
 * the master by the same shift. Times keep their zone unless `timeZone` is given; a start change
 * alone keeps the duration. A master whose start date or zone moves gets its recurrence re-sent
 * with the new start (same pattern). Throws 400 naming the field (`end`, `recurrence`, ...).
 */
export function buildPatch(form: CheckedForm, target: StoredTimes, options: { anchor?: StoredTimes; officeHours?: boolean } = {}): PatchPlan {
  const body: GraphEventWrite = {};
  const errors: FieldError[] = [];
  contentFields(form, body);
  const isSeries = target.type === 'seriesMaster';
  const timesGiven = form.start !== undefined || form.end !== undefined || form.zone !== undefined;
  const zone = form.zone?.windows ?? target.zone;
  /** A stored time the edit depends on; unreadable ones make the edit name the field to give. */
  const stored = (wall: string | null, field: 'start' | 'end'): string => {
    if (wall !== null) return wall;
    throw validationError([
      { field, message: `the event's stored ${field} cannot be read as a date Outlook accepts; give start and end to move the event` },
    ]);
  };

  let start = target.startWall;
  let end = target.endWall;
  if (timesGiven) {
    const ref = options.anchor ?? target;
    const newStart = form.start ?? stored(ref.startWall, 'start');
    const newEnd =
      form.end ??
      (form.start !== undefined
        ? formatFloatingMs(floating(newStart) + floating(stored(ref.endWall, 'end')) - floating(stored(ref.startWall, 'start')))
        : stored(ref.endWall, 'end'));
    if (floating(newEnd) <= floating(newStart)) errors.push({ field: 'end', message: 'end must be after start' });
    if (options.anchor) {
      const shift = floating(newStart) - floating(stored(options.anchor.startWall, 'start'));
      start = formatFloatingMs(floating(stored(target.startWall, 'start')) + shift);
      end = formatFloatingMs(floating(start) + floating(newEnd) - floating(newStart));
    } else {
      start = newStart;
      end = newEnd;
    }
    // Derived times (a kept duration, a series shifted with its occurrence) must stay in range too.
    for (const [field, wall] of [['start', start], ['end', end]] as const) {
      const outside = outlookDateError(field, wall);
      if (outside) errors.push({ field, message: outside });
    }
    body.start = { dateTime: start, timeZone: zone };
    body.end = { dateTime: end, timeZone: zone };
  }

  if (form.recurrence !== undefined) {
    if (target.type === 'occurrence' || target.type === 'exception') {
      errors.push({ field: 'recurrence', message: 'one occurrence has no recurrence of its own; edit the series with scope=series' });
    } else {
      const recStart = stored(start, 'start');
      const recEnd = stored(end, 'end');
      errors.push(
        ...validateRecurrence(form.recurrence, { start: recStart, end: recEnd, officeHours: options.officeHours }).filter(
          // end after start is checked above for given times, and holds for stored ones.
          (e) => !(e.field === 'end' && e.message === 'end must be after start'),
        ),
      );
      if (!errors.length) {
        const recurrence = toGraphRecurrence(form.recurrence, { start: recStart, timeZone: zone });
        if (recurrence || isSeries) body.recurrence = recurrence;
        if (recurrence && !body.start) {
          // Graph reads the pattern in the event's zone: keep the two together.
          body.start = { dateTime: recStart, timeZone: zone };
          body.end = { dateTime: recEnd, timeZone: zone };
        }
      }
    }
  } else if (isSeries && timesGiven && target.recurrence && start !== null) {
    const dateMoved = target.startWall === null || start.slice(0, 10) !== target.startWall.slice(0, 10);
    if (dateMoved || zone !== target.zone) {
      body.recurrence = toGraphRecurrence(fromGraphRecurrence(target.recurrence), { start, timeZone: zone });
    }
  }
  if (errors.length) throw validationError(errors);
  return { body, changed: Object.keys(body).length > 0 };
}
