import { ServiceError, type OfficeHoursSeries, type TimeZoneInfo, type WrittenEventDetail } from '@ocb/service-clients';
import { Router, type Request, type Response } from 'express';
import { pageContext } from './context';
import { requireUser } from './auth.routes';
import type { PageDeps } from './deps';
import { errorPage } from './errors';
import { detailToFields, withListedZone, type Fields } from './event-edit.mapping';
import { notOrganizerPage } from './event-edit.view';
import { fieldOf } from './event-form.routes';
import { userZone } from './format';
import { changedOfficeHours, recurs, toOfficeHoursForm } from './office-hours.mapping';
import { cancelOfficeHoursForm, officeHoursFormPage, officeHoursListPage, overlapNotice } from './office-hours.view';

const upn = (req: Request) => req.session.user?.upn ?? '';
const list = (r: { items: OfficeHoursSeries[] } | OfficeHoursSeries[]) => (Array.isArray(r) ? r : r.items);

/** My Office Hours (`/office-hours`), create (`/office-hours/new`), edit and cancel (`/office-hours/{id}/edit`). */
export function officeHoursRoutes(deps: PageDeps): Router {
  const r = Router();
  let zones: TimeZoneInfo[] | undefined;
  const timeZones = async () => (zones ??= await deps.platform.timeZones());

  /** After a save: back to the list, with the overlap warning (or "saved") as its notice. */
  const saved = (req: Request, res: Response, written: WrittenEventDetail) => {
    req.session.flash = overlapNotice(pageContext(req), written.conflicts, userZone(req.headers.cookie));
    req.session.flashWarn = Boolean(written.conflicts?.length);
    req.session.save(() => res.redirect(303, '/office-hours')); // saved first: the browser's GET must find the flash
  };

  /** A service's 4xx beside its field; consent → connect; anything else → the error page. */
  const failed = (err: unknown, errors: Record<string, string>, self: string): string | null => {
    if (err instanceof ServiceError && err.code === 'CONSENT_REQUIRED') return `/connect?returnTo=${encodeURIComponent(self)}`;
    if (!(err instanceof ServiceError) || err.status >= 500 || err.status === 404 || err.status === 403) throw err;
    errors[fieldOf(err.message) || 'title'] = err.message;
    return null;
  };

  const check = (req: Request, f: Fields): Record<string, string> => {
    const ctx = pageContext(req);
    const errors: Record<string, string> = {};
    for (const k of ['start', 'end'] as const) if (!String(f[k] ?? '').trim()) errors[k] = ctx.t('required');
    if (!recurs(f)) errors['recurrence'] = ctx.t('mustRecur');
    return errors;
  };

  r.get('/office-hours', requireUser, async (req, res) => {
    const ctx = pageContext(req);
    try {
      const series = list(await deps.platform.officeHours(upn(req)));
      const titled = await Promise.all(
        series.map(async (s) => ({ ...s, title: await deps.platform.event(upn(req), s.id).then((d) => d.subject || ctx.t('officeHoursTitle'), () => ctx.t('officeHoursTitle')) })),
      );
      const text = req.session.flash;
      const notice = text ? { text, warn: req.session.flashWarn === true } : undefined;
      req.session.flash = undefined;
      req.session.flashWarn = undefined;
      res.type('html').send(officeHoursListPage(ctx, titled, userZone(req.headers.cookie), notice));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  r.get('/office-hours/new', requireUser, async (req, res) => {
    const ctx = pageContext(req);
    try {
      res.type('html').send(officeHoursFormPage(ctx, await timeZones(), {}, {}, '/office-hours/new', ctx.t('createOfficeHours')));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  r.post('/office-hours/new', requireUser, async (req, res) => {
    const ctx = pageContext(req);
    const f = req.body as Fields;
    try {
      const errors = check(req, f);
      if (!Object.keys(errors).length) {
        try {
          return saved(req, res, await deps.platform.createOfficeHours(upn(req), toOfficeHoursForm(f)));
        } catch (err) {
          const to = failed(err, errors, '/office-hours/new');
          if (to) return res.redirect(303, to);
        }
      }
      res.status(400).type('html').send(officeHoursFormPage(ctx, await timeZones(), f, errors, '/office-hours/new', ctx.t('createOfficeHours')));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  const editPage = async (req: Request, id: string, f: Fields, errors: Record<string, string>) => {
    const ctx = pageContext(req);
    const self = `/office-hours/${encodeURIComponent(id)}/edit`;
    return officeHoursFormPage(ctx, await timeZones(), f, errors, self, ctx.t('editOfficeHours'), cancelOfficeHoursForm(ctx, id));
  };

  /** The office hours series the user organizes (404 for anything else, 403 for someone else's). */
  const load = async (req: Request, res: Response) => {
    const e = await deps.platform.event(upn(req), String(req.params['id']));
    if (!e.isOfficeHours || e.type !== 'seriesMaster') throw new ServiceError(404, 'NOT_FOUND', 'not office hours');
    if (!e.isOrganizer) {
      res.status(403).type('html').send(notOrganizerPage(pageContext(req), e.id));
      return null;
    }
    return e;
  };

  r.get('/office-hours/:id/edit', requireUser, async (req, res) => {
    try {
      const e = await load(req, res);
      if (e) res.type('html').send(await editPage(req, e.id, withListedZone(detailToFields(e), await timeZones()), {}));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  r.post('/office-hours/:id/edit', requireUser, async (req, res) => {
    const f = req.body as Fields;
    try {
      const e = await load(req, res);
      if (!e) return;
      const errors = check(req, f);
      if (!Object.keys(errors).length) {
        try {
          const patch = changedOfficeHours(withListedZone(detailToFields(e), await timeZones()), f);
          return saved(req, res, Object.keys(patch).length ? await deps.platform.editOfficeHours(upn(req), e.id, patch) : e);
        } catch (err) {
          const to = failed(err, errors, `/office-hours/${encodeURIComponent(e.id)}/edit`);
          if (to) return res.redirect(303, to);
        }
      }
      res.status(400).type('html').send(await editPage(req, e.id, f, errors));
    } catch (err) {
      errorPage(req, res, err);
    }
  });

  r.post('/office-hours/:id/cancel', requireUser, async (req, res) => {
    const id = String(req.params['id']);
    if ((req.body as Record<string, unknown>)['confirm'] !== 'yes') return res.redirect(303, `/office-hours/${encodeURIComponent(id)}/edit`);
    try {
      const e = await load(req, res);
      if (!e) return;
      await deps.platform.cancelEvent(upn(req), e.id);
      req.session.flash = pageContext(req).t('officeHoursCancelled');
      req.session.save(() => res.redirect(303, '/office-hours')); // saved first: the browser's GET must find the flash
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'CONSENT_REQUIRED') return res.redirect(303, `/connect?returnTo=${encodeURIComponent(`/office-hours/${id}/edit`)}`);
      errorPage(req, res, err);
    }
  });
  return r;
}
