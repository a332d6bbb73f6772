/**
 * Shared shapes of the simulator's in-memory tenant. The Graph side (users, mailboxes, events,
 * delta, batch, faults) owns the state; the identity side reads users and app registrations.
 */

export interface SimUser {
  id: string; // GUID, as Graph's user id
  userPrincipalName: string;
  mail: string;
  displayName: string;
  givenName: string;
  surname: string;
  jobTitle?: string | null;
  /** false: the user exists but has no Exchange mailbox (calendar calls answer 404). */
  hasMailbox: boolean;
  /** Mailbox time zone (Windows name), used for all-day events and display. */
  timeZone: string;
  /** Working hours (mailboxSettings.workingHours); absent: Monday–Friday 08:00–17:00 in `timeZone`. */
  workingHours?: SimWorkingHours;
}

/** A user's working hours as Graph's `workingHours` resource: days, wall times and their zone. */
export interface SimWorkingHours {
  daysOfWeek: string[];
  /** 'HH:mm:ss' wall time in `timeZone`. */
  startTime: string;
  endTime: string;
  /** Windows or IANA name. */
  timeZone: string;
}

export interface SimAppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Exact redirect URIs accepted by /authorize and the authorization_code grant. */
  redirectUris: string[];
  /** Application permissions granted with admin consent (roles claim of app-only tokens). */
  appRoles: string[];
  /** Delegated permissions consented for the tenant (scp claim of user tokens). */
  delegatedScopes: string[];
}

/** Who a verified bearer token speaks for. */
export interface SimPrincipal {
  kind: 'app' | 'user';
  tenantId: string;
  appId: string;
  /** The user's object id for delegated tokens. */
  userId?: string;
  roles: string[];
  scopes: string[];
  tokenId: string;
}

export type TokenCheck =
  | { ok: true; principal: SimPrincipal }
  | { ok: false; reason: 'missing' | 'malformed' | 'invalid_signature' | 'expired' | 'revoked' | 'wrong_audience' };

export const DEFAULT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const DEFAULT_CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const DEFAULT_CLIENT_SECRET = 'sim-dev-secret';
