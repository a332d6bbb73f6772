import { randomUUID } from 'node:crypto';
import { html, type Safe } from '../views/html';
import type { PageContext } from '../views/layout';

type Fields = Record<string, string | string[]>;

export const DURATIONS = [15, 30, 45, 60, 90, 120];

/** A suggested slot as the form shows it: wall times for the datetime-local fields and a label. */
export interface SlotView {
  start: string;
  end: string;
  label: string;
}

/** What a no-JavaScript "Suggest times" round trip shows: the slots, or a message. */
export interface AssistState {
  slots?: SlotView[];
  message?: string;
}

/** A start to end range in the user's zone, through Intl. */
export function slotLabel(startUtc: string, endUtc: string, locale: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return f.formatRange(new Date(startUtc), new Date(endUtc));
}

/** The chosen meeting length: the duration field, else end − start, else 30 minutes. */
export function durationOf(f: Fields): number {
  const chosen = Number(typeof f['duration'] === 'string' ? f['duration'] : NaN);
  if (DURATIONS.includes(chosen)) return chosen;
  const s = Date.parse(`${String(f['start'] ?? '')}Z`);
  const e = Date.parse(`${String(f['end'] ?? '')}Z`);
  const minutes = (e - s) / 60_000;
  return Number.isFinite(minutes) && minutes >= 5 && minutes <= 1440 ? minutes : 30;
}

/**
 * The scheduling helpers inside the Create Event form: the idempotency key of this rendering,
 * duration and "Suggest times" (a second submit button, so it works without JavaScript), the
 * live region where conflicts and suggestions are announced, and the localized strings app code needs.
 */
export function assistSection(ctx: PageContext, f: Fields, state: AssistState = {}): Safe {
  const duration = durationOf(f);
  const options = DURATIONS.includes(duration) ? DURATIONS : [...DURATIONS, duration].sort((a, b) => a - b);
  return html`<input type="hidden" name="idempotencyKey" value="${randomUUID()}">
  <div id="assist" data-slot-chosen="${ctx.t('slotChosen', { when: '{when}' })}" data-zone-matches="${ctx.t('zoneMatches', { n: '{n}' })}" data-unavailable="${ctx.t('assistUnavailable')}">
  <div class="field"><label for="duration">${ctx.t('duration')}</label><select id="duration" name="duration">${options.map(
    (m) => html`<option value="${String(m)}"${m === duration ? html` selected` : html``}>${ctx.t('minutes', { n: m })}</option>`,
  )}</select></div>
  <button type="submit" id="suggest-times" name="assist" value="suggest" formaction="/events/new/suggest" formnovalidate>${ctx.t('suggestTimes')}</button>
  <p id="assist-status" class="assist-status" role="status" aria-live="polite">${state.message ?? ''}</p>
  <section id="suggestions" aria-labelledby="suggestions-heading"${state.slots?.length ? html`` : html` hidden`}><h2 id="suggestions-heading">${ctx.t('suggestions')}</h2>
  <ul class="slots">${(state.slots ?? []).map(
    (s) => html`<li><button type="submit" class="slot" name="pick" value="${s.start}|${s.end}" formaction="/events/new/suggest" formnovalidate data-start="${s.start}" data-end="${s.end}">${s.label}</button></li>`,
  )}</ul></section></div>`;
}

/** The zone filter (shown by app code; the plain select works without it). */
export function zoneFilter(ctx: PageContext): Safe {
  return html`<div class="field zone-filter" hidden><label for="timeZone-filter">${ctx.t('zoneFilter')}</label><input type="search" id="timeZone-filter" autocomplete="off" aria-controls="timeZone" aria-describedby="timeZone-count"><span id="timeZone-count" class="hint" aria-live="polite"></span></div>`;
}

/** The hint under the attendee rows, tied to the inputs by aria-describedby. */
export function attendeeHint(ctx: PageContext): Safe {
  return html`<p id="attendee-hint" class="hint">${ctx.t('attendeeHint')}</p>`;
}
