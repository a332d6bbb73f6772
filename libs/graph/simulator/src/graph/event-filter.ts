/**
 * `$filter` on `/events`: the OData subset clients use to list a mailbox's events by kind or time.
 *
 *   type eq 'seriesMaster'            type ne 'singleInstance'
 *   isOrganizer eq true               isCancelled eq false      isAllDay eq true
 *   subject eq 'Standup'              startswith(subject,'Office hours')
 *   start/dateTime ge '2026-03-01T00:00:00'   end/dateTime lt '2026-04-01T00:00:00Z'
 *
 * clauses joined by `and` (binding tighter) and `or`, each optionally in parentheses. String
 * comparisons of `type`/`subject` are case-insensitive, as Exchange compares them; date-times
 * without an offset are UTC (as Graph reads them). Anything else is refused the way Outlook
 * refuses it: 400 `ErrorInvalidUrlQueryFilter`.
 */
import type { EventRecord } from '../state/records';
import { badRequest, type GraphError } from './http';
import { compileFilter, type FilterSchema, type Predicate } from './odata-filter';

export type EventPredicate = Predicate<EventRecord>;

const EVENT_FILTER: FilterSchema<EventRecord> = {
  strings: {
    type: (r) => (r.content.recurrence ? 'seriesMaster' : 'singleInstance'),
    subject: (r) => r.content.subject,
    showas: (r) => r.content.showAs,
    importance: (r) => r.content.importance,
    sensitivity: (r) => r.content.sensitivity,
  },
  booleans: {
    isorganizer: (r) => r.isOrganizer,
    iscancelled: (r) => r.isCancelled,
    isallday: (r) => r.content.isAllDay,
    isonlinemeeting: (r) => r.content.isOnlineMeeting,
  },
  times: {
    'start/datetime': (r) => r.content.startMs,
    'end/datetime': (r) => r.content.endMs,
  },
};

/** A predicate over a mailbox's events (singles and series masters) for a `$filter` value. */
export function parseEventFilter(filter: string): EventPredicate {
  const invalid = (): GraphError => badRequest('ErrorInvalidUrlQueryFilter', `The query filter contains one or more invalid nodes: '${filter}'.`);
  return compileFilter(filter, EVENT_FILTER, invalid);
}
