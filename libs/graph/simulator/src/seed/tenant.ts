/** Explicit tenants for `POST /_sim/seed { tenant: { users, events } }`. */
import type { SimState } from '../state/store';
import type { SimUser } from '../state/types';
import { newEventOf, parseEventBody } from '../graph/event-input';
import { resolveZone } from '../state/time';
import { parseWorkingHours, WorkingHoursError } from '../state/working-hours';

export interface ExplicitUser {
  id?: string;
  userPrincipalName?: string;
  mail?: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string | null;
  hasMailbox?: boolean;
  timeZone?: string;
  /** `{ daysOfWeek, startTime, endTime, timeZone }`; default Monday–Friday 08:00–17:00 in `timeZone`. */
  workingHours?: unknown;
}

/** A Graph event body plus the organizer (`user`: id or UPN). */
export type ExplicitEvent = Record<string, unknown> & { user: string };

export interface ExplicitTenant {
  users: ExplicitUser[];
  events?: ExplicitEvent[];
}

export class TenantError extends Error {}

export function loadTenant(state: SimState, tenant: ExplicitTenant, joinUrl: () => string): { users: number; mailboxes: number; events: number } {
  if (!tenant || !Array.isArray(tenant.users)) throw new TenantError('tenant.users must be an array');
  state.clear();
  for (const [i, u] of tenant.users.entries()) {
    const upn = u.userPrincipalName ?? u.mail;
    if (!upn) throw new TenantError(`tenant.users[${i}] needs userPrincipalName or mail`);
    const local = upn.split('@')[0];
    const zone = u.timeZone ?? 'UTC';
    if (!resolveZone(zone)) throw new TenantError(`tenant.users[${i}].timeZone '${zone}' is not a known time zone`);
    const user: SimUser = {
      id: u.id ?? state.newGuid(),
      userPrincipalName: upn,
      mail: u.mail ?? upn,
      displayName: u.displayName ?? local,
      givenName: u.givenName ?? local,
      surname: u.surname ?? '',
      jobTitle: u.jobTitle ?? null,
      hasMailbox: u.hasMailbox ?? true,
      timeZone: zone,
    };
    if (u.workingHours !== undefined) {
      try {
        user.workingHours = parseWorkingHours(u.workingHours, zone);
      } catch (e) {
        if (e instanceof WorkingHoursError) throw new TenantError(`tenant.users[${i}].${e.message}`);
        throw e;
      }
    }
    if (state.findUser(user.id) || state.findUser(upn)) throw new TenantError(`tenant.users[${i}] repeats an id or UPN`);
    state.addUser(user);
  }
  let events = 0;
  for (const [i, e] of (tenant.events ?? []).entries()) {
    const organizer = typeof e.user === 'string' ? state.findUser(e.user) : undefined;
    const mb = organizer && state.mailboxOf(organizer);
    if (!organizer || !mb) throw new TenantError(`tenant.events[${i}].user must name a user with a mailbox`);
    const { user: _user, ...body } = e;
    const parsed = parseEventBody(body, undefined, { mailboxZone: organizer.timeZone, joinUrl });
    state.createEvent(mb, newEventOf(parsed));
    events++;
  }
  return { users: state.users.length, mailboxes: state.mailboxes.length, events };
}
