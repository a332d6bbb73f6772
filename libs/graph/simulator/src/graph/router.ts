/** Graph v1.0 routes of the simulator: path shapes, required access, handlers. */
import type { Ctx, RouteParams } from './context';
import type { SimResponse } from './http';
import { getUser, listUsers } from './users.routes';
import { calendarView, delta, instances, listEvents, supportedTimeZones } from './calendar.routes';
import { createEvent, deleteEvent, getEvent, patchEvent } from './events.routes';
import { findMeetingTimes } from './meeting-times.routes';
import { getSchedule } from './schedule.routes';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, patchSubscription } from '../subscriptions/subscriptions.routes';

/** 'subscriptions': any valid token; the handler checks the rights the subscribed resource needs. */
export type Access = 'calendarRead' | 'calendarWrite' | 'usersRead' | 'userRead' | 'subscriptions';

export interface Route {
  method: string;
  /**
   * Segments after /v1.0; ':user' and ':event' are parameters; '<name>()' is an OData function
   * (bound to what precedes it), matched in every form Graph accepts (see `matchFunction`).
   */
  pattern: string[];
  access: Access;
  /** Needs the target user's mailbox. */
  mailbox: boolean;
  handler: (ctx: Ctx) => SimResponse | Promise<SimResponse>;
}

export interface RouteMatch {
  route: Route;
  params: RouteParams;
  /** Stats key, e.g. 'GET /users/{id}/calendarView'. */
  key: string;
}

const r = (method: string, path: string, access: Access, mailbox: boolean, handler: (ctx: Ctx) => SimResponse | Promise<SimResponse>): Route => ({
  method,
  pattern: path.split('/'),
  access,
  mailbox,
  handler,
});

const USER_SCOPED: Route[] = [
  r('GET', 'users/:user', 'userRead', false, getUser),
  r('GET', 'users/:user/calendarView', 'calendarRead', true, calendarView),
  r('GET', 'users/:user/calendar/calendarView', 'calendarRead', true, calendarView),
  r('GET', 'users/:user/calendarView/delta()', 'calendarRead', true, delta),
  r('GET', 'users/:user/calendar/calendarView/delta()', 'calendarRead', true, delta),
  // v1.0's OpenAPI description (and the SDKs generated from it) has `events/delta()` with the same
  // required startDateTime/endDateTime and description as calendarView's: the same round here.
  // Before `events/:event`, so that `delta()` is never read as an event id.
  r('GET', 'users/:user/events/delta()', 'calendarRead', true, delta),
  r('GET', 'users/:user/calendar/events/delta()', 'calendarRead', true, delta),
  r('GET', 'users/:user/events', 'calendarRead', true, listEvents),
  r('GET', 'users/:user/calendar/events', 'calendarRead', true, listEvents),
  r('POST', 'users/:user/events', 'calendarWrite', true, createEvent),
  r('POST', 'users/:user/calendar/events', 'calendarWrite', true, createEvent),
  r('GET', 'users/:user/events/:event', 'calendarRead', true, getEvent),
  r('PATCH', 'users/:user/events/:event', 'calendarWrite', true, patchEvent),
  r('DELETE', 'users/:user/events/:event', 'calendarWrite', true, deleteEvent),
  r('GET', 'users/:user/calendar/events/:event', 'calendarRead', true, getEvent),
  r('PATCH', 'users/:user/calendar/events/:event', 'calendarWrite', true, patchEvent),
  r('DELETE', 'users/:user/calendar/events/:event', 'calendarWrite', true, deleteEvent),
  r('GET', 'users/:user/events/:event/instances', 'calendarRead', true, instances),
  r('GET', 'users/:user/outlook/supportedTimeZones()', 'calendarRead', true, supportedTimeZones),
  // Free/busy reads by POST (not writes: `calendarRead`).
  r('POST', 'users/:user/calendar/getSchedule', 'calendarRead', true, getSchedule),
  r('POST', 'users/:user/findMeetingTimes', 'calendarRead', true, findMeetingTimes),
];

const SUBSCRIPTIONS: Route[] = [
  r('POST', 'subscriptions', 'subscriptions', false, createSubscription),
  r('GET', 'subscriptions', 'subscriptions', false, listSubscriptions),
  r('GET', 'subscriptions/:event', 'subscriptions', false, getSubscription),
  r('PATCH', 'subscriptions/:event', 'subscriptions', false, patchSubscription),
  r('DELETE', 'subscriptions/:event', 'subscriptions', false, deleteSubscription),
];

const ROUTES: Route[] = [r('GET', 'users', 'usersRead', false, listUsers), ...USER_SCOPED, ...SUBSCRIPTIONS];

/**
 * An OData function segment as Graph accepts it: the name alone (`delta`), called (`delta()`), and
 * either of these with its namespace (`microsoft.graph.delta()`); names are case-insensitive, as
 * Graph's routing is. Microsoft documents `/me/calendarView/delta` and
 * `/me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')`
 * (https://learn.microsoft.com/graph/api/event-delta,
 * https://learn.microsoft.com/graph/api/outlookuser-supportedtimezones); the Kiota SDK sends
 * `calendarView/delta()`, `supportedTimeZones()` and `supportedTimeZones(TimeZoneStandard='Iana')`
 * (an enum literal without its type, which OData 4.01 allows).
 * Returns the function's arguments (name → raw value), or undefined when `segment` is not `name`.
 */
export function matchFunction(name: string, segment: string): Map<string, string> | undefined {
  const m = /^(?:microsoft\.graph\.)?([A-Za-z]+)(?:\((.*)\))?$/i.exec(segment);
  if (!m || m[1].toLowerCase() !== name.toLowerCase()) return undefined;
  const args = new Map<string, string>();
  const list = (m[2] ?? '').trim();
  if (!list) return args;
  for (const part of list.split(',')) {
    const a = /^\s*([A-Za-z]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!a) return undefined;
    args.set(a[1].toLowerCase(), a[2]);
  }
  return args;
}

/** The value of an enum argument: `'Iana'` or `microsoft.graph.timeZoneStandard'Iana'`. */
function enumValue(raw: string, type: string): string | undefined {
  const m = /^(?:microsoft\.graph\.([A-Za-z]+))?'(\w+)'$/i.exec(raw);
  if (!m || (m[1] !== undefined && m[1].toLowerCase() !== type.toLowerCase())) return undefined;
  return m[2];
}

/** Binds a function segment's arguments to route parameters; false when they do not fit. */
function bindFunction(name: string, args: Map<string, string>, params: RouteParams): boolean {
  if (name === 'supportedTimeZones') {
    for (const key of args.keys()) if (key !== 'timezonestandard') return false;
    const raw = args.get('timezonestandard');
    if (raw === undefined) return true;
    const standard = enumValue(raw, 'timeZoneStandard');
    if (standard === undefined) return false;
    params.tzStandard = standard;
    return true;
  }
  return args.size === 0;
}

function matchPattern(pattern: string[], segs: string[], params: RouteParams): boolean {
  if (pattern.length !== segs.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = segs[i];
    if (p === ':user') params.user = s;
    else if (p === ':event') params.eventId = s;
    else if (p.endsWith('()')) {
      const name = p.slice(0, -2);
      const args = matchFunction(name, s);
      if (!args || !bindFunction(name, args, params)) return false;
    } else if (p.toLowerCase() !== s.toLowerCase()) return false;
  }
  return true;
}

function keyOf(route: Route, me: boolean): string {
  const path = route.pattern
    .map((p) => (p === ':user' || p === ':event' ? '{id}' : p.endsWith('()') ? p.slice(0, -2) : p))
    .join('/');
  return `${route.method} /${me ? path.replace(/^users\/\{id\}/, 'me') : path}`;
}

export type MatchResult = RouteMatch | { notFound: string } | { methodNotAllowed: string };

/** Matches a path below /v1.0 (already split and decoded). */
export function matchRoute(method: string, segments: string[]): MatchResult {
  const me = segments[0]?.toLowerCase() === 'me';
  const segs = me ? ['users', '@me', ...segments.slice(1)] : segments;
  let pathMatched: Route | undefined;
  for (const route of ROUTES) {
    const params: RouteParams = { me };
    if (!matchPattern(route.pattern, segs, params)) continue;
    if (route.method !== method) {
      pathMatched = route;
      continue;
    }
    if (me) params.user = undefined;
    return { route, params, key: keyOf(route, me) };
  }
  if (pathMatched) return { methodNotAllowed: keyOf(pathMatched, me).replace(/^\w+ /, `${method} `) };
  return { notFound: segments[segments.length - 1] ?? '' };
}
