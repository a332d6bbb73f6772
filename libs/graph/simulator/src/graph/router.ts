/** Graph v1.0 routes of the simulator: path shapes, required access, handlers. */
import type { Ctx, RouteParams } from './context';
import type { SimResponse } from './http';
import { getUser, listUsers } from './users.routes';
import { calendarView, delta, instances, listEvents, supportedTimeZones } from './calendar.routes';
import { createEvent, deleteEvent, getEvent, patchEvent } from './events.routes';
import { findMeetingTimes, getSchedule } from './schedule.routes';

export type Access = 'calendarRead' | 'calendarWrite' | 'usersRead' | 'userRead';

export interface Route {
  method: string;
  /** Segments after /v1.0; ':user', ':event' and ':tz' are parameters. */
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
  r('GET', 'users/:user/calendarView/delta', 'calendarRead', true, delta),
  r('GET', 'users/:user/calendar/calendarView/delta', 'calendarRead', true, delta),
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
  r('GET', 'users/:user/outlook/:tz', 'calendarRead', true, supportedTimeZones),
  // Free/busy reads by POST (not writes: `calendarRead`).
  r('POST', 'users/:user/calendar/getSchedule', 'calendarRead', true, getSchedule),
  r('POST', 'users/:user/findMeetingTimes', 'calendarRead', true, findMeetingTimes),
];

const ROUTES: Route[] = [r('GET', 'users', 'usersRead', false, listUsers), ...USER_SCOPED];

const TZ_SEGMENT = /^supportedtimezones(?:\(\s*timezonestandard\s*=\s*microsoft\.graph\.timezonestandard'(\w+)'\s*\))?$/i;

function matchPattern(pattern: string[], segs: string[], params: RouteParams): boolean {
  if (pattern.length !== segs.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = segs[i];
    if (p === ':user') params.user = s;
    else if (p === ':event') params.eventId = s;
    else if (p === ':tz') {
      const m = TZ_SEGMENT.exec(s);
      if (!m) return false;
      params.tzStandard = m[1];
    } else if (p.toLowerCase() !== s.toLowerCase()) return false;
  }
  return true;
}

function keyOf(route: Route, me: boolean): string {
  const path = route.pattern
    .map((p) => (p === ':user' ? '{id}' : p === ':event' ? '{id}' : p === ':tz' ? 'supportedTimeZones' : p))
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
