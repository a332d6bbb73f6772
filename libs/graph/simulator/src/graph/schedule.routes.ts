/**
 * Free/busy: `calendar/getSchedule` (findMeetingTimes, from the same busy time: meeting-times.routes.ts), as Microsoft documents them
 * (learn.microsoft.com/graph/api/calendar-getschedule, .../user-findmeetingtimes, and the
 * scheduleInformation, meetingTimeSuggestionsResult resources).
 *
 * Busy time comes from the same instances calendarView shows (series expanded into their
 * occurrences and exceptions), without cancelled copies, declined meetings and items shown as free.
 */
import type { Instance } from '../state/records';
import type { SimUser } from '../state/types';
import { resolveZone, UTC_ZONE, utcToWall, wallToUtc, type SimZone } from '../state/time';
import { workingHoursJson, workingHoursOf } from '../state/working-hours';
import type { Ctx } from './context';
import type { SimResponse } from './http';
import { badRequest, GraphError, json } from './http';

export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** getSchedule answers at most this many schedules per request. */
export const MAX_SCHEDULES = 20;
/** getSchedule's window must be shorter than this. */
export const MAX_SCHEDULE_WINDOW_DAYS = 62;

export type Status = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

/** availabilityView digits. Graph writes 0 for workingElsewhere ("for backward compatibility"). */
const VIEW_DIGIT: Record<Status, number> = { free: 0, workingElsewhere: 0, tentative: 1, busy: 2, oof: 3, unknown: 0 };
/** How much a status blocks a slot, when items overlap. */
export const WEIGHT: Record<Status, number> = { free: 0, unknown: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };

export interface BusyItem {
  status: Status;
  start: number;
  end: number;
  subject: string;
  location: string;
  isPrivate: boolean;
}

export function invalid(message: string): GraphError {
  return badRequest('ErrorInvalidParameter', message);
}

/** The request body's properties, by lower-cased name (Graph accepts `Schedules` as well as `schedules`). */
export function bodyOf(ctx: Ctx): Map<string, unknown> {
  if (ctx.req.badJson) throw badRequest('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  const b = ctx.req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw badRequest('BadRequest', 'Empty Payload. JSON content expected.');
  return new Map(Object.entries(b as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A dateTimeTimeZone → instant (ms). A missing zone means UTC. */
export function instantOf(value: unknown, name: string): number {
  if (!value || typeof value !== 'object') throw invalid(`${name} is required and must be a dateTimeTimeZone.`);
  const o = new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const dt = o.get('datetime');
  const tz = o.get('timezone') ?? 'UTC';
  if (typeof tz !== 'string') throw invalid(`${name}.timeZone must be a string.`);
  const zone = resolveZone(tz);
  if (!zone) throw new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${tz}'.`);
  const wall = typeof dt === 'string' ? dt.replace(/(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i, '') : '';
  const ms = wall ? wallToUtc(wall, zone.iana) : NaN;
  if (Number.isNaN(ms)) throw invalid(`${name}.dateTime '${String(dt)}' is not a valid date and time.`);
  // An explicit offset or Z in dateTime is honoured as Graph does.
  if (typeof dt === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(dt)) {
    const exact = Date.parse(dt.replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(exact)) return exact;
  }
  return ms;
}

/** The zone answers are written in: `Prefer: outlook.timezone`, else UTC. */
export function answerZone(ctx: Ctx): { zone: SimZone; name: string } {
  return ctx.preferredZone() ?? { zone: UTC_ZONE, name: 'UTC' };
}

export function dateTimeTimeZone(ms: number, z: { zone: SimZone; name: string }): { dateTime: string; timeZone: string } {
  return { dateTime: `${utcToWall(ms, z.zone.iana)}.0000000`, timeZone: z.name };
}

function statusOf(inst: Instance): Status | null {
  const r = inst.record;
  if (r.isCancelled || r.deleted || r.response === 'declined') return null;
  const s = inst.fields.showAs as Status;
  if (s === 'free') return null;
  return (Object.hasOwn(WEIGHT, s) ? s : 'busy') as Status;
}

/** The busy items of a user's calendar that meet [from, to). */
export function busyItems(ctx: Ctx, user: SimUser, from: number, to: number): BusyItem[] | undefined {
  const mb = ctx.state.mailboxOf(user);
  if (!mb) return undefined;
  const out: BusyItem[] = [];
  for (const inst of ctx.state.view(mb, from, to)) {
    const status = statusOf(inst);
    if (!status || inst.endMs <= from || inst.startMs >= to) continue;
    const f = inst.fields;
    out.push({ status, start: inst.startMs, end: inst.endMs, subject: f.subject, location: f.location.displayName, isPrivate: f.sensitivity === 'private' });
  }
  return out;
}

function availabilityView(items: BusyItem[], from: number, to: number, interval: number): string {
  const slots = Math.ceil((to - from) / (interval * MINUTE));
  let view = '';
  for (let i = 0; i < slots; i++) {
    const s = from + i * interval * MINUTE;
    const e = Math.min(to, s + interval * MINUTE);
    let worst: Status = 'free';
    for (const it of items) if (it.start < e && it.end > s && WEIGHT[it.status] > WEIGHT[worst]) worst = it.status;
    view += String(VIEW_DIGIT[worst]);
  }
  return view;
}

/** POST /users/{id}/calendar/getSchedule, /me/calendar/getSchedule. */
export function getSchedule(ctx: Ctx): SimResponse {
  const body = bodyOf(ctx);
  const schedules = body.get('schedules');
  if (!Array.isArray(schedules) || schedules.length === 0 || schedules.some((s) => typeof s !== 'string' || !s.trim())) {
    throw invalid('Schedules must be a non-empty collection of SMTP addresses.');
  }
  if (schedules.length > MAX_SCHEDULES) {
    throw invalid(`The number of schedules requested (${schedules.length}) exceeds the maximum of ${MAX_SCHEDULES}.`);
  }
  const from = instantOf(body.get('starttime'), 'StartTime');
  const to = instantOf(body.get('endtime'), 'EndTime');
  if (to <= from) throw invalid('The EndTime must be later than the StartTime.');
  if (to - from >= MAX_SCHEDULE_WINDOW_DAYS * DAY) throw invalid(`The requested time window is too long: it must be shorter than ${MAX_SCHEDULE_WINDOW_DAYS} days.`);
  const rawInterval = body.get('availabilityviewinterval') ?? 30;
  const interval = typeof rawInterval === 'string' && /^\d+$/.test(rawInterval) ? Number(rawInterval) : rawInterval;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 5 || interval > 1440) {
    throw invalid('AvailabilityViewInterval must be an integer between 5 and 1440 (minutes).');
  }
  const z = answerZone(ctx);
  const value = (schedules as string[]).map((address) => {
    const user = ctx.state.findUser(address.trim());
    const items = user ? busyItems(ctx, user, from, to) : undefined;
    if (!user || !items) {
      return {
        scheduleId: address,
        availabilityView: '',
        scheduleItems: [],
        error: { message: `The user or resource '${address}' was not found or has no calendar.`, responseCode: 'ErrorMailRecipientNotFound' },
      };
    }
    return {
      scheduleId: address,
      availabilityView: availabilityView(items, from, to, interval),
      scheduleItems: items.map((it) => ({
        isPrivate: it.isPrivate,
        status: it.status,
        ...(it.isPrivate ? {} : { subject: it.subject, location: it.location }),
        start: dateTimeTimeZone(it.start, z),
        end: dateTimeTimeZone(it.end, z),
      })),
      workingHours: workingHoursJson(workingHoursOf(user)),
    };
  });
  const res = json(200, { '@odata.context': `${ctx.origin}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`, value });
  if (ctx.preferenceApplied.length) res.headers['Preference-Applied'] = ctx.preferenceApplied.join(', ');
  return res;
}

// ---- findMeetingTimes ----
