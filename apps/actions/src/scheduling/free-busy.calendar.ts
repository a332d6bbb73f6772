import { Inject, Injectable } from '@nestjs/common';
import { GraphClient, type GraphEvent } from '@ocb/graph-client';
import { GRAPH_CLIENT } from '../graph/graph.tokens';

/** getSchedule answers at most 20 schedules per request (Microsoft's limit). */
export const SCHEDULES_PER_CALL = 20;

export interface GraphDateTimeZone {
  dateTime: string;
  timeZone: string;
}

/** One `scheduleInformation` of getSchedule (times asked in UTC). */
export interface GraphScheduleInformation {
  scheduleId: string;
  availabilityView?: string;
  scheduleItems?: Array<{ status: string; start: GraphDateTimeZone; end: GraphDateTimeZone; subject?: string; location?: string; isPrivate?: boolean }>;
  workingHours?: { daysOfWeek: string[]; startTime: string; endTime: string; timeZone: { name?: string } };
  error?: { message?: string; responseCode?: string } | null;
}

export interface GraphMeetingTimeSuggestions {
  emptySuggestionsReason?: string;
  meetingTimeSuggestions?: Array<{
    confidence: number;
    order?: number;
    organizerAvailability?: string;
    suggestionReason?: string;
    attendeeAvailability?: Array<{ availability: string; attendee: { type?: string; emailAddress: { address: string; name?: string } } }>;
    meetingTimeSlot: { start: GraphDateTimeZone; end: GraphDateTimeZone };
  }>;
}

const UTC = { Prefer: 'outlook.timezone="UTC"' };

/**
 * Free/busy through Graph with the user's delegated token: `/me/calendar/getSchedule` (split into
 * calls of 20 schedules), `/me/findMeetingTimes`, and the occurrences of a series. All are reads:
 * retried like GETs.
 */
@Injectable()
export class FreeBusyCalendar {
  constructor(@Inject(GRAPH_CLIENT) private readonly graph: GraphClient) {}

  /** The schedules of `addresses` over [fromUtc, toUtc), in the order asked; one Graph call per 20. */
  async schedules(user: string, addresses: string[], fromUtc: string, toUtc: string, intervalMinutes = 30): Promise<GraphScheduleInformation[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < addresses.length; i += SCHEDULES_PER_CALL) chunks.push(addresses.slice(i, i + SCHEDULES_PER_CALL));
    const window = { startTime: { dateTime: fromUtc.replace(/Z$/, ''), timeZone: 'UTC' }, endTime: { dateTime: toUtc.replace(/Z$/, ''), timeZone: 'UTC' } };
    const answers = await Promise.all(
      chunks.map((schedules) =>
        this.graph.post<{ value?: GraphScheduleInformation[] }>(
          '/me/calendar/getSchedule',
          { schedules, ...window, availabilityViewInterval: intervalMinutes },
          { mailbox: user, headers: UTC, idempotent: true },
        ),
      ),
    );
    return answers.flatMap((a) => a.value ?? []);
  }

  async findMeetingTimes(user: string, body: Record<string, unknown>): Promise<GraphMeetingTimeSuggestions> {
    return this.graph.post<GraphMeetingTimeSuggestions>('/me/findMeetingTimes', body, { mailbox: user, headers: UTC, idempotent: true });
  }

  /** Occurrences of a series in [fromUtc, toUtc) (instants in UTC). */
  async instances(user: string, seriesId: string, fromUtc: string, toUtc: string): Promise<GraphEvent[]> {
    return this.graph.collect<GraphEvent>(`/me/events/${encodeURIComponent(seriesId)}/instances`, {
      mailbox: user,
      headers: UTC,
      query: { startDateTime: fromUtc, endDateTime: toUtc, $top: '100', $select: 'id,subject,start,end,type,seriesMasterId' },
    });
  }
}
