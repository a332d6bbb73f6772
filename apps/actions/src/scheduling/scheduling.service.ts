import { Injectable, Logger } from '@nestjs/common';
import type { GraphEvent } from '@ocb/graph-client';
import type { FieldError } from '@ocb/recurrence';
import type { ScheduleConflict } from '@ocb/service-clients';
import { formatGraphDateTime, isValidTimeZone, toWindows, zonedToUtc } from '@ocb/time-zones';
import { parseAttendees, type AttendeeInput } from '../events/attendees';
import { eventDetailFromGraph } from '../events/event-detail.mapper';
import { validationError } from '../events/form-mapper';
import { UserCalendar } from '../graph/user-calendar';
import { FreeBusyCalendar, type GraphDateTimeZone, type GraphScheduleInformation } from './free-busy.calendar';

const DAY = 86_400_000;
/** getSchedule's window must be shorter than 62 days; series are checked over this much of their start. */
const MAX_WINDOW_MS = 62 * DAY;
const CONFLICT_HORIZON_MS = 61 * DAY;

export interface ZonedTime {
  dateTime: string;
  timeZone: string;
}

export interface BusySlot {
  status: string;
  start: ZonedTime;
  end: ZonedTime;
  startUtc: string;
  endUtc: string;
  subject: string | null;
  location: string | null;
}

export interface ScheduleAnswer {
  email: string;
  isOrganizer: boolean;
  busy: BusySlot[];
  availabilityView: string;
  workingHours: GraphScheduleInformation['workingHours'] | null;
  /** Why Outlook could not tell (unknown address...); null when it could. */
  error: string | null;
}

export type Conflict = ScheduleConflict;

export interface AvailabilityInput {
  start: string;
  end: string;
  timeZone: string;
  attendees: AttendeeInput[];
  intervalMinutes?: number;
}

export interface MeetingTimesInput {
  start: string;
  end: string;
  timeZone: string;
  attendees: AttendeeInput[];
  durationMinutes: number;
  maxCandidates?: number;
  activityDomain?: 'work' | 'personal' | 'unrestricted';
  minimumAttendeePercentage?: number;
  isOrganizerOptional?: boolean;
}

interface Window {
  zone: string;
  fromUtc: string;
  toUtc: string;
}

const BLOCKING = new Set(['busy', 'oof', 'tentative', 'workingElsewhere']);
const UNAVAILABLE = new Set(['busy', 'oof']);

function utcOf(t: GraphDateTimeZone): string {
  // Asked with Prefer: outlook.timezone="UTC"; other zones are converted all the same.
  const wall = t.dateTime.replace(/(\.\d+)?(Z)?$/i, '');
  return zonedToUtc(wall, t.timeZone && isValidTimeZone(t.timeZone) ? t.timeZone : 'UTC').toISOString();
}

function zoned(utc: string, zone: string): ZonedTime {
  return { dateTime: formatGraphDateTime(new Date(utc), zone), timeZone: zone };
}

/**
 * Scheduling help: free/busy of the organizer and attendees (Graph's getSchedule, split by 20),
 * the conflicts of a written event, and meeting time suggestions (findMeetingTimes), all as the
 * user with their delegated token.
 *
 * Busy time comes from getSchedule alone, not merged with sync's cache: Graph's answer is current
 * (the cache lags by up to the delta interval, so merging would report moved or cancelled events as
 * conflicts), already expands series and applies each mailbox's free/busy sharing, and costs one
 * call per 20 people where the cache would need a read per attendee; the cache knows no mailbox
 * getSchedule does not.
 */
@Injectable()
export class SchedulingService {
  private readonly logger = new Logger(SchedulingService.name);

  constructor(
    private readonly calendar: UserCalendar,
    private readonly freeBusy: FreeBusyCalendar,
  ) {}

  async availability(user: string, input: AvailabilityInput): Promise<{ timeZone: string; startUtc: string; endUtc: string; schedules: ScheduleAnswer[] }> {
    const errors: FieldError[] = [];
    const window = this.checkWindow(input, errors);
    const { attendees, errors: attendeeErrors } = parseAttendees(input.attendees);
    errors.push(...attendeeErrors);
    if (errors.length || !window) throw validationError(errors);
    const token = await this.calendar.connect(user);
    const organizer = token.userPrincipalName;
    const addresses = [organizer, ...attendees.map((a) => a.email).filter((e) => e.toLowerCase() !== organizer.toLowerCase())];
    const infos = await this.freeBusy.schedules(user, addresses, window.fromUtc, window.toUtc, input.intervalMinutes ?? 30);
    const schedules = addresses.map((email, i) => this.answer(email, i === 0, infos[i], window.zone));
    return { timeZone: window.zone, startUtc: window.fromUtc, endUtc: window.toUtc, schedules };
  }

  async meetingTimes(user: string, input: MeetingTimesInput): Promise<Record<string, unknown>> {
    const errors: FieldError[] = [];
    const window = this.checkWindow(input, errors);
    const { attendees, errors: attendeeErrors } = parseAttendees(input.attendees);
    errors.push(...attendeeErrors);
    if (errors.length || !window) throw validationError(errors);
    await this.calendar.connect(user);
    const answer = await this.freeBusy.findMeetingTimes(user, {
      attendees: attendees.map((a) => ({ type: a.type, emailAddress: { address: a.email, ...(a.name ? { name: a.name } : {}) } })),
      timeConstraint: {
        activityDomain: input.activityDomain ?? 'work',
        timeSlots: [{ start: { dateTime: window.fromUtc.replace(/Z$/, ''), timeZone: 'UTC' }, end: { dateTime: window.toUtc.replace(/Z$/, ''), timeZone: 'UTC' } }],
      },
      meetingDuration: `PT${input.durationMinutes}M`,
      maxCandidates: input.maxCandidates ?? 5,
      isOrganizerOptional: input.isOrganizerOptional ?? false,
      returnSuggestionReasons: true,
      ...(input.minimumAttendeePercentage !== undefined ? { minimumAttendeePercentage: input.minimumAttendeePercentage } : {}),
    });
    const required = new Set(attendees.filter((a) => a.type === 'required').map((a) => a.email.toLowerCase()));
    // A suggestion never lands on a required attendee's busy time, whatever the confidence threshold.
    const kept = (answer.meetingTimeSuggestions ?? []).filter(
      (s) => !(s.attendeeAvailability ?? []).some((a) => required.has(a.attendee.emailAddress.address.toLowerCase()) && UNAVAILABLE.has(a.availability)),
    );
    const suggestions = kept.map((s) => {
      const startUtc = utcOf(s.meetingTimeSlot.start);
      const endUtc = utcOf(s.meetingTimeSlot.end);
      return {
        start: zoned(startUtc, window.zone),
        end: zoned(endUtc, window.zone),
        startUtc,
        endUtc,
        confidence: s.confidence,
        organizerAvailability: s.organizerAvailability ?? 'unknown',
        attendees: (s.attendeeAvailability ?? []).map((a) => ({ email: a.attendee.emailAddress.address, type: a.attendee.type ?? 'required', availability: a.availability })),
        reason: s.suggestionReason ?? null,
      };
    });
    const emptySuggestionsReason = suggestions.length ? null : answer.emptySuggestionsReason || 'attendeesUnavailable';
    return { timeZone: window.zone, suggestions, emptySuggestionsReason };
  }

  /**
   * Who of `written`'s attendees (for office hours: the organizer) is busy at its times, the event
   * itself left out. Series: their occurrences over the first 61 days. Never throws: null (logged)
   * when Outlook could not be asked, as the write has happened.
   */
  async conflictsOf(user: string, written: GraphEvent, options: { officeHours?: boolean } = {}): Promise<Conflict[] | null> {
    try {
      const detail = eventDetailFromGraph(written);
      if (!detail.startUtc || !detail.endUtc) return [];
      const token = await this.calendar.connect(user);
      const organizer = token.userPrincipalName.toLowerCase();
      const addresses = options.officeHours
        ? [token.userPrincipalName]
        : (written.attendees ?? [])
            .filter((a) => a.type !== 'resource')
            .map((a) => a.emailAddress.address ?? '')
            .filter((e) => e && e.toLowerCase() !== organizer && e.toLowerCase() !== (written.organizer?.emailAddress.address ?? '').toLowerCase());
      if (!addresses.length) return [];
      let intervals = [{ startUtc: detail.startUtc, endUtc: detail.endUtc }];
      if (written.type === 'seriesMaster') {
        const horizon = new Date(Date.parse(detail.startUtc) + CONFLICT_HORIZON_MS).toISOString();
        const occurrences = await this.freeBusy.instances(user, written.id, detail.startUtc, horizon);
        intervals = occurrences.map((o) => ({ startUtc: o.start ? utcOf(o.start) : '', endUtc: o.end ? utcOf(o.end) : '' })).filter((i) => i.startUtc && i.endUtc);
        if (!intervals.length) return [];
      }
      const from = intervals.reduce((m, i) => (i.startUtc < m ? i.startUtc : m), intervals[0].startUtc);
      const to = intervals.reduce((m, i) => (i.endUtc > m ? i.endUtc : m), intervals[0].endUtc);
      const infos = await this.freeBusy.schedules(user, addresses, from, to);
      const conflicts: Conflict[] = [];
      const subject = detail.subject;
      addresses.forEach((email, n) => {
        for (const item of infos[n]?.error ? [] : (infos[n]?.scheduleItems ?? [])) {
          if (!BLOCKING.has(item.status)) continue;
          const s = utcOf(item.start);
          const e = utcOf(item.end);
          const isSelf = intervals.some((i) => i.startUtc === s && i.endUtc === e) && (item.subject === undefined || item.subject === subject);
          if (isSelf || !intervals.some((i) => i.startUtc < e && i.endUtc > s)) continue;
          conflicts.push({ email, status: item.status, start: zoned(s, detail.start.timeZone), end: zoned(e, detail.start.timeZone), startUtc: s, endUtc: e, subject: item.subject ?? null });
        }
      });
      return conflicts.sort((a, b) => (a.startUtc < b.startUtc ? -1 : a.startUtc > b.startUtc ? 1 : a.email.localeCompare(b.email)));
    } catch (e) {
      this.logger.warn(`conflict check of ${written.id} for ${user} failed: ${(e as Error).message}`);
      return null;
    }
  }

  private answer(email: string, isOrganizer: boolean, info: GraphScheduleInformation | undefined, zone: string): ScheduleAnswer {
    if (!info || info.error) {
      return { email, isOrganizer, busy: [], availabilityView: '', workingHours: null, error: info?.error?.message ?? info?.error?.responseCode ?? 'no answer for this address' };
    }
    const busy = (info.scheduleItems ?? [])
      .filter((i) => BLOCKING.has(i.status))
      .map((i) => {
        const startUtc = utcOf(i.start);
        const endUtc = utcOf(i.end);
        return { status: i.status, start: zoned(startUtc, zone), end: zoned(endUtc, zone), startUtc, endUtc, subject: i.subject ?? null, location: i.location || null };
      });
    return { email, isOrganizer, busy, availabilityView: info.availabilityView ?? '', workingHours: info.workingHours ?? null, error: null };
  }

  /** start/end/timeZone → UTC window; errors name the field. */
  private checkWindow(input: { start: string; end: string; timeZone: string }, errors: FieldError[]): Window | undefined {
    if (!isValidTimeZone(input.timeZone)) {
      errors.push({ field: 'timeZone', message: `"${input.timeZone}" is not a Windows or IANA time zone (GET /api/timezones)` });
      return undefined;
    }
    const zone = toWindows(input.timeZone);
    let from: Date;
    let to: Date;
    try {
      from = zonedToUtc(input.start, zone);
    } catch {
      errors.push({ field: 'start', message: 'start is not a valid date and time' });
      return undefined;
    }
    try {
      to = zonedToUtc(input.end, zone);
    } catch {
      errors.push({ field: 'end', message: 'end is not a valid date and time' });
      return undefined;
    }
    if (to.getTime() <= from.getTime()) errors.push({ field: 'end', message: 'end must be after start' });
    else if (to.getTime() - from.getTime() >= MAX_WINDOW_MS) errors.push({ field: 'end', message: 'the window must be shorter than 62 days' });
    return { zone, fromUtc: from.toISOString(), toUtc: to.toISOString() };
  }
}
