/**
 * Deterministic tenants: users on contoso.com with mailboxes (one without, from 10 users up), and
 * events around the clock's "now" (-7..+120 days): singles, daily/weekly/monthly series, all-day,
 * online meetings, a few cancelled, in several zones; tenant attendees get their own copies.
 */
import { Rng } from '../state/prng';
import type { SimState } from '../state/store';
import type { GraphAttendee, GraphLocation, InstanceFields } from '../state/records';
import { DAYS_OF_WEEK } from '@ocb/recurrence';
import type { PatternedRecurrence } from '../state/series';
import type { SimUser } from '../state/types';
import { resolveZone, UTC_ZONE, wallMsToUtc } from '../state/time';
import { BODIES, GIVEN_NAMES, JOB_TITLES, ROOMS, SUBJECTS, SURNAMES, ZONES } from './names';

export interface SeedOptions {
  users: number;
  eventsPerUser: number;
  seed?: number;
  /** Teams join URL origin for online meetings. */
  teamsOrigin?: string;
}

export interface SeedResult {
  users: number;
  mailboxes: number;
  events: number;
  ms: number;
}

const DAY = 86_400_000;
const ZERO = '0001-01-01T00:00:00Z';

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '');
}

export function seedUsers(state: SimState, count: number, rng: Rng): SimUser[] {
  const G = GIVEN_NAMES.length;
  const S = SURNAMES.length;
  const out: SimUser[] = [];
  for (let i = 0; i < count; i++) {
    const given = GIVEN_NAMES[i % G];
    const surname = SURNAMES[(Math.floor(i / G) + i) % S];
    const round = Math.floor(i / (G * S));
    const local = `${ascii(given).toLowerCase()}.${ascii(surname).toLowerCase()}${round > 0 || count > G * S ? String(i) : ''}`;
    const upn = `${local}@${state.domain}`;
    const user: SimUser = {
      id: rng.guid(),
      userPrincipalName: upn,
      mail: upn,
      displayName: `${given} ${surname}`,
      givenName: given,
      surname,
      jobTitle: JOB_TITLES[i % JOB_TITLES.length],
      // From 10 users up, one (the 8th) is a directory account without an Exchange mailbox.
      hasMailbox: !(count >= 10 && i === 7),
      timeZone: ZONES[rng.int(ZONES.length)],
    };
    if (state.findUser(upn)) user.userPrincipalName = user.mail = `${local}.${i}@${state.domain}`;
    out.push(state.addUser(user));
  }
  return out;
}

function location(name: string): GraphLocation {
  return { displayName: name, locationType: 'default', uniqueId: name, uniqueIdType: 'private' };
}

const LOCATIONS = ROOMS.map((r) => ({ location: location(r), locations: [{ displayName: r, locationType: 'default', uniqueIdType: 'unknown' }] }));
const NO_LOCATION = { location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown' } as GraphLocation, locations: [] as GraphLocation[] };

// Shared, frozen: seeded items without attendees or with the one seeded category (writes replace arrays).
const NO_ATTENDEES: GraphAttendee[] = Object.freeze([]) as unknown as GraphAttendee[];
const BLUE_CATEGORY: string[] = Object.freeze(['Blue category']) as unknown as string[];

function attendee(u: SimUser, type = 'required'): GraphAttendee {
  return { type, status: { response: 'none', time: ZERO }, emailAddress: { name: u.displayName, address: u.mail } };
}

/** Seeds users and events; returns counts. Same options → same tenant. */
export function seedTenant(state: SimState, nowMs: number, opts: SeedOptions): SeedResult {
  const t0 = Date.now();
  const seed = opts.seed ?? 1;
  state.clear(seed);
  const rng = new Rng(seed);
  const users = seedUsers(state, opts.users, rng.fork(1));
  const withMailbox = users.filter((u) => u.hasMailbox);
  const er = rng.fork(2);
  const teams = opts.teamsOrigin ?? 'https://teams.microsoft.com';
  const today = Math.floor(nowMs / DAY);
  let events = 0;
  for (const organizer of withMailbox) {
    const mb = state.mailboxOf(organizer);
    if (!mb) continue;
    for (let k = 0; k < opts.eventsPerUser; k++) {
      const zoneName = er.chance(0.15) ? ZONES[er.int(ZONES.length)] : organizer.timeZone;
      const zone = resolveZone(zoneName) ?? UTC_ZONE;
      const roll = er.next();
      const day = today + er.range(-7, 120);
      const allDay = roll < 0.1;
      const recurring = roll >= 0.1 && roll < 0.3;
      let startWallMs: number;
      let endWallMs: number;
      if (allDay) {
        startWallMs = day * DAY;
        endWallMs = startWallMs + er.range(1, 2) * DAY;
      } else {
        startWallMs = day * DAY + er.range(16, 36) * 1_800_000; // 08:00..18:00 on half hours
        endWallMs = startWallMs + er.pick([30, 30, 45, 60, 60, 90, 120]) * 60_000;
      }
      const startWall = new Date(startWallMs).toISOString().slice(0, 19);
      const startMs = wallMsToUtc(startWallMs, zone.iana);
      const endMs = wallMsToUtc(endWallMs, zone.iana);
      const online = !allDay && er.chance(0.3);
      const loc = allDay || online ? NO_LOCATION : LOCATIONS[er.int(LOCATIONS.length)];
      let attendees: GraphAttendee[] = [];
      if (!allDay && withMailbox.length > 1 && er.chance(0.25)) {
        const n = er.range(1, 3);
        const seen = new Set<string>([organizer.id]);
        for (let a = 0; a < n; a++) {
          const u = withMailbox[er.int(withMailbox.length)];
          if (seen.has(u.id)) continue;
          seen.add(u.id);
          attendees.push(attendee(u, a === 2 ? 'optional' : 'required'));
        }
        if (er.chance(0.2)) attendees.push({ type: 'required', status: { response: 'none', time: ZERO }, emailAddress: { name: 'Guest', address: `guest${k}@fabrikam.com` } });
      } else attendees = NO_ATTENDEES;
      let recurrence: PatternedRecurrence | null = null;
      if (recurring) {
        const startDate = startWall.slice(0, 10);
        const dow = DAYS_OF_WEEK[new Date(startWallMs).getUTCDay()];
        const kind = er.int(3);
        recurrence =
          kind === 0
            ? {
                pattern: { type: 'daily', interval: 1, month: 0, dayOfMonth: 0, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' },
                range: { type: 'numbered', startDate, endDate: '0001-01-01', recurrenceTimeZone: zone.windows, numberOfOccurrences: er.range(5, 15) },
              }
            : kind === 1
              ? {
                  pattern: { type: 'weekly', interval: er.chance(0.3) ? 2 : 1, month: 0, dayOfMonth: 0, daysOfWeek: [dow], firstDayOfWeek: 'sunday', index: 'first' },
                  range: er.chance(0.5)
                    ? { type: 'noEnd', startDate, endDate: '0001-01-01', recurrenceTimeZone: zone.windows, numberOfOccurrences: 0 }
                    : { type: 'endDate', startDate, endDate: new Date(startWallMs + er.range(8, 16) * 7 * DAY).toISOString().slice(0, 10), recurrenceTimeZone: zone.windows, numberOfOccurrences: 0 },
                }
              : {
                  pattern: { type: 'absoluteMonthly', interval: 1, month: 0, dayOfMonth: new Date(startWallMs).getUTCDate(), daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' },
                  range: { type: 'numbered', startDate, endDate: '0001-01-01', recurrenceTimeZone: zone.windows, numberOfOccurrences: 6 },
                };
      }
      const fields: InstanceFields = {
        subject: SUBJECTS[er.int(SUBJECTS.length)],
        bodyType: 'html',
        bodyContent: BODIES[er.int(BODIES.length)],
        startWall,
        endWall: new Date(endWallMs).toISOString().slice(0, 19),
        timeZone: zone.windows,
        endTimeZone: zone.windows,
        iana: zone.iana,
        endIana: zone.iana,
        startMs,
        endMs,
        isAllDay: allDay,
        location: loc.location,
        locations: loc.locations,
        attendees,
        isOnlineMeeting: online,
        onlineMeetingProvider: online ? 'teamsForBusiness' : 'unknown',
        joinUrl: online ? `${teams}/l/meetup-join/19%3ameeting_${er.hex(24)}%40thread.v2/0` : null,
        importance: 'normal',
        sensitivity: 'normal',
        showAs: allDay ? 'free' : 'busy',
        allowNewTimeProposals: true,
        hideAttendees: false,
        responseRequested: true,
      };
      const cancelled = attendees.length > 0 && er.chance(0.05);
      state.createEvent(mb, {
        fields,
        recurrence,
        categories: er.chance(0.1) ? BLUE_CATEGORY : undefined,
        cancelled,
      }, true);
      events++;
    }
  }
  return { users: users.length, mailboxes: withMailbox.length, events, ms: Date.now() - t0 };
}

