import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError, parseInstant, refuseControlCharacters } from '@ocb/http';
import { nextOccurrences, type PatternedRecurrence } from '@ocb/recurrence';
import type { EventDetail, OfficeHoursSeries, Page, StartingEvent } from '@ocb/service-clients';
import { UsersRepository } from '../users/users.repository';
import { decodeCursor, encodeCursor } from './cursor';
import { graphDateTime, recurrenceForm, toEventDetail, toSeriesDetail, type RecurrenceForms } from './event-detail';
import type { EventEntity } from './event.entity';
import type { ListEventsQuery, StartingEventsQuery } from './events.dto';
import { EventsRepository } from './events.repository';
import { searchTerms } from './search';
import type { SeriesEntity } from './series.entity';

const NEXT_OCCURRENCES = 5;

/** A strict ISO 8601 instant (`2027-02-30` is refused, not read as March 2). */
const instant = parseInstant;

function limitOf(value: string | undefined, dflt: number, max: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw ApiError.validation(`limit: must be an integer from 1 to ${max}`);
  return n;
}

/** The read side of the cache: upcoming events, search, detail, office hours, starting events. */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly users: UsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(userId: string, q: ListEventsQuery): Promise<Page<EventDetail>> {
    const from = q.from ? instant(q.from, 'from') : new Date(this.clock.now()).toISOString();
    const to = q.to ? instant(q.to, 'to') : null;
    if (to && to <= from) throw ApiError.validation('to: must be later than from');
    const limit = limitOf(q.limit, 50, 200);
    const after = q.cursor ? decodeCursor(q.cursor, 2) : null;
    const rows = await this.events.list({
      userId,
      from,
      to,
      // a NUL or other control character matched every event through LIKE: refused, naming q
      terms: searchTerms(q.q === undefined ? undefined : refuseControlCharacters(q.q, 'q')),
      after: after ? { startUtc: after[0], id: after[1] } : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const forms: RecurrenceForms = new Map();
    return {
      items: page.map((e) =>
        toEventDetail(e, e.seriesIsOfficeHours === null ? null : { recurrence: e.seriesRecurrence, isOfficeHours: e.seriesIsOfficeHours }, forms),
      ),
      nextCursor: rows.length > limit && last ? encodeCursor([last.startUtc, last.id]) : null,
    };
  }

  /** One occurrence, exception, single event or series master; 404 when not cached. */
  async detail(userId: string, eventId: string): Promise<EventDetail> {
    const e = await this.events.findEvent(userId, eventId);
    if (e) return toEventDetail(e, e.seriesMasterId ? await this.events.findSeries(userId, e.seriesMasterId) : null);
    const s = await this.events.findSeries(userId, eventId);
    if (s) return toSeriesDetail(s, await this.firstOccurrence(userId, s.id));
    throw ApiError.notFound(`eventId: no event ${eventId} in the cache of this user`);
  }

  private async firstOccurrence(userId: string, seriesId: string): Promise<EventEntity | null> {
    const rows = await this.events.firstOccurrencesOf(userId, seriesId);
    return rows[0] ?? null;
  }

  async starting(q: StartingEventsQuery): Promise<Page<StartingEvent>> {
    const from = instant(q.from, 'from');
    const to = instant(q.to, 'to');
    if (to <= from) throw ApiError.validation('to: must be later than from');
    const limit = limitOf(q.limit, 500, 1000);
    const after = q.cursor ? decodeCursor(q.cursor, 3) : null;
    const rows = await this.events.starting({
      from,
      to,
      after: after ? { startUtc: after[0], userId: after[1], id: after[2] } : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const users = new Map((await this.users.findByIds([...new Set(page.map((e) => e.userId))])).map((u) => [u.id, u]));
    const seriesByUser = new Map<string, Map<string, SeriesEntity>>();
    for (const userId of new Set(page.map((e) => e.userId))) {
      const ids = page.flatMap((e) => (e.userId === userId && e.seriesMasterId ? [e.seriesMasterId] : []));
      seriesByUser.set(userId, await this.events.seriesByIds(userId, ids));
    }
    const last = page[page.length - 1];
    return {
      items: page.map((e) => {
        const u = users.get(e.userId);
        const series = e.seriesMasterId ? seriesByUser.get(e.userId)?.get(e.seriesMasterId) : null;
        return {
          ...toEventDetail(e, series),
          user: { id: e.userId, email: u?.mail ?? null, userPrincipalName: u?.userPrincipalName ?? '' },
        };
      }),
      nextCursor: rows.length > limit && last ? encodeCursor([last.startUtc, last.userId, last.id]) : null,
    };
  }

  /** Office-hours series (and single office-hours events) with their next occurrences. */
  async officeHours(userId: string): Promise<OfficeHoursSeries[]> {
    const now = this.clock.now();
    const nowIso = new Date(now).toISOString();
    const masters = await this.events.officeHoursSeries(userId);
    const occurrences = await this.events.officeHoursOccurrences(userId, nowIso);
    const bySeries = new Map<string, EventEntity[]>();
    for (const o of occurrences) {
      const key = o.seriesMasterId ?? o.id;
      bySeries.set(key, [...(bySeries.get(key) ?? []), o]);
    }
    const out: OfficeHoursSeries[] = [];
    const listed = new Set<string>();
    const occurrenceView = (o: EventEntity) => ({
      id: o.id,
      start: graphDateTime(o.startWall, o.startTimeZone),
      end: graphDateTime(o.endWall, o.endTimeZone),
      startUtc: o.startUtc,
      endUtc: o.endUtc,
    });
    for (const s of masters) {
      listed.add(s.id);
      const cached = (bySeries.get(s.id) ?? []).slice(0, NEXT_OCCURRENCES).map(occurrenceView);
      out.push({
        id: s.id,
        description: s.bodyText,
        start: graphDateTime(s.startWall, s.startTimeZone),
        end: graphDateTime(s.endWall, s.endTimeZone),
        recurrence: recurrenceForm(s),
        nextOccurrences: cached.length ? cached : expanded(s, now),
      });
    }
    for (const [key, list] of bySeries) {
      if (listed.has(key)) continue;
      const first = list[0];
      const master = first.seriesMasterId ? await this.events.findSeries(userId, first.seriesMasterId) : null;
      out.push({
        id: key,
        description: first.bodyText,
        start: graphDateTime(first.startWall, first.startTimeZone),
        end: graphDateTime(first.endWall, first.endTimeZone),
        recurrence: recurrenceForm(master),
        nextOccurrences: list.slice(0, NEXT_OCCURRENCES).map(occurrenceView),
      });
    }
    return out;
  }
}

/** Next occurrences of a series computed from its recurrence (when none is cached in the window). */
function expanded(s: SeriesEntity, now: number): OfficeHoursSeries['nextOccurrences'] {
  if (!s.recurrence) return [];
  try {
    const recurrence = JSON.parse(s.recurrence) as PatternedRecurrence;
    return nextOccurrences({ recurrence, start: s.startWall, end: s.endWall, timeZone: s.startTimeZone }, new Date(now), NEXT_OCCURRENCES).map((o) => ({
      id: null,
      start: graphDateTime(o.startWall, s.startTimeZone),
      end: graphDateTime(o.endWall, s.endTimeZone),
      startUtc: o.startUtc.toISOString(),
      endUtc: o.endUtc.toISOString(),
    }));
  } catch {
    return [];
  }
}
