import type { BusySlot, GraphDateTime } from './contracts';

/** The window and attendees of actions' availability and meeting-times requests (wall times in timeZone). */
export interface SchedulingRequest {
  start: string;
  end: string;
  timeZone: string;
  attendees: string[];
}


/** POST /api/users/{user}/availability (actions). */
export interface Availability {
  timeZone: string;
  startUtc: string;
  endUtc: string;
  schedules: Array<{ email: string; isOrganizer: boolean; busy: BusySlot[]; error: string | null }>;
}

/** POST /api/users/{user}/meeting-times (actions). */
export interface MeetingTimes {
  timeZone: string;
  suggestions: Array<{ start: GraphDateTime; end: GraphDateTime; startUtc: string; endUtc: string; confidence: number }>;
  emptySuggestionsReason: string | null;
}

/** GET /api/users/{user}/sync-state (sync). */
export interface SyncState {
  lastSyncedAt: string | null;
  lastFullSyncAt: string | null;
  lastDeltaSyncAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}
