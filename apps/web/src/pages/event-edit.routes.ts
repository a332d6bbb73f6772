import { ServiceError, type EventDetail, type TimeZoneInfo } from '@ocb/service-clients';
import { Router, type Request, type Response } from 'express';
import { pageContext } from './context';
import { html } from '../views/html';
import { layout } from '../views/layout';
import { requireUser } from './auth.routes';
import type { PageDeps } from './deps';
import { errorPage } from './errors';
import { changedForm, detailToFields, needsScope, scopeOf, withListedZone, type Fields } from './event-edit.mapping';
import { cancelForm, notOrganizerPage, officeHoursLink, scopeFieldset } from './event-edit.view';
import { eventFormPage, fieldOf } from './event-form.routes';

const upn = (req: Request) => req.session.user?.upn ?? '';
const consent = (e: unknown) => e instanceof ServiceError && e.code === 'CONSENT_REQUIRED';
const forbidden = (e: unknown) => e instanceof ServiceError && e.status === 403;

/** Edit Event (`/events/{id}/edit`, organizer only) and cancel with scope (`POST /events/{id}/cancel`). */
export function eventEditRoutes(deps: PageDeps): Router {
  const r = Router();
  let zones: TimeZoneInfo[] | undefined;
  const timeZones = async () => (zones ??= await deps.platform.timeZones());

  /** The event with the fields of its form (an occurrence's recurrence is its series'). */
  const load = async (req: Request) => deps.platform.event(upn(req), String(req.params['id']));
  const prefill = async (e: EventDetail) => withListedZone(detailToFields(e), await timeZones());

  const page = async (req: Request, e: EventDetail, f: Fields, errors: Record<string, string>) => {
    const ctx = pageContext(req);
    const action = `/events/${encodeURIComponent(e.id)}/edit`;
    const scope = needsScope(e) ? scopeFieldset(ctx, typeof f['scope'] === 'string' ? f['scope'] : '', errors['scope']) : html``;
    return eventFormPage(ctx, await timeZones(), f, errors, action, ctx.t('editEvent'), { extra: scope, after: cancelForm(ctx, e) });
  };

  /** The organizer's event, or the page that says why not (403 / office hours). */
  const guard = (req: Request, res: Response, e: EventDetail): boolean => {
    const ctx = pageContext(req);
    if (!e.isOrganizer) {
      res.status(403).type('html').send(notOrganizerPage(ctx, e.id));
      return false;
    }
    if (e.isOfficeHours) {
      res.type('html').send(layout(ctx, ctx.t('editEvent'), html`<p>${ctx.t('editOfficeHoursThere')}</p>${officeHoursLink(ctx, e)}`));
      return false;
    }
    return true;
  };

  r.get('/events/:id/edit', requireUser, async (req, res) => {
    try {
      const e = await load(req);
      if (guard(req, res, e)) res.type('html').send(await page(req, e, await prefill(e), {}));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  r.post('/events/:id/edit', requireUser, async (req, res) => {
    const ctx = pageContext(req);
    const f = req.body as Fields;
    const self = `/events/${encodeURIComponent(String(req.params['id']))}/edit`;
    try {
      const e = await load(req);
      if (!guard(req, res, e)) return;
      const errors: Record<string, string> = {};
      for (const k of ['title', 'start', 'end'] as const) if (!String(f[k] ?? '').trim()) errors[k] = ctx.t('required');
      const scope = scopeOf(e, f['scope']);
      if (!scope) errors['scope'] = ctx.t('chooseScope');
      if (!Object.keys(errors).length && scope) {
        try {
          const patch = changedForm(await prefill(e), f);
          const written = Object.keys(patch).length ? await deps.platform.editEvent(upn(req), e.id, patch, scope) : e;
          req.session.flash = ctx.t('saved');
          // saved first: the browser's GET must find the flash
          return req.session.save(() => res.redirect(303, `/events/${encodeURIComponent(written.id)}`));
        } catch (err) {
          if (consent(err)) return res.redirect(303, `/connect?returnTo=${encodeURIComponent(self)}`);
          if (forbidden(err)) return res.status(403).type('html').send(notOrganizerPage(ctx, e.id));
          if (!(err instanceof ServiceError) || err.status >= 500 || err.status === 404) throw err;
          errors[err.message.startsWith('scope') ? 'scope' : fieldOf(err.message) || 'title'] = err.message;
        }
      }
      res.status(400).type('html').send(await page(req, e, f, errors));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  r.post('/events/:id/cancel', requireUser, async (req, res) => {
    const id = String(req.params['id']);
    const body = req.body as Record<string, unknown>;
    if (body['confirm'] !== 'yes') return res.redirect(303, `/events/${encodeURIComponent(id)}`);
    try {
      const e = await load(req);
      if (!e.isOrganizer) return res.status(403).type('html').send(notOrganizerPage(pageContext(req), id));
      // actions cancels the occurrence, the series, or this and the following occurrences (the series ends before it)
      // (a single event or a series master is cancelled itself: no scope)
      const scope = needsScope(e) ? (scopeOf(e, body['scope']) ?? 'occurrence') : undefined;
      await deps.platform.cancelEvent(upn(req), e.id, scope);
      req.session.flash = pageContext(req).t('cancelled');
      req.session.save(() => res.redirect(303, '/events')); // saved first: the browser's GET must find the flash
    } catch (err) {
      if (consent(err)) return res.redirect(303, `/connect?returnTo=${encodeURIComponent(`/events/${id}`)}`);
      if (forbidden(err)) return res.status(403).type('html').send(notOrganizerPage(pageContext(req), id));
      errorPage(req, res, err);
    }
  });
  return r;
}
