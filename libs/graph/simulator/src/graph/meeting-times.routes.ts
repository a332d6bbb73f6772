/**
 * `findMeetingTimes` (delegated only), as Microsoft documents it (learn.microsoft.com/graph/api/
 * user-findmeetingtimes and the meetingTimeSuggestionsResult resource): slots where the attendees
 * are free within their working hours, from the same busy time getSchedule reads.
 */
import type { SimUser } from '../state/types';
import { workingHoursOf, workingPeriods } from '../state/working-hours';
import type { Ctx } from './context';
import type { SimResponse } from './http';
import { accessDenied, json } from './http';
import { answerZone, bodyOf, busyItems, dateTimeTimeZone, DAY, instantOf, invalid, MINUTE, WEIGHT, type BusyItem, type Status } from './schedule.routes';

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** ISO 8601 duration (days, hours, minutes, seconds) → ms; NaN when malformed or zero. */
export function parseIsoDuration(value: string): number {
  const m = DURATION.exec(value.trim());
  if (!m || value.trim().toUpperCase() === 'P' || /T$/i.test(value.trim())) return NaN;
  const ms = ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * MINUTE + Number(m[4] ?? 0) * 1000;
  return ms > 0 ? ms : NaN;
}

interface Attendee {
  address: string;
  name?: string;
  type: 'required' | 'optional' | 'resource';
  user?: SimUser;
}

type Availability = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

/** Chance of attendance by availability (the documented 100% free, 49% unknown, 0% busy). */
const CHANCE: Record<Availability, number> = { free: 100, workingElsewhere: 100, tentative: 100, unknown: 49, busy: 0, oof: 0 };

const SLOT_STEP = 30 * MINUTE;
const DEFAULT_MAX_CANDIDATES = 5;
const ACTIVITY_DOMAINS = ['work', 'personal', 'unrestricted', 'unknown'];

function parseAttendees(raw: unknown): Attendee[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('Attendees must be a collection of attendeeBase.');
  return raw.map((a, i) => {
    const o = (a ?? {}) as Record<string, unknown>;
    const email = (o.emailAddress ?? {}) as Record<string, unknown>;
    const address = typeof email.address === 'string' ? email.address.trim() : '';
    if (!address) throw invalid(`Attendees[${i}].emailAddress.address is required.`);
    const type = typeof o.type === 'string' ? o.type.toLowerCase() : 'required';
    if (type !== 'required' && type !== 'optional' && type !== 'resource') throw invalid(`Attendees[${i}].type '${String(o.type)}' is not valid.`);
    return { address, name: typeof email.name === 'string' ? email.name : undefined, type, user: undefined };
  });
}

function worstStatus(items: BusyItem[], s: number, e: number): Availability {
  let worst: Status = 'free';
  for (const it of items) if (it.start < e && it.end > s && WEIGHT[it.status] > WEIGHT[worst]) worst = it.status;
  return worst;
}

function within(periods: Array<{ start: number; end: number }>, s: number, e: number): boolean {
  return periods.some((p) => p.start <= s && p.end >= e);
}

/**
 * POST /me/findMeetingTimes (delegated only). Candidate slots start on the half hour inside each
 * time slot; with activityDomain `work` they lie in the organizer's working hours (and in each
 * required attendee's, in that attendee's own zone), `personal` adds weekends, `unrestricted`
 * takes any hour. Confidence is the mean chance of attendance of the attendees; suggestions below
 * minimumAttendeePercentage (default 50) are dropped, the rest ordered by confidence then time.
 */
export function findMeetingTimes(ctx: Ctx): SimResponse {
  if (ctx.principal.kind !== 'user') throw accessDenied();
  const body = bodyOf(ctx);
  const attendees = parseAttendees(body.get('attendees'));
  for (const a of attendees) {
    const u = ctx.state.findUser(a.address);
    if (u && ctx.state.mailboxOf(u)) a.user = u;
  }
  const rawDuration = body.get('meetingduration') ?? 'PT30M';
  const duration = typeof rawDuration === 'string' ? parseIsoDuration(rawDuration) : NaN;
  if (Number.isNaN(duration)) throw invalid(`MeetingDuration '${String(rawDuration)}' is not a valid ISO 8601 duration.`);
  const rawMax = body.get('maxcandidates') ?? DEFAULT_MAX_CANDIDATES;
  const maxCandidates = typeof rawMax === 'string' && /^\d+$/.test(rawMax) ? Number(rawMax) : rawMax;
  if (typeof maxCandidates !== 'number' || !Number.isInteger(maxCandidates) || maxCandidates < 0) throw invalid('MaxCandidates must be a non-negative integer.');
  const rawMin = body.get('minimumattendeepercentage') ?? 50;
  const minimum = typeof rawMin === 'string' && rawMin.trim() !== '' ? Number(rawMin) : rawMin;
  if (typeof minimum !== 'number' || !Number.isFinite(minimum) || minimum < 0 || minimum > 100) throw invalid('MinimumAttendeePercentage must be a number from 0 to 100.');
  const rawOptional = body.get('isorganizeroptional') ?? false;
  const organizerOptional = rawOptional === true || rawOptional === 'true';
  const returnReasons = body.get('returnsuggestionreasons') === true || body.get('returnsuggestionreasons') === 'true';

  const constraint = new Map(Object.entries((body.get('timeconstraint') ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const domain = typeof constraint.get('activitydomain') === 'string' ? (constraint.get('activitydomain') as string) : 'work';
  if (!ACTIVITY_DOMAINS.includes(domain)) throw invalid(`TimeConstraint.ActivityDomain '${domain}' is not valid.`);
  const rawSlots = constraint.get('timeslots');
  let slots: Array<{ start: number; end: number }>;
  if (rawSlots === undefined || rawSlots === null) {
    // No slots: from the next half hour, over the next two days.
    const start = Math.ceil(ctx.now() / SLOT_STEP) * SLOT_STEP;
    slots = [{ start, end: start + 2 * DAY }];
  } else {
    if (!Array.isArray(rawSlots) || rawSlots.length === 0) throw invalid('TimeConstraint.TimeSlots must be a non-empty collection of timeSlot.');
    slots = rawSlots.map((s, i) => {
      const o = (s ?? {}) as Record<string, unknown>;
      const start = instantOf(o.start ?? o.Start, `TimeSlots[${i}].Start`);
      const end = instantOf(o.end ?? o.End, `TimeSlots[${i}].End`);
      if (end <= start) throw invalid(`TimeSlots[${i}]: End must be later than Start.`);
      return { start, end };
    });
  }
  const from = Math.min(...slots.map((s) => s.start));
  const to = Math.max(...slots.map((s) => s.end));

  const organizer = ctx.target;
  const organizerItems = busyItems(ctx, organizer, from, to) ?? [];
  const people = attendees.filter((a) => a.type !== 'resource' || a.user);
  const itemsOf = new Map<Attendee, BusyItem[] | undefined>(people.map((a) => [a, a.user ? busyItems(ctx, a.user, from, to) : undefined]));
  const hoursFor = (u: SimUser): Array<{ start: number; end: number }> | null => {
    if (domain === 'unrestricted') return null;
    const h = workingHoursOf(u);
    const days = domain === 'personal' ? ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] : h.daysOfWeek;
    return workingPeriods({ ...h, daysOfWeek: days }, from - DAY, to + DAY);
  };
  const organizerHours = hoursFor(organizer);
  const attendeeHours = new Map(people.filter((a) => a.user && a.type === 'required').map((a) => [a, hoursFor(a.user as SimUser)]));

  interface Candidate {
    start: number;
    end: number;
    confidence: number;
    organizerAvailability: Availability;
    attendeeAvailability: Array<{ attendee: Attendee; availability: Availability }>;
  }
  const candidates: Candidate[] = [];
  let inHours = 0;
  let organizerFree = 0;
  for (const slot of slots) {
    for (let s = Math.ceil(slot.start / SLOT_STEP) * SLOT_STEP; s + duration <= slot.end; s += SLOT_STEP) {
      const e = s + duration;
      if (organizerHours && !within(organizerHours, s, e)) continue;
      if ([...attendeeHours.values()].some((p) => p && !within(p, s, e))) continue;
      if (s < ctx.now()) continue;
      inHours++;
      const organizerAvailability = worstStatus(organizerItems, s, e);
      if (!organizerOptional && CHANCE[organizerAvailability] === 0) continue;
      organizerFree++;
      const attendeeAvailability = people.map((a) => {
        const items = itemsOf.get(a);
        return { attendee: a, availability: items ? worstStatus(items, s, e) : ('unknown' as Availability) };
      });
      const confidence = attendeeAvailability.length ? attendeeAvailability.reduce((n, x) => n + CHANCE[x.availability], 0) / attendeeAvailability.length : 100;
      if (confidence < minimum) continue;
      candidates.push({ start: s, end: e, confidence, organizerAvailability, attendeeAvailability });
    }
  }
  candidates.sort((a, b) => b.confidence - a.confidence || a.start - b.start);
  const chosen = candidates.slice(0, maxCandidates);
  const z = answerZone(ctx);
  let emptySuggestionsReason = '';
  if (chosen.length === 0) {
    if (inHours > 0 && organizerFree === 0) emptySuggestionsReason = 'organizerUnavailable';
    else if (people.some((a) => !itemsOf.get(a))) emptySuggestionsReason = 'attendeesUnavailableOrUnknown';
    else if (inHours > 0) emptySuggestionsReason = 'attendeesUnavailable';
    else emptySuggestionsReason = 'unknown';
  }
  const meetingTimeSuggestions = chosen.map((c, i) => ({
    confidence: Math.round(c.confidence * 100) / 100,
    order: i + 1,
    organizerAvailability: c.organizerAvailability,
    ...(returnReasons
      ? {
          suggestionReason:
            c.confidence === 100 ? 'Suggested because it is one of the nearest times when all attendees are available.' : 'Suggested because it is one of the nearest times when most attendees are available.',
        }
      : {}),
    attendeeAvailability: c.attendeeAvailability.map((x) => ({
      attendee: { type: x.attendee.type, emailAddress: { ...(x.attendee.name ? { name: x.attendee.name } : {}), address: x.attendee.address } },
      availability: x.availability,
    })),
    locations: [],
    meetingTimeSlot: { start: dateTimeTimeZone(c.start, z), end: dateTimeTimeZone(c.end, z) },
  }));
  const res = json(200, {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult`,
    emptySuggestionsReason,
    meetingTimeSuggestions,
  });
  if (ctx.preferenceApplied.length) res.headers['Preference-Applied'] = ctx.preferenceApplied.join(', ');
  return res;
}
