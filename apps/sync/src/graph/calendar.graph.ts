import { Inject, Injectable } from '@nestjs/common';
import {
  CALENDAR_READ_PREFER,
  GraphApiError,
  OFFICE_HOURS_EXPAND,
  graphErrorCode,
  type BatchItem,
  type BatchResult,
  type GraphClient,
  type GraphPage,
} from '@ocb/graph-client';
import { SYNC_TUNING, type SyncTuning } from '../sync/sync-tuning';
import type { GraphEvent } from '../events/event-mapper';
import type { DirectoryUser } from '../users/users.repository';
import { GRAPH_CLIENT } from './graph.tokens';

export interface SyncWindow {
  from: Date;
  to: Date;
}

/** The outcome of fetching one mailbox's window (or its changes). */
export type MailboxFetch =
  | { userId: string; ok: true; items: GraphEvent[]; removed: string[]; deltaLink: string }
  | { userId: string; ok: false; error: GraphApiError };

const USER_SELECT = 'id,displayName,mail,userPrincipalName';
const MASTER_SELECT = [
  'id',
  'changeKey',
  'type',
  'subject',
  'body',
  'location',
  'start',
  'end',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'isAllDay',
  'isOrganizer',
  'recurrence',
  'categories',
].join(',');
const BATCH = 20;
/** Up to this many masters of one mailbox are read one by one; more are listed in one request. */
const FEW_MASTERS = 3;

/** A batch answer as a thrown-like error, classified by the client's rules. */
function itemError(r: BatchResult): GraphApiError {
  const body = r.body as { error?: { message?: string } } | null;
  return new GraphApiError({ status: r.status, code: graphErrorCode(body), message: body?.error?.message ?? `Graph answered ${r.status}`, body });
}

/**
 * The Graph calls of the calendar cache, all through the one `GraphClient` (token, shared limiter,
 * retries, telemetry). A mailbox's window is fetched as a calendarView delta round: the same items
 * as calendarView plus the delta link for later increments, in one pass. First pages of up to 20
 * mailboxes travel in one `$batch`; following pages of those mailboxes are batched together too.
 */
@Injectable()
export class CalendarGraph {
  constructor(
    @Inject(GRAPH_CLIENT) private readonly client: GraphClient,
    @Inject(SYNC_TUNING) private readonly tuning: SyncTuning,
  ) {}

  private get prefer(): Record<string, string> {
    return { Prefer: [...CALENDAR_READ_PREFER, `odata.maxpagesize=${this.tuning.pageSize}`].join(', ') };
  }

  /** Every tenant user, page by page. */
  async *users(): AsyncIterable<DirectoryUser[]> {
    for await (const page of this.client.users({ pageSize: 999, select: USER_SELECT.split(',') })) {
      yield page.map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, mail: u.mail ?? null, displayName: u.displayName ?? null }));
    }
  }

  /** One user by id or UPN; null when the tenant has no such user. */
  async user(idOrUpn: string): Promise<DirectoryUser | null> {
    try {
      const u = await this.client.get<DirectoryUser>(`/users/${encodeURIComponent(idOrUpn)}?$select=${USER_SELECT}`);
      return { id: u.id, userPrincipalName: u.userPrincipalName, mail: u.mail ?? null, displayName: u.displayName ?? null };
    } catch (e) {
      if (e instanceof GraphApiError && e.kind === 'not-found') return null;
      throw e;
    }
  }

  /** Before work that holds the event loop for about `busyMs`: lets an imminent rate-limiter grant go first. */
  yieldToLimiter(busyMs: number): Promise<void> {
    return this.client.yieldToLimiter(busyMs);
  }

  deltaStartPath(userId: string, window: SyncWindow): string {
    const q = `startDateTime=${encodeURIComponent(window.from.toISOString())}&endDateTime=${encodeURIComponent(window.to.toISOString())}`;
    return `/users/${encodeURIComponent(userId)}/calendarView/delta?${q}`;
  }

  /**
   * Runs delta rounds of up to 20 mailboxes together (each from a start path over the window, or
   * from a stored delta link): first pages in one `$batch`, then the next pages of those still
   * incomplete, batched together, until each mailbox has its new delta link or failed.
   */
  async deltaGroup(starts: Array<{ userId: string; url: string }>): Promise<MailboxFetch[]> {
    if (starts.length > BATCH) throw new RangeError(`at most ${BATCH} mailboxes per group`);
    const out: MailboxFetch[] = [];
    const acc = new Map(starts.map((g) => [g.userId, { items: new Map<string, GraphEvent>(), removed: new Set<string>() }]));
    let pending = starts;
    while (pending.length) {
      const results = await this.client.batch(
        pending.map((p, n) => ({ id: String(n), method: 'GET', url: p.url, headers: this.prefer, mailbox: p.userId }) satisfies BatchItem),
      );
      const next: typeof pending = [];
      results.forEach((r, n) => {
        const { userId } = pending[n];
        if (r.status < 200 || r.status >= 300) {
          out.push({ userId, ok: false, error: itemError(r) });
          return;
        }
        const page = (r.body ?? {}) as GraphPage<GraphEvent>;
        const a = acc.get(userId) ?? { items: new Map<string, GraphEvent>(), removed: new Set<string>() };
        acc.set(userId, a);
        for (const item of page.value ?? []) {
          if (item['@removed'] !== undefined) {
            a.items.delete(item.id);
            a.removed.add(item.id);
          } else {
            a.removed.delete(item.id);
            a.items.set(item.id, item);
          }
        }
        if (page['@odata.deltaLink']) {
          out.push({ userId, ok: true, items: [...a.items.values()], removed: [...a.removed], deltaLink: page['@odata.deltaLink'] });
        } else if (page['@odata.nextLink']) {
          next.push({ userId, url: page['@odata.nextLink'] });
        } else {
          const error = new GraphApiError({ status: 502, code: 'MissingDeltaLink', message: 'delta page without nextLink or deltaLink', kind: 'unknown' });
          out.push({ userId, ok: false, error });
        }
      });
      pending = next;
    }
    return out;
  }

  /** One mailbox's delta round from a start path or a stored link, without `$batch` (refresh). */
  async deltaOne(userId: string, deltaLink: string): Promise<MailboxFetch> {
    try {
      const r = await this.client.delta<GraphEvent>(deltaLink, { mailbox: userId, headers: this.prefer });
      return { userId, ok: true, ...r };
    } catch (e) {
      if (e instanceof GraphApiError) return { userId, ok: false, error: e };
      throw e;
    }
  }

  /**
   * Series masters by (mailbox, id). A mailbox needing a few gets them one by one; one needing more
   * gets its masters listed in one request (`/events?$filter=type eq 'seriesMaster'`). Items are
   * interleaved across mailboxes so that no `$batch` holds more than a few items of one mailbox.
   */
  async seriesMasters(wanted: Array<{ userId: string; id: string }>): Promise<Map<string, GraphEvent>> {
    const out = new Map<string, GraphEvent>();
    if (!wanted.length) return out;
    const byUser = new Map<string, string[]>();
    for (const w of wanted) byUser.set(w.userId, [...(byUser.get(w.userId) ?? []), w.id]);
    const expand = encodeURIComponent(OFFICE_HOURS_EXPAND);
    const perUser: Array<Array<{ userId: string; url: string; list: boolean }>> = [];
    for (const [userId, ids] of byUser) {
      const user = encodeURIComponent(userId);
      if (ids.length <= FEW_MASTERS) {
        perUser.push(ids.map((id) => ({ userId, list: false, url: `/users/${user}/events/${encodeURIComponent(id)}?$select=${MASTER_SELECT}&$expand=${expand}` })));
      } else {
        const filter = encodeURIComponent("type eq 'seriesMaster'");
        perUser.push([{ userId, list: true, url: `/users/${user}/events?$filter=${filter}&$select=${MASTER_SELECT}&$expand=${expand}&$top=1000` }]);
      }
    }
    const items: Array<{ userId: string; url: string; list: boolean }> = [];
    for (let round = 0; items.length < perUser.reduce((n, l) => n + l.length, 0); round++) {
      for (const list of perUser) if (list[round]) items.push(list[round]);
    }
    const results = await this.client.batch(
      items.map((it, n) => ({ id: String(n), method: 'GET', url: it.url, headers: { Prefer: CALENDAR_READ_PREFER.join(', ') }, mailbox: it.userId })),
    );
    for (const [n, r] of results.entries()) {
      const it = items[n];
      if (r.status === 404 && !it.list) continue;
      if (r.status < 200 || r.status >= 300 || !r.body) throw itemError(r);
      if (!it.list) {
        const e = r.body as GraphEvent;
        out.set(seriesKey(it.userId, e.id), e);
        continue;
      }
      let page = r.body as GraphPage<GraphEvent>;
      for (;;) {
        for (const e of page.value ?? []) if (e.type === 'seriesMaster' || e.recurrence) out.set(seriesKey(it.userId, e.id), e);
        const next = page['@odata.nextLink'];
        if (!next) break;
        page = await this.client.get<GraphPage<GraphEvent>>(next, { mailbox: it.userId, headers: { Prefer: CALENDAR_READ_PREFER.join(', ') } });
      }
    }
    return out;
  }
}

export function seriesKey(userId: string, id: string): string {
  return `${userId}\n${id}`;
}
