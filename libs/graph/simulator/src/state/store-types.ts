/** The shapes the tenant state takes and gives: new events, patches, a resolved id, the default app registration. */
import type { EventRecord, InstanceFields } from './records';
import type { PatternedRecurrence } from './series';
import type { SimAppRegistration } from './types';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './types';

export interface NewEvent {
  fields: InstanceFields;
  recurrence: PatternedRecurrence | null;
  categories?: string[];
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  extendedProperties?: Array<{ id: string; value: string }> | null;
  transactionId?: string | null;
  /** Defaults to the mailbox owner. */
  organizer?: { name: string; address: string };
  /** Cancelled copies for attendees, no organizer item (the organizer deleted it). */
  cancelled?: boolean;
}

/** Per-record fields (personal to a mailbox) a PATCH may set. */
export interface PersonalPatch {
  categories?: string[];
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  extendedProperties?: Array<{ id: string; value: string }>;
}

export interface ContentPatch {
  fields?: Partial<InstanceFields>;
  /** undefined: unchanged; null: make it a single event. */
  recurrence?: PatternedRecurrence | null;
}

export interface Resolved {
  record: EventRecord;
  /** Set when the id names one occurrence of a series. */
  originalStartMs: number | null;
}

export const DEFAULT_APP: SimAppRegistration = {
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  displayName: 'Outlook Calendar Bridge (simulator)',
  redirectUris: [
    'http://localhost:3001/app/api/auth/serviceAction/callback',
    'https://localhost:3001/app/api/auth/serviceAction/callback',
  ],
  // least privilege, as the original integration's tenant is set up: the app-only token reads every
  // mailbox (application User.Read.All + Calendars.Read); writes go as the user (delegated
  // Calendars.ReadWrite), so an app-only write is refused with 403 as Graph refuses it
  appRoles: ['Calendars.Read', 'User.Read.All'],
  delegatedScopes: ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Calendars.ReadWrite'],
};
