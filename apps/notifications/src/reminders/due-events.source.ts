import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@ocb/config';
import { EventDetail, ServiceError, StartingEvent, SyncClient, UserRef } from '@ocb/service-clients';
import type { NotificationsConfig } from '../config/notifications.config';

/**
 * Where due reminders come from: the calendar cache of the sync service. Injectable so that
 * tests drive it in memory; production asks sync's internal routes.
 */
export interface DueEventsSource {
  /** Every occurrence organized by its mailbox's user starting in [from, to) (all pages). */
  startingBetween(from: Date, to: Date): Promise<StartingEvent[]>;
  /** The event as cached now; null when it is gone (404). Throws when sync cannot answer. */
  event(userId: string, eventId: string): Promise<EventDetail | null>;
  /** The user (id or UPN); null when sync does not know them. Throws when sync cannot answer. */
  user(user: string): Promise<UserRef | null>;
}

export const DUE_EVENTS_SOURCE = Symbol('DUE_EVENTS_SOURCE');

const PAGE_SIZE = 500;
const MAX_PAGES = 200;

/** The production source: sync's `GET /api/internal/events/starting` and event/user lookups. */
@Injectable()
export class SyncDueEventsSource implements DueEventsSource {
  /** Planning can wait a little: a retry or two on transient errors. */
  private readonly planning: SyncClient;
  /** The re-check right before sending must be quick: one attempt, short timeout. */
  private readonly lookups: SyncClient;

  constructor(@Inject(APP_CONFIG) config: NotificationsConfig) {
    this.planning = new SyncClient({ baseUrl: config.SYNC_URL, internalKey: config.INTERNAL_API_KEY, attempts: 2, timeoutMs: 15_000 });
    this.lookups = new SyncClient({ baseUrl: config.SYNC_URL, internalKey: config.INTERNAL_API_KEY, attempts: 1, timeoutMs: 2_000 });
  }

  async startingBetween(from: Date, to: Date): Promise<StartingEvent[]> {
    const all: StartingEvent[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.planning.startingBetween(from, to, cursor, PAGE_SIZE);
      all.push(...res.items);
      if (!res.nextCursor) return all;
      cursor = res.nextCursor;
    }
    throw new Error(`sync returned more than ${MAX_PAGES} pages of starting events`);
  }

  event(userId: string, eventId: string): Promise<EventDetail | null> {
    return notFoundAsNull(this.lookups.event(userId, eventId));
  }

  user(user: string): Promise<UserRef | null> {
    return notFoundAsNull(this.lookups.user(user));
  }
}

async function notFoundAsNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ServiceError && e.status === 404) return null;
    throw e;
  }
}
