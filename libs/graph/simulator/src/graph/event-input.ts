/**
 * Validation of POST/PATCH event bodies into state changes, with Graph's error codes and
 * messages that name the property.
 */
import type { GraphAttendee, GraphLocation, InstanceFields } from '../state/records';
import type { PatternedRecurrence } from '../state/series';
import { normalizeRecurrence, RecurrenceError } from '../state/series';
import { normalizeWall, resolveZone, utcToWall, wallToUtc } from '../state/time';
import type { NewEvent, PersonalPatch } from '../state/store';
import { badRequest, GraphError } from './http';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Properties of microsoft.graph.event a client may send (read-only ones are ignored). */
const KNOWN = new Set(
  [
    'subject', 'body', 'start', 'end', 'location', 'locations', 'attendees', 'isAllDay', 'recurrence', 'categories',
    'importance', 'sensitivity', 'showAs', 'isOnlineMeeting', 'onlineMeetingProvider', 'allowNewTimeProposals',
    'hideAttendees', 'responseRequested', 'isReminderOn', 'reminderMinutesBeforeStart', 'transactionId',
    'singleValueExtendedProperties', 'multiValueExtendedProperties',
    // read-only or server-owned: accepted and ignored, as in Microsoft's own examples
    'id', 'iCalUId', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'originalStartTimeZone', 'originalEndTimeZone',
    'responseStatus', 'organizer', 'isOrganizer', 'isCancelled', 'isDraft', 'hasAttachments', 'bodyPreview', 'webLink',
    'onlineMeetingUrl', 'onlineMeeting', 'seriesMasterId', 'type', 'originalStart', 'uid', 'cancelledOccurrences',
    'exceptionOccurrences', 'occurrenceId', 'attachments', 'calendar', 'extensions', 'instances',
  ].map((k) => k.toLowerCase()),
);

const ENUMS: Record<string, string[]> = {
  importance: ['low', 'normal', 'high'],
  sensitivity: ['normal', 'personal', 'private', 'confidential'],
  showAs: ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'],
  onlineMeetingProvider: ['unknown', 'teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer'],
  attendeeType: ['required', 'optional', 'resource'],
  contentType: ['text', 'html'],
};

const invalid = (message: string): GraphError => badRequest('ErrorInvalidRequest', message);
const propertyFailure = (message: string): GraphError => badRequest('ErrorPropertyValidationFailure', message);

function enumValue(kind: string, prop: string, v: unknown): string {
  const hit = typeof v === 'string' ? ENUMS[kind].find((e) => e.toLowerCase() === v.toLowerCase()) : undefined;
  if (!hit) throw badRequest('RequestBodyRead', `Cannot convert the literal '${String(v)}' to the expected type 'microsoft.graph.${kind === 'attendeeType' ? 'attendeeType' : prop}'.`);
  return hit;
}

function bool(prop: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw badRequest('RequestBodyRead', `Cannot convert the literal '${String(v)}' to the expected type 'Edm.Boolean' for property '${prop}'.`);
  return v;
}

function str(prop: string, v: unknown): string {
  if (typeof v !== 'string') throw badRequest('RequestBodyRead', `Cannot convert the literal '${String(v)}' to the expected type 'Edm.String' for property '${prop}'.`);
  return v;
}

export function normalizeLocation(v: unknown, prop = 'location'): GraphLocation {
  if (v === null || v === undefined) return { displayName: '', locationType: 'default', uniqueIdType: 'unknown' };
  if (typeof v !== 'object') throw badRequest('RequestBodyRead', `Property '${prop}' must be an object.`);
  const l = v as Record<string, unknown>;
  const displayName = l.displayName === undefined ? '' : str(`${prop}.displayName`, l.displayName);
  const out: GraphLocation = {
    displayName,
    locationType: typeof l.locationType === 'string' ? l.locationType.charAt(0).toLowerCase() + l.locationType.slice(1) : 'default',
  };
  if (prop === 'location' && displayName) {
    out.uniqueId = typeof l.uniqueId === 'string' ? l.uniqueId : displayName;
    out.uniqueIdType = 'private';
  } else out.uniqueIdType = 'unknown';
  if (l.address && typeof l.address === 'object') out.address = l.address;
  if (l.coordinates && typeof l.coordinates === 'object') out.coordinates = l.coordinates;
  if (typeof l.locationUri === 'string') out.locationUri = l.locationUri;
  return out;
}

export function normalizeAttendees(v: unknown): GraphAttendee[] {
  if (!Array.isArray(v)) throw badRequest('RequestBodyRead', "Property 'attendees' must be an array.");
  return v.map((a, i) => {
    const e = (a as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    if (!e || typeof e.address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(e.address)) {
      throw propertyFailure(`attendees[${i}].emailAddress.address is missing or not a valid SMTP address.`);
    }
    const type = (a as { type?: unknown }).type;
    return {
      type: type === undefined ? 'required' : enumValue('attendeeType', 'type', type),
      status: { response: 'none', time: ZERO_TIME },
      emailAddress: { name: typeof e.name === 'string' && e.name ? e.name : e.address, address: e.address },
    };
  });
}

interface DateTimeTimeZone {
  wall: string;
  zoneName: string;
  iana: string;
  ms: number;
}

function dateTimeTimeZone(prop: 'start' | 'end', v: unknown): DateTimeTimeZone {
  if (!v || typeof v !== 'object') throw propertyFailure(`${prop} must be a dateTimeTimeZone object with dateTime and timeZone.`);
  const { dateTime, timeZone } = v as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string') throw propertyFailure(`${prop}.dateTime is required.`);
  const zoneName = typeof timeZone === 'string' && timeZone.trim() ? timeZone.trim() : 'UTC';
  const zone = resolveZone(zoneName);
  if (!zone) {
    throw new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zoneName}'.`);
  }
  // An offset or Z in dateTime is read as an instant and shown in the given zone.
  const exact = /(Z|[+-]\d{2}:\d{2})$/i.test(dateTime);
  const wall = normalizeWall(exact ? dateTime.replace(/(Z|[+-]\d{2}:\d{2})$/i, '') : dateTime);
  if (!wall) throw propertyFailure(`${prop}.dateTime '${dateTime}' is not a valid date and time.`);
  if (exact) {
    const ms = Date.parse(dateTime.replace(/(\.\d{3})\d+/, '$1'));
    if (Number.isNaN(ms)) throw propertyFailure(`${prop}.dateTime '${dateTime}' is not a valid date and time.`);
    return { wall: utcToWall(ms, zone.iana), zoneName, iana: zone.iana, ms };
  }
  return { wall, zoneName, iana: zone.iana, ms: wallToUtc(wall, zone.iana) };
}

function checkUnknown(body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (key.startsWith('@odata.')) continue;
    if (!KNOWN.has(key.toLowerCase())) {
      throw badRequest(
        'RequestBodyRead',
        `The property '${key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
  }
}

function extendedProperties(v: unknown): Array<{ id: string; value: string }> {
  if (!Array.isArray(v)) throw badRequest('RequestBodyRead', "Property 'singleValueExtendedProperties' must be an array.");
  return v.map((p, i) => {
    const { id, value } = (p ?? {}) as { id?: unknown; value?: unknown };
    if (typeof id !== 'string' || !id.trim()) throw propertyFailure(`singleValueExtendedProperties[${i}].id is required.`);
    if (typeof value !== 'string') throw propertyFailure(`singleValueExtendedProperties[${i}].value must be a string.`);
    return { id, value };
  });
}

function categories(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((c) => typeof c !== 'string')) throw badRequest('RequestBodyRead', "Property 'categories' must be an array of strings.");
  return v as string[];
}

export interface ParsedPatch {
  fields: Partial<InstanceFields>;
  recurrence?: PatternedRecurrence | null;
  personal: PersonalPatch;
  transactionId?: string;
}

export interface InputContext {
  /** Mailbox zone, for defaults. */
  mailboxZone: string;
  joinUrl: () => string;
}

/**
 * Parses a POST or PATCH body. `current` is the event being patched (undefined for POST). The
 * returned fields are complete for POST and a delta for PATCH.
 */
export function parseEventBody(raw: unknown, current: InstanceFields | undefined, ctx: InputContext, allowRecurrence = true): ParsedPatch {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('The request body must be a JSON object describing the event.');
  const body = raw as Record<string, unknown>;
  checkUnknown(body);
  const f: Partial<InstanceFields> = {};
  const personal: PersonalPatch = {};
  const has = (k: string): boolean => body[k] !== undefined;

  if (has('subject')) f.subject = body.subject === null ? '' : str('subject', body.subject);
  if (has('body')) {
    const b = body.body as { contentType?: unknown; content?: unknown } | null;
    if (!b || typeof b !== 'object') throw badRequest('RequestBodyRead', "Property 'body' must be an itemBody object.");
    f.bodyType = (b.contentType === undefined ? 'text' : enumValue('contentType', 'bodyType', b.contentType)) as 'html' | 'text';
    f.bodyContent = b.content === undefined || b.content === null ? '' : str('body.content', b.content);
    // Exchange stores HTML bodies as whole documents.
    if (f.bodyType === 'html' && !/^\s*<html/i.test(f.bodyContent)) f.bodyContent = `<html><head></head><body>${f.bodyContent}</body></html>`;
  }
  if (has('location')) f.location = normalizeLocation(body.location);
  if (has('locations')) {
    if (!Array.isArray(body.locations)) throw badRequest('RequestBodyRead', "Property 'locations' must be an array.");
    f.locations = body.locations.map((l) => normalizeLocation(l, 'locations'));
  } else if (f.location) {
    f.locations = f.location.displayName ? [{ displayName: f.location.displayName, locationType: f.location.locationType, uniqueIdType: 'unknown' }] : [];
  }
  if (has('attendees')) f.attendees = normalizeAttendees(body.attendees);
  if (has('importance')) f.importance = enumValue('importance', 'importance', body.importance);
  if (has('sensitivity')) f.sensitivity = enumValue('sensitivity', 'sensitivity', body.sensitivity);
  if (has('showAs')) f.showAs = enumValue('showAs', 'freeBusyStatus', body.showAs);
  if (has('allowNewTimeProposals')) f.allowNewTimeProposals = bool('allowNewTimeProposals', body.allowNewTimeProposals);
  if (has('hideAttendees')) f.hideAttendees = bool('hideAttendees', body.hideAttendees);
  if (has('responseRequested')) f.responseRequested = bool('responseRequested', body.responseRequested);
  if (has('isOnlineMeeting')) f.isOnlineMeeting = bool('isOnlineMeeting', body.isOnlineMeeting);
  if (has('onlineMeetingProvider')) f.onlineMeetingProvider = enumValue('onlineMeetingProvider', 'onlineMeetingProviderType', body.onlineMeetingProvider);
  if (has('isAllDay')) f.isAllDay = bool('isAllDay', body.isAllDay);
  if (has('categories')) personal.categories = categories(body.categories);
  if (has('isReminderOn')) personal.isReminderOn = bool('isReminderOn', body.isReminderOn);
  if (has('reminderMinutesBeforeStart')) {
    const m = body.reminderMinutesBeforeStart;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 0) throw propertyFailure('reminderMinutesBeforeStart must be a non-negative integer.');
    personal.reminderMinutesBeforeStart = m;
  }
  if (has('singleValueExtendedProperties')) personal.extendedProperties = extendedProperties(body.singleValueExtendedProperties);
  const transactionId = has('transactionId') && body.transactionId !== null ? str('transactionId', body.transactionId) : undefined;

  // Times.
  if (!current && (!has('start') || !has('end'))) {
    throw propertyFailure(`${!has('start') ? 'start' : 'end'} is required: an event needs both start and end (dateTime and timeZone).`);
  }
  if (has('start') || has('end') || has('isAllDay')) {
    const start =
      has('start') || !current
        ? dateTimeTimeZone('start', body.start)
        : { wall: current.startWall, zoneName: current.timeZone, iana: current.iana, ms: current.startMs };
    const end =
      has('end') || !current
        ? dateTimeTimeZone('end', body.end)
        : { wall: current.endWall, zoneName: current.endTimeZone, iana: current.endIana, ms: current.endMs };
    if (end.ms < start.ms) throw propertyFailure('The end of the event must not be before its start (end.dateTime < start.dateTime).');
    const allDay = f.isAllDay ?? current?.isAllDay ?? false;
    if (allDay) {
      if (!start.wall.endsWith('T00:00:00') || !end.wall.endsWith('T00:00:00') || end.ms <= start.ms) {
        throw invalid('Start and End must be midnight in the event time zone for an all-day event, and End must be after Start (isAllDay).');
      }
    }
    Object.assign(f, {
      startWall: start.wall,
      endWall: end.wall,
      timeZone: start.zoneName,
      endTimeZone: end.zoneName,
      iana: start.iana,
      endIana: end.iana,
      startMs: start.ms,
      endMs: end.ms,
    });
  }

  let recurrence: PatternedRecurrence | null | undefined;
  if (body.recurrence !== undefined) {
    if (body.recurrence !== null && !allowRecurrence) throw invalid('recurrence cannot be set on an occurrence or exception of a series.');
    if (body.recurrence === null) recurrence = null;
    else {
      try {
        recurrence = normalizeRecurrence(body.recurrence, f.timeZone ?? current?.timeZone ?? ctx.mailboxZone, (f.startWall ?? current?.startWall ?? '').slice(0, 10));
      } catch (e) {
        if (e instanceof RecurrenceError) throw propertyFailure(`recurrence: ${e.message}`);
        throw e;
      }
    }
    if (!current && recurrence === null) recurrence = undefined;
  }

  // Online meeting: a provider and a join URL once turned on.
  const online = f.isOnlineMeeting ?? current?.isOnlineMeeting ?? false;
  if (online) {
    if (!f.onlineMeetingProvider && (!current || current.onlineMeetingProvider === 'unknown')) f.onlineMeetingProvider = 'teamsForBusiness';
    if (!current?.joinUrl) f.joinUrl = ctx.joinUrl();
  } else if (!current) {
    f.onlineMeetingProvider = f.onlineMeetingProvider ?? 'unknown';
    f.joinUrl = null;
  } else if (f.isOnlineMeeting === false) {
    f.joinUrl = null;
  }
  if (!current) {
    const defaults: InstanceFields = {
      subject: '',
      bodyType: 'html',
      bodyContent: '',
      startWall: '',
      endWall: '',
      timeZone: 'UTC',
      endTimeZone: 'UTC',
      iana: 'Etc/UTC',
      endIana: 'Etc/UTC',
      startMs: 0,
      endMs: 0,
      isAllDay: false,
      location: normalizeLocation(undefined),
      locations: [],
      attendees: [],
      isOnlineMeeting: false,
      onlineMeetingProvider: 'unknown',
      joinUrl: null,
      importance: 'normal',
      sensitivity: 'normal',
      showAs: 'busy',
      allowNewTimeProposals: true,
      hideAttendees: false,
      responseRequested: true,
    };
    return { fields: { ...defaults, ...f }, recurrence, personal, transactionId };
  }
  return { fields: f, recurrence, personal, transactionId };
}

/** A parsed create body as the tenant state takes a new event (every field set: a create parses against no current event). */
export function newEventOf(parsed: ParsedPatch): NewEvent {
  return {
    fields: parsed.fields as Required<typeof parsed.fields>,
    recurrence: parsed.recurrence ?? null,
    categories: parsed.personal.categories,
    isReminderOn: parsed.personal.isReminderOn,
    reminderMinutesBeforeStart: parsed.personal.reminderMinutesBeforeStart,
    extendedProperties: parsed.personal.extendedProperties ?? null,
    transactionId: parsed.transactionId ?? null,
  };
}
