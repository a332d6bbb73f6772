/**
 * An explicit simulator tenant (`POST /_sim/seed { tenant }`) of single events, and the check of a
 * sync cache against the running simulator's truth (`GET /_sim/users/{id}/events`: ids, changeKeys,
 * deleted and cancelled flags), per mailbox. Singles only, so the simulator's records are exactly
 * the calendarView items sync caches (a series would need expanding).
 */
import type { SimClient } from '../support';

export interface TenantEvent {
  user: string;
  subject: string;
  start: { dateTime: string; timeZone: 'UTC' };
  end: { dateTime: string; timeZone: 'UTC' };
}
export interface Tenant {
  users: Array<{ id: string; userPrincipalName: string; displayName: string }>;
  events: TenantEvent[];
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 23);
const HOUR = 3_600_000;

export function event(user: string, subject: string, startMs: number, minutes = 30): TenantEvent {
  return { user, subject, start: { dateTime: iso(startMs), timeZone: 'UTC' }, end: { dateTime: iso(startMs + minutes * 60_000), timeZone: 'UTC' } };
}

/** `users` mailboxes with `eventsPerUser` single events each, over the next days (whole hours from `now`). */
export function tenantOf(users: number, eventsPerUser: number, now: number): Tenant {
  const hour = Math.ceil(now / HOUR) * HOUR;
  const t: Tenant = { users: [], events: [] };
  for (let i = 0; i < users; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const upn = `scale${i}@scale.test`;
    t.users.push({ id, userPrincipalName: upn, displayName: `Scale ${i}` });
    for (let k = 0; k < eventsPerUser; k++) t.events.push(event(upn, `scale ${i}.${k}`, hour + ((i + k * 7) % 200) * HOUR + 24 * HOUR));
  }
  return t;
}

interface SimRecord { id: string; changeKey: string; deleted: boolean; isCancelled?: boolean }
export interface CacheRow { user_id: string; id: string; change_key: string }
export interface TruthCheck { mailboxes: number; expected: number; cached: number; missing: number; extra: number; staleChangeKey: number; duplicates: number; mailboxesDiffering: number }

/** The cache (rows of sync_events) against `GET /_sim/users/{id}/events` of every mailbox, 8 at a time. */
export async function checkAgainstSimulator(sim: SimClient, userIds: string[], rows: CacheRow[]): Promise<TruthCheck> {
  const byUser = new Map<string, CacheRow[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
  const out: TruthCheck = { mailboxes: userIds.length, expected: 0, cached: rows.length, missing: 0, extra: 0, staleChangeKey: 0, duplicates: 0, mailboxesDiffering: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < userIds.length) {
      const user = userIds[next++];
      const truth = (await sim.call<{ value: SimRecord[] }>('GET', `/_sim/users/${user}/events`)).value.filter((r) => !r.deleted && !r.isCancelled);
      const want = new Map(truth.map((r) => [r.id, r.changeKey]));
      const have = byUser.get(user) ?? [];
      const seen = new Set<string>();
      let differs = false;
      for (const r of have) {
        if (seen.has(r.id)) {
          out.duplicates++;
          differs = true;
        }
        seen.add(r.id);
        const key = want.get(r.id);
        if (key === undefined) {
          out.extra++;
          differs = true;
        } else if (key !== r.change_key) {
          out.staleChangeKey++;
          differs = true;
        }
      }
      for (const id of want.keys()) {
        if (!seen.has(id)) {
          out.missing++;
          differs = true;
        }
      }
      out.expected += want.size;
      if (differs) out.mailboxesDiffering++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}
