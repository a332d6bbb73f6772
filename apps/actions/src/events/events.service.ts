import { isOfficeHoursEvent } from '@ocb/graph-client';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { GraphEvent } from '@ocb/graph-client';
import { ApiError } from '@ocb/http';
import type { WrittenEventDetail } from '@ocb/service-clients';
import { UserCalendar } from '../graph/user-calendar';
import { IdempotencyService, type IdempotentStart } from '../idempotency/idempotency.service';
import { randomTransactionId, requestHash } from '../idempotency/transaction-id';
import { CacheRefresh } from '../sync/cache-refresh.service';
import { storedTimesOf } from './event-detail.mapper';
import type { EventForm } from './event-form';
import { buildPatch, checkForm, toGraphEvent, validationError } from './form-mapper';
import type { EditScope } from './event.dto';
import { SchedulingService } from '../scheduling/scheduling.service';
import { SeriesSplit } from './series-split';

export interface WriteOptions {
  /** The event is (to be) office hours: recurring, tagged, edited as a series. */
  officeHours?: boolean;
}

export interface CreateResult {
  status: number;
  body: WrittenEventDetail;
}

const isInstance = (e: GraphEvent) => e.type === 'occurrence' || e.type === 'exception';

/**
 * Writes to the user's Outlook calendar as the user: create (idempotent), edit (organizer only;
 * an occurrence or its whole series), cancel. Every form is checked completely before anything is
 * sent; every write is followed by a refresh of the user's cache before the answer.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);

  constructor(
    private readonly calendar: UserCalendar,
    private readonly idempotency: IdempotencyService,
    private readonly cache: CacheRefresh,
    private readonly scheduling: SchedulingService,
    private readonly split: SeriesSplit,
  ) {}

  async create(user: string, form: EventForm, idempotencyKey: string | undefined, options: WriteOptions = {}): Promise<CreateResult> {
    const key = IdempotencyService.checkKey(idempotencyKey);
    const graphEvent = toGraphEvent(checkForm(form, { officeHours: options.officeHours }), options);
    const token = await this.calendar.connect(user);
    let start: Extract<IdempotentStart, { kind: 'proceed' }> | undefined;
    if (key !== undefined) {
      const begun = await this.idempotency.begin(token.userId, key, requestHash(options.officeHours ? 'office-hours' : 'events', form));
      if (begun.kind === 'replay') return { status: begun.status, body: begun.body as WrittenEventDetail };
      start = begun;
    }
    const created = await this.calendar.create(user, { ...graphEvent, transactionId: start?.transactionId ?? randomTransactionId() });
    // The event exists from here on: nothing below may turn the answer into an error.
    const detail = await this.cache.detailAfterWrite(user, created, 'create');
    // Who is busy then (for office hours: the organizer's own events); the write is not refused.
    const body = { ...detail, conflicts: await this.scheduling.conflictsOf(user, created, options) };
    if (start) {
      await this.idempotency.complete(start.recordId, HttpStatus.CREATED, body, created.id).catch((e: unknown) => {
        this.logger.warn(`could not store the result of Idempotency-Key for ${created.id}: ${(e as Error).message}`);
      });
    }
    return { status: HttpStatus.CREATED, body };
  }

  /**
   * PATCH. An occurrence id with scope `occurrence` (default) changes that occurrence (Graph keeps
   * it as an exception); with `series`, the series master, its time shifted by the occurrence's
   * change. A series or single event id edits that event. Office hours always edit their series.
   */
  async update(user: string, eventId: string, form: EventForm, scope: EditScope | undefined, options: WriteOptions = {}): Promise<WrittenEventDetail> {
    const checked = checkForm(form, { partial: true, officeHours: options.officeHours });
    const event = await this.organizerEvent(user, eventId);
    if (scope === 'following' && !options.officeHours) {
      const result = await this.split.thisAndFollowing(user, event, checked);
      if (result) {
        const detail = await this.cache.detailAfterWrite(user, result.series, 'edit following');
        return { ...detail, previousSeriesId: result.previousSeriesId, conflicts: await this.scheduling.conflictsOf(user, result.series, { officeHours: result.officeHours }) };
      }
      // the first occurrence: "this and following" is the whole series
      scope = 'series';
    }
    let target = event;
    let anchor: GraphEvent | undefined;
    const wholeSeries = options.officeHours || scope === 'series';
    if (isInstance(event) && wholeSeries) {
      if (!event.seriesMasterId) throw ApiError.notFound(`event ${eventId}: its series was not found`);
      target = await this.calendar.get(user, event.seriesMasterId);
      anchor = event;
    }
    if (options.officeHours && (target.type !== 'seriesMaster' || !isOfficeHoursEvent(target))) {
      throw ApiError.notFound(`office hours ${eventId}: not an office hours series of ${user}`);
    }
    const plan = buildPatch(checked, storedTimesOf(target), {
      anchor: anchor ? storedTimesOf(anchor) : undefined,
      officeHours: options.officeHours,
    });
    const written = plan.changed ? await this.calendar.patch(user, target.id, plan.body) : target;
    const detail = await this.cache.detailAfterWrite(user, written, 'edit');
    return { ...detail, conflicts: await this.scheduling.conflictsOf(user, written, options) };
  }

  /**
   * DELETE: the organizer cancels the event. An occurrence id with scope `occurrence` (default)
   * cancels that occurrence; `series` the whole series; `following` this and the following
   * occurrences (the series ends the day before it; from the first occurrence, the whole series).
   */
  async cancel(user: string, eventId: string, scope: EditScope = 'occurrence'): Promise<void> {
    const event = await this.organizerEvent(user, eventId);
    let target = eventId;
    if (scope !== 'occurrence') {
      if (!isInstance(event) || !event.seriesMasterId) {
        throw validationError([{ field: 'scope', message: `scope=${scope} applies to one occurrence of a series (an occurrence id)` }]);
      }
      target = event.seriesMasterId;
      if (scope === 'following' && (await this.split.cancelFollowing(user, event))) {
        await this.cache.refresh(user, 'cancel following');
        return;
      }
    }
    await this.calendar.delete(user, target);
    await this.cache.refresh(user, 'cancel');
  }

  /** The event as Graph has it in the user's own mailbox (404), which the user must organize (403). */
  private async organizerEvent(user: string, eventId: string): Promise<GraphEvent> {
    await this.calendar.connect(user);
    const event = await this.calendar.get(user, eventId);
    if (event.isOrganizer !== true) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'NOT_ORGANIZER', `event ${eventId}: only its organizer can change or cancel it`);
    }
    return event;
  }
}
