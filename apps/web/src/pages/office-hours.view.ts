import type { OfficeHoursSeries, ScheduleConflict, TimeZoneInfo } from '@ocb/service-clients';
import { html, type Safe } from '../views/html';
import { layout, type PageContext } from '../views/layout';
import type { Fields } from './event-edit.mapping';
import { dateTime, timeRange } from './format';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const TYPES = ['daily', 'weekly', 'monthly'] as const;

function field(name: string, label: string, control: Safe, errors: Record<string, string>): Safe {
  const err = errors[name];
  return html`<div class="field"><label for="${name}">${label}</label>${control}${err ? html`<p class="error" id="${name}-error">${err}</p>` : html``}</div>`;
}

/** The office hours form: title, start, end, time zone, recurrence (daily / weekly / monthly, interval, days, end), description. */
export function officeHoursFormPage(ctx: PageContext, zones: TimeZoneInfo[], f: Fields, errors: Record<string, string>, action: string, title: string, after: Safe = html``): string {
  const v = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const inv = (k: string) => (errors[k] ? html` aria-invalid="true" aria-describedby="${k}-error"` : html``);
  const days = Array.isArray(f['daysOfWeek']) ? (f['daysOfWeek'] as string[]) : [v('daysOfWeek')];
  const rt = v('recurrenceType') || 'weekly';
  const weekday = (d: string) => new Intl.DateTimeFormat(ctx.locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + DAYS.indexOf(d))));
  const body = html`${Object.keys(errors).length ? html`<p class="error" role="alert">${ctx.t('fixErrors')}</p>` : html``}
  <form method="post" action="${action}" novalidate><input type="hidden" name="_csrf" value="${ctx.csrf}">
  ${field('title', ctx.t('title'), html`<input type="text" id="title" name="title" value="${v('title') || ctx.t('officeHoursTitle')}"${inv('title')}>`, errors)}
  ${field('start', ctx.t('start'), html`<input type="datetime-local" id="start" name="start" value="${v('start')}"${inv('start')}>`, errors)}
  ${field('end', ctx.t('end'), html`<input type="datetime-local" id="end" name="end" value="${v('end')}"${inv('end')}>`, errors)}
  ${field('timeZone', ctx.t('timeZone'), html`<select id="timeZone" name="timeZone" data-default-browser${v('timeZone') ? html` data-chosen="1"` : html``}${inv('timeZone')}>${zones.map(
    (z) => html`<option value="${z.id}" data-iana="${z.iana}"${z.id === (v('timeZone') || 'UTC') ? html` selected` : html``}>${z.displayName}</option>`,
  )}</select>`, errors)}
  <fieldset${errors['recurrence'] ? html` aria-describedby="recurrence-error"` : html``}><legend>${ctx.t('recurrence')}</legend>
  ${TYPES.map((t) => html`<input type="radio" id="rt-${t}" name="recurrenceType" value="${t}"${t === rt ? html` checked` : html``}> <label class="inline" for="rt-${t}">${ctx.t(t)}</label> `)}
  ${field('interval', ctx.t('interval'), html`<input type="number" min="1" id="interval" name="interval" value="${v('interval')}">`, errors)}
  <fieldset><legend>${ctx.t('days')}</legend>${DAYS.map((d) => html`<input type="checkbox" id="day-${d}" name="daysOfWeek" value="${d}"${days.includes(d) ? html` checked` : html``}> <label class="inline" for="day-${d}">${weekday(d)}</label> `)}</fieldset>
  ${field('until', ctx.t('until'), html`<input type="date" id="until" name="until" value="${v('until')}">`, errors)}
  ${field('count', ctx.t('count'), html`<input type="number" min="1" id="count" name="count" value="${v('count')}">`, errors)}
  ${errors['recurrence'] ? html`<p class="error" id="recurrence-error">${errors['recurrence']}</p>` : html``}</fieldset>
  ${field('description', ctx.t('description'), html`<textarea id="description" name="description" rows="3"${inv('description')}>${v('description')}</textarea>`, errors)}
  <button type="submit">${ctx.t('save')}</button></form>${after}`;
  return layout(ctx, title, body);
}

/** Cancel the whole office hours series, after the confirmation checkbox. */
export function cancelOfficeHoursForm(ctx: PageContext, id: string): Safe {
  return html`<form method="post" action="/office-hours/${encodeURIComponent(id)}/cancel"><input type="hidden" name="_csrf" value="${ctx.csrf}">
  <fieldset><legend>${ctx.t('cancelOfficeHours')}</legend><input type="checkbox" id="confirm" name="confirm" value="yes" required> <label for="confirm" class="inline">${ctx.t('cancelOfficeHoursConfirm')}</label><br><button type="submit">${ctx.t('confirm')}</button></fieldset></form>`;
}

/** The overlap warning of a save: the organizer's own events at those times. */
export function overlapNotice(ctx: PageContext, conflicts: ScheduleConflict[] | null | undefined, zone: string): string {
  if (!conflicts?.length) return ctx.t('officeHoursSaved');
  const list = conflicts.slice(0, 5).map((c) => `${c.subject ?? '—'} (${dateTime(c.startUtc, ctx.locale, zone)})`);
  return ctx.t('officeHoursOverlap', { list: `${list.join('; ')}${conflicts.length > 5 ? ' …' : ''}` });
}

/** My Office Hours: each series with its next occurrences in the user's zone, an Edit link; empty state. */
export function officeHoursListPage(ctx: PageContext, series: Array<OfficeHoursSeries & { title: string }>, zone: string, notice: { text: string; warn: boolean } | undefined): string {
  const items = series.map(
    (s) => html`<section><h2 class="day">${s.title}</h2>${s.description ? html`<p>${s.description}</p>` : html``}
    <h3>${ctx.t('nextOccurrences')}</h3>${s.nextOccurrences.length
      ? html`<ul class="events">${s.nextOccurrences.map((o) => html`<li>${dateTime(o.startUtc, ctx.locale, zone)} <span>(${timeRange(o.startUtc, o.endUtc, ctx.locale, zone)})</span></li>`)}</ul>`
      : html`<p>${ctx.t('noNextOccurrences')}</p>`}
    <p><a href="/office-hours/${encodeURIComponent(s.id)}/edit" aria-label="${ctx.t('editOfficeHours')}: ${s.title}">${ctx.t('edit')}</a></p></section>`,
  );
  const body = html`${notice ? html`<p class="notice${notice.warn ? ' warn' : ''}" role="${notice.warn ? 'alert' : 'status'}">${notice.text}</p>` : html``}
  <p><a class="button" href="/office-hours/new">${ctx.t('createOfficeHours')}</a></p>
  ${items.length ? items : html`<p>${ctx.t('noOfficeHours')}</p>`}`;
  return layout(ctx, ctx.t('officeHours'), body);
}
