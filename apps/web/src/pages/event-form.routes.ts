import { ServiceError, type TimeZoneInfo } from '@ocb/service-clients';
import { Router, type Request, type Response } from 'express';
import { pageContext } from './context';
import { html, type Safe } from '../views/html';
import { layout, type PageContext } from '../views/layout';
import { requireUser } from './auth.routes';
import { rememberConflicts } from './assist-conflicts';
import { assistSection, attendeeHint, zoneFilter, type AssistState } from './assist.view';
import type { PageDeps } from './deps';
import { errorPage } from './errors';

type Fields = Record<string, string | string[]>;
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const FIELDS = ['title', 'start', 'end', 'timeZone', 'recurrence', 'location', 'description', 'attendees'];

/** The form as the actions service takes it. */
export function toEventForm(f: Fields): Record<string, unknown> {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
  const list = (k: string) => (Array.isArray(f[k]) ? (f[k] as string[]) : s(k) ? [s(k)] : []);
  const type = s('recurrenceType') || 'once';
  const recurrence: Record<string, unknown> = { type };
  if (type !== 'once') {
    if (s('interval')) recurrence['interval'] = Number(s('interval'));
    if (type === 'weekly') recurrence['daysOfWeek'] = list('daysOfWeek');
    if (s('until')) recurrence['until'] = s('until');
    if (s('count')) recurrence['count'] = Number(s('count'));
  }
  return {
    title: s('title'),
    start: s('start') ? `${s('start')}:00`.slice(0, 19) : '',
    end: s('end') ? `${s('end')}:00`.slice(0, 19) : '',
    timeZone: s('timeZone'),
    recurrence,
    location: s('location') || undefined,
    description: s('description') || undefined,
    attendees: list('attendees').map((a) => a.trim()).filter(Boolean),
    isOnlineMeeting: s('isOnlineMeeting') === 'on',
  };
}

/** The field a service error names (its message starts with, or mentions, the field). */
export function fieldOf(message: string): string {
  const m = /^([a-zA-Z]+)(?:[.[]|:|\s)/.exec(message);
  const first = m?.[1] ?? '';
  if (FIELDS.includes(first)) return first;
  return FIELDS.find((f) => message.includes(f)) ?? '';
}

function field(ctx: PageContext, name: string, label: string, control: Safe, errors: Record<string, string>): Safe {
  const err = errors[name];
  return html`<div class="field"><label for="${name}">${label}</label>${control}${err ? html`<p class="error" id="${name}-error">${err}</p>` : html``}</div>`;
}

/**
 * The event form, for create and edit. `extra`: the edit page's scope choice, before the submit
 * button; `after`: below the form; `assist`: the create page's scheduling help (conflicts, suggested times).
 */
export function eventFormPage(
  ctx: PageContext,
  zones: TimeZoneInfo[],
  f: Fields,
  errors: Record<string, string>,
  action: string,
  title: string,
  opts: { extra?: Safe; after?: Safe; assist?: AssistState } = {},
): string {
  const v = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const inv = (k: string) => (errors[k] ? html` aria-invalid="true" aria-describedby="${k}-error"` : html``);
  const attendees = Array.isArray(f['attendees']) ? (f['attendees'] as string[]) : v('attendees') ? [v('attendees')] : [''];
  const days = Array.isArray(f['daysOfWeek']) ? (f['daysOfWeek'] as string[]) : [v('daysOfWeek')];
  const rt = v('recurrenceType') || 'once';
  const body = html`${Object.keys(errors).length ? html`<p class="error" role="alert">${ctx.t('fixErrors')}</p>` : html``}
  <form method="post" action="${action}" novalidate><input type="hidden" name="_csrf" value="${ctx.csrf}">
  ${field(ctx, 'title', ctx.t('title'), html`<input type="text" id="title" name="title" value="${v('title')}"${inv('title')}>`, errors)}
  ${field(ctx, 'start', ctx.t('start'), html`<input type="datetime-local" id="start" name="start" value="${v('start')}"${inv('start')}>`, errors)}
  ${field(ctx, 'end', ctx.t('end'), html`<input type="datetime-local" id="end" name="end" value="${v('end')}"${inv('end')}>`, errors)}
  ${zoneFilter(ctx)}
  ${field(ctx, 'timeZone', ctx.t('timeZone'), html`<select id="timeZone" name="timeZone" data-default-browser${v('timeZone') ? html` data-chosen="1"` : html``}${inv('timeZone')}>${zones.map(
    (z) => html`<option value="${z.id}" data-iana="${z.iana}"${z.id === (v('timeZone') || 'UTC') ? html` selected` : html``}>${z.displayName}</option>`,
  )}</select>`, errors)}
  <fieldset><legend>${ctx.t('recurrence')}</legend>
  ${['once', 'daily', 'weekly', 'monthly'].map((t) => html`<input type="radio" id="rt-${t}" name="recurrenceType" value="${t}"${t === rt ? html` checked` : html``}> <label class="inline" for="rt-${t}">${ctx.t(t as 'once')}</label> `)}
  ${field(ctx, 'interval', ctx.t('interval'), html`<input type="number" min="1" id="interval" name="interval" value="${v('interval')}">`, errors)}
  <fieldset><legend>${ctx.t('days')}</legend>${DAYS.map((d) => html`<input type="checkbox" id="day-${d}" name="daysOfWeek" value="${d}"${days.includes(d) ? html` checked` : html``}> <label class="inline" for="day-${d}">${new Intl.DateTimeFormat(ctx.locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + DAYS.indexOf(d))))}</label> `)}</fieldset>
  ${field(ctx, 'until', ctx.t('until'), html`<input type="date" id="until" name="until" value="${v('until')}">`, errors)}
  ${field(ctx, 'count', ctx.t('count'), html`<input type="number" min="1" id="count" name="count" value="${v('count')}">`, errors)}
  ${errors['recurrence'] ? html`<p class="error" id="recurrence-error">${errors['recurrence']}</p>` : html``}</fieldset>
  ${field(ctx, 'location', ctx.t('location'), html`<input type="text" id="location" name="location" value="${v('location')}">`, errors)}
  ${field(ctx, 'description', ctx.t('description'), html`<textarea id="description" name="description" rows="3">${v('description')}</textarea>`, errors)}
  <fieldset><legend>${ctx.t('attendees')}</legend><ul id="attendee-rows" class="events">${attendees.map(
    (a, i) => html`<li><label for="attendee-${i + 1}">${ctx.t('attendee')}</label><input type="email" id="attendee-${i + 1}" name="attendees" value="${a}" autocomplete="off"${inv('attendees')}> <button type="button" data-remove-attendee>${ctx.t('remove')}</button></li>`,
  )}</ul><button type="button" data-add-attendee hidden>${ctx.t('addAttendee')}</button>
  ${errors['attendees'] ? html`<p class="error" id="attendees-error">${errors['attendees']}</p>` : html``}${attendeeHint(ctx)}</fieldset>
  <p><input type="checkbox" id="isOnlineMeeting" name="isOnlineMeeting"${v('isOnlineMeeting') === 'on' ? html` checked` : html``}> <label class="inline" for="isOnlineMeeting">${ctx.t('online')}</label></p>
  ${opts.extra ?? html``}<button type="submit">${ctx.t('save')}</button>
  ${action === '/events/new' ? assistSection(ctx, f, opts.assist) : html``}</form>${opts.after ?? html``}`;
  return layout(ctx, title, body);
}

export function eventFormRoutes(deps: PageDeps): Router {
  const r = Router();
  let zones: TimeZoneInfo[] | undefined;
  const timeZones = async () => (zones ??= await deps.platform.timeZones());
  r.get('/events/new', requireUser, async (req: Request, res: Response) => {
    const ctx = pageContext(req);
    try {
      res.type('html').send(eventFormPage(ctx, await timeZones(), {}, {}, '/events/new', ctx.t('createEvent')));
    } catch (e) {
      errorPage(req, res, e);
    }
  });
  r.post('/events/new', requireUser, async (req: Request, res: Response) => {
    const ctx = pageContext(req);
    const f = req.body as Fields;
    try {
      const errors: Record<string, string> = {};
      for (const k of ['title', 'start', 'end'] as const) if (!String(f[k] ?? '').trim()) errors[k] = ctx.t('required');
      if (!Object.keys(errors).length) {
        try {
          const key = typeof f['idempotencyKey'] === 'string' && /^[\x21-\x7e]{1,255}$/.test(f['idempotencyKey']) ? f['idempotencyKey'] : undefined;
          const created = await deps.platform.createEvent(req.session.user?.upn ?? '', toEventForm(f), key);
          await rememberConflicts(req, created.id, created.conflicts);
          return res.redirect(303, `/events/${encodeURIComponent(created.id)}`);
        } catch (e) {
          if (e instanceof ServiceError && e.code === 'CONSENT_REQUIRED') return res.redirect(303, '/connect?returnTo=/events/new');
          if (!(e instanceof ServiceError) || e.status >= 500 || e.status === 404) throw e;
          errors[fieldOf(e.message) || 'title'] = e.message;
        }
      }
      res.status(400).type('html').send(eventFormPage(ctx, await timeZones(), f, errors, '/events/new', ctx.t('createEvent')));
    } catch (e) {
      errorPage(req, res, e);
    }
  });
  return r;
}
