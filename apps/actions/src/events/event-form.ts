import type { RecurrenceForm } from '@ocb/recurrence';
import type { AttendeeInput } from './attendees';

export const ONLINE_MEETING_PROVIDERS = ['teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer'] as const;
export type OnlineMeetingProvider = (typeof ONLINE_MEETING_PROVIDERS)[number];
export const DEFAULT_ONLINE_MEETING_PROVIDER: OnlineMeetingProvider = 'teamsForBusiness';

/**
 * The platform's event form (contract.md, "Event form"). Every field is optional on PATCH; `null`
 * counts as "not given" (send "" to clear a text, [] to clear the attendees).
 */
export interface EventForm {
  title?: string | null;
  /** Wall time `YYYY-MM-DDTHH:mm[:ss]` in `timeZone`. */
  start?: string | null;
  end?: string | null;
  /** Windows or IANA name. */
  timeZone?: string | null;
  recurrence?: RecurrenceForm | null;
  location?: string | null;
  /** Plain text. */
  description?: string | null;
  attendees?: AttendeeInput[] | null;
  isOnlineMeeting?: boolean | null;
  onlineMeetingProvider?: OnlineMeetingProvider | null;
}

/** Office hours: start, end, timeZone, recurrence (required, recurring), description; title optional. */
export type OfficeHoursForm = Pick<EventForm, 'title' | 'start' | 'end' | 'timeZone' | 'recurrence' | 'description'>;
