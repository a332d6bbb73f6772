import { canEditEvent } from '@ocb/graph-client';
import { fromGraphRecurrence, type PatternedRecurrence } from '@ocb/recurrence';
import type { Attendee, EventDetail, GraphDateTime, RecurrenceFormShape } from '@ocb/service-clients';
import type { EventEntity } from './event.entity';
import type { SeriesEntity } from './series.entity';

/** Graph's `{ dateTime, timeZone }` from a stored wall time. */
export function graphDateTime(wall: string, timeZone: string): GraphDateTime {
  return { dateTime: `${wall}.0000000`, timeZone };
}

/** What an occurrence's detail takes from its series master. */
export type SeriesPart = Pick<SeriesEntity, 'recurrence' | 'isOfficeHours'>;

/** Recurrence forms by their Graph JSON, for the items of one page (occurrences of a series share one). */
export type RecurrenceForms = Map<string, RecurrenceFormShape | null>;

export function recurrenceForm(series: Pick<SeriesEntity, 'recurrence'> | null | undefined, forms?: RecurrenceForms): RecurrenceFormShape | null {
  const text = series?.recurrence;
  if (!text) return null;
  const known = forms?.get(text);
  if (known !== undefined) return known;
  let form: RecurrenceFormShape | null;
  try {
    form = fromGraphRecurrence(JSON.parse(text) as PatternedRecurrence);
  } catch {
    form = null;
  }
  forms?.set(text, form);
  return form;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The columns of a cached occurrence that its EventDetail shows. */
export type EventDetailSource = Omit<EventEntity, 'userId' | 'categories' | 'changeKey' | 'searchText' | 'updatedAt'>;

/**
 * The contract's event detail of a cached occurrence (its series master gives the recurrence);
 * `forms` shares the recurrence forms parsed for a page's other items.
 */
export function toEventDetail(e: EventDetailSource, series?: SeriesPart | null, forms?: RecurrenceForms): EventDetail {
  return {
    id: e.id,
    subject: e.subject,
    start: graphDateTime(e.startWall, e.startTimeZone),
    end: graphDateTime(e.endWall, e.endTimeZone),
    startUtc: e.startUtc,
    endUtc: e.endUtc,
    isAllDay: e.isAllDay,
    location: e.location,
    description: e.bodyText,
    attendees: parseJson<Attendee[]>(e.attendees, []),
    organizer: { name: e.organizerName, email: e.organizerEmail },
    isOrganizer: e.isOrganizer,
    canEdit: canEditEvent(e),
    joinUrl: e.joinUrl,
    webLink: e.webLink,
    type: e.type as EventDetail['type'],
    seriesMasterId: e.seriesMasterId,
    recurrence: e.seriesMasterId ? recurrenceForm(series, forms) : null,
    isOfficeHours: e.isOfficeHours || series?.isOfficeHours === true,
    isCancelled: e.isCancelled,
  };
}

/** The detail of a series master, completed with one of its occurrences (attendees, links). */
export function toSeriesDetail(s: SeriesEntity, sample: EventEntity | null): EventDetail {
  const base = sample ? toEventDetail(sample, s) : null;
  return {
    id: s.id,
    subject: s.subject,
    start: graphDateTime(s.startWall, s.startTimeZone),
    end: graphDateTime(s.endWall, s.endTimeZone),
    startUtc: s.startUtc,
    endUtc: s.endUtc,
    isAllDay: s.isAllDay,
    location: s.location,
    description: s.bodyText,
    attendees: base?.attendees ?? [],
    organizer: base?.organizer ?? { name: null, email: null },
    isOrganizer: s.isOrganizer,
    canEdit: s.isOrganizer,
    joinUrl: base?.joinUrl ?? null,
    webLink: base?.webLink ?? null,
    type: 'seriesMaster',
    seriesMasterId: null,
    recurrence: recurrenceForm(s),
    isOfficeHours: s.isOfficeHours,
    isCancelled: false,
  };
}
