import { isOfficeHoursEvent } from '@ocb/graph-client';
import { Injectable } from '@nestjs/common';
import type { GraphEvent } from '@ocb/graph-client';
import { ApiError } from '@ocb/http';
import type { PatternedRecurrence } from '@ocb/recurrence';
import { formatFloatingMs, parseWallTime, wallToFloatingMs, zonedToUtc } from '@ocb/time-zones';
import { UserCalendar } from '../graph/user-calendar';
import { randomTransactionId } from '../idempotency/transaction-id';
import { FreeBusyCalendar } from '../scheduling/free-busy.calendar';
import { ownZoneOf, storedTimesOf } from './event-detail.mapper';
import { buildPatch, officeHoursTags, validationError, type CheckedForm, type GraphEventWrite, type StoredTimes } from './form-mapper';

const DAY = 86_400_000;
const floating = (wall: string): number => wallToFloatingMs(parseWallTime(wall));

export interface SplitResult {
  /** The new series: the chosen occurrence and those after it, with the change. */
  series: GraphEvent;
  /** The original series, which now ends the day before. */
  previousSeriesId: string;
  officeHours: boolean;
}

/**
 * "This and following occurrences", as Outlook does it: the series ends the day before the chosen
 * occurrence (its recurrence range gets that end date) and a new series with the change starts
 * at the occurrence, with the rest of the occurrences (the remaining count of a numbered series,
 * the same end date, or no end), the same content, attendees and office hours tags. The new series
 * is created first, so a failure leaves the original series whole.
 */
@Injectable()
export class SeriesSplit {
  constructor(
    private readonly calendar: UserCalendar,
    private readonly freeBusy: FreeBusyCalendar,
  ) {}

  /** null when the occurrence is the series' first (then it is a whole-series edit). */
  async thisAndFollowing(user: string, occurrence: GraphEvent, form: CheckedForm): Promise<SplitResult | null> {
    const master = await this.masterOf(user, occurrence);
    const recurrence = master.recurrence as PatternedRecurrence | null | undefined;
    if (!recurrence) throw ApiError.notFound(`event ${occurrence.id}: its series was not found`);
    const zone = ownZoneOf(master);
    const stored = storedTimesOf(master);
    const occStored = storedTimesOf(occurrence);
    // a series holding a date Outlook does not accept (null walls) cannot be split from its times
    if (stored.startWall === null || stored.endWall === null || occStored.startWall === null) {
      throw validationError([{ field: 'start', message: 'the series holds a date outside 1601-01-01 to 4500-12-31; set start and end for the whole series first' }]);
    }
    const masterTimes = { startWall: stored.startWall, endWall: stored.endWall };
    const occTimes = { startWall: occStored.startWall };
    const occDate = occTimes.startWall.slice(0, 10);
    if (occDate <= recurrence.range.startDate) return null;
    // The occurrence as scheduled: an exception is put back on the series' time of day.
    const startWall = occurrence.type === 'occurrence' ? occTimes.startWall : `${occDate}${masterTimes.startWall.slice(10)}`;
    const endWall = formatFloatingMs(floating(startWall) + floating(masterTimes.endWall) - floating(masterTimes.startWall));

    let range: PatternedRecurrence['range'];
    if (recurrence.range.type === 'numbered') {
      const before = await this.freeBusy.instances(user, master.id, zonedToUtc(masterTimes.startWall, zone).toISOString(), zonedToUtc(startWall, zone).toISOString());
      const remaining = (recurrence.range.numberOfOccurrences ?? 0) - before.length;
      if (remaining < 1) throw validationError([{ field: 'scope', message: 'no occurrence of the series is left from this one on' }]);
      range = { ...recurrence.range, startDate: occDate, numberOfOccurrences: remaining };
    } else {
      range = { ...recurrence.range, startDate: occDate };
    }
    const base: StoredTimes = { type: 'seriesMaster', startWall, endWall, zone, recurrence: { pattern: recurrence.pattern, range } };
    // Every check happens here, before anything is written.
    const plan = buildPatch(form, base);
    const officeHours = isOfficeHoursEvent(master);
    const body: GraphEventWrite = {
      subject: master.subject ?? '',
      body: { contentType: 'text', content: master.body?.content ?? '' },
      location: { displayName: master.location?.displayName ?? '' },
      attendees: (master.attendees ?? []).map((a) => ({
        emailAddress: { address: a.emailAddress.address ?? '', ...(a.emailAddress.name ? { name: a.emailAddress.name } : {}) },
        type: (a.type ?? 'required') as 'required' | 'optional' | 'resource',
      })),
      isOnlineMeeting: master.isOnlineMeeting ?? false,
      ...(master.isOnlineMeeting && master.onlineMeetingProvider ? { onlineMeetingProvider: master.onlineMeetingProvider as GraphEventWrite['onlineMeetingProvider'] } : {}),
      ...(master.categories?.length ? { categories: master.categories } : {}),
      ...(officeHours ? officeHoursTags() : {}),
      start: { dateTime: startWall, timeZone: zone },
      end: { dateTime: endWall, timeZone: zone },
      recurrence: base.recurrence,
      ...plan.body,
    };
    if (officeHours && body.categories && !body.categories.includes(officeHoursTags().categories?.[0] ?? '')) {
      body.categories = [...body.categories, ...(officeHoursTags().categories ?? [])];
    }
    const series = await this.calendar.create(user, { ...body, transactionId: randomTransactionId() });
    await this.endBefore(user, master.id, recurrence, occDate);
    return { series, previousSeriesId: master.id, officeHours };
  }

  /**
   * Cancels "this and following occurrences": the series ends the day before the occurrence (its
   * earlier occurrences stay). False when the occurrence is the series' first: then the caller
   * cancels the whole series.
   */
  async cancelFollowing(user: string, occurrence: GraphEvent): Promise<boolean> {
    const master = await this.masterOf(user, occurrence);
    const recurrence = master.recurrence as PatternedRecurrence | null | undefined;
    if (!recurrence) throw ApiError.notFound(`event ${occurrence.id}: its series was not found`);
    const occStart = storedTimesOf(occurrence).startWall;
    if (occStart === null) throw validationError([{ field: 'scope', message: 'the occurrence holds a date outside 1601-01-01 to 4500-12-31' }]);
    const occDate = occStart.slice(0, 10);
    if (occDate <= recurrence.range.startDate) return false;
    await this.endBefore(user, master.id, recurrence, occDate);
    return true;
  }

  /** The series master of an occurrence (400 naming scope for anything but an occurrence id). */
  private async masterOf(user: string, occurrence: GraphEvent): Promise<GraphEvent> {
    if ((occurrence.type !== 'occurrence' && occurrence.type !== 'exception') || !occurrence.seriesMasterId) {
      throw validationError([{ field: 'scope', message: 'scope=following applies to one occurrence of a series (an occurrence id)' }]);
    }
    return this.calendar.get(user, occurrence.seriesMasterId);
  }

  /** The series' recurrence range ends the day before `date` (YYYY-MM-DD). */
  private async endBefore(user: string, masterId: string, recurrence: PatternedRecurrence, date: string): Promise<void> {
    const dayBefore = new Date(Date.parse(`${date}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    await this.calendar.patch(user, masterId, {
      recurrence: {
        pattern: recurrence.pattern,
        range: { type: 'endDate', startDate: recurrence.range.startDate, endDate: dayBefore, recurrenceTimeZone: recurrence.range.recurrenceTimeZone, numberOfOccurrences: 0 },
      } as PatternedRecurrence,
    });
  }
}
