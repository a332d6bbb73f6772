import type { FeedNotification, PlatformClient } from '@ocb/service-clients';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { pageContext } from './context';
import { html } from '../views/html';
import { layout } from '../views/layout';
import { requireUser } from './auth.routes';
import type { PageDeps } from './deps';
import { errorPage } from './errors';
import { dateTime, userZone } from './format';

const items = (r: { items: FeedNotification[] } | FeedNotification[]) => (Array.isArray(r) ? r : r.items);

/** The bell: reminders newer than the last visit of the Reminders page (a down feed shows 0, never an error page). */
export function bellCount(platform: PlatformClient) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const user = req.session.user;
    if (req.method === 'GET' && user && !req.path.startsWith('/static')) {
      try {
        const feed = items(await platform.notifications(user.upn));
        const seen = req.session.remindersSeenAt ?? '';
        res.locals['unread'] = feed.filter((n) => n.dueAt > seen).length;
      } catch {
        res.locals['unread'] = 0;
      }
    }
    next();
  };
}

export function remindersRoutes(deps: PageDeps): Router {
  const r = Router();
  r.get('/reminders', requireUser, async (req, res) => {
    try {
      const feed = items(await deps.platform.notifications(req.session.user?.upn ?? ''));
      req.session.remindersSeenAt = new Date().toISOString();
      res.locals['unread'] = 0;
      const ctx = pageContext(req);
      const zone = userZone(req.headers.cookie);
      const body = feed.length
        ? html`<ul class="events">${feed.map(
            (n) => html`<li><a href="/events/${encodeURIComponent(n.event.id)}">${n.message}</a> <span>${dateTime(n.event.startUtc, ctx.locale, zone)}</span></li>`,
          )}</ul>`
        : html`<p>${ctx.t('noReminders')}</p>`;
      res.type('html').send(layout(ctx, ctx.t('reminders'), body));
    } catch (e) {
      errorPage(req, res, e);
    }
  });
  return r;
}
