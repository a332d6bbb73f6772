import type { EventDetail } from '@ocb/service-clients';
import { Router, type Request, type Response } from 'express';
import { pageContext } from './context';
import { html, type Safe } from '../views/html';
import { layout } from '../views/layout';
import { requireUser } from './auth.routes';
import { takeConflictNotice } from './assist-conflicts';
import type { PageDeps } from './deps';
import { errorPage } from './errors';
import { organizerActions } from './event-edit.view';
import { dateTime, dayKey, timeRange, userZone } from './format';

function upn(req: Request): string {
  return req.session.user?.upn ?? '';
}

export function eventsRoutes(deps: PageDeps): Router {
  const r = Router();
  r.get('/events', requireUser, async (req: Request, res: Response) => {
    const ctx = pageContext(req);
    const q = typeof req.query['q'] === 'string' ? req.query['q'].slice(0, 200) : '';
    const cursor = typeof req.query['cursor'] === 'string' ? req.query['cursor'] : undefined;
    try {
      const page = await deps.platform.events(upn(req), { q: q || undefined, cursor, limit: 25 });
      const zone = userZone(req.headers.cookie);
      const groups = new Map<string, EventDetail[]>();
      for (const e of page.items) {
        const k = dayKey(e.startUtc, ctx.locale, zone);
        groups.set(k, [...(groups.get(k) ?? []), e]);
      }
      const list: Safe[] = [...groups].map(
        ([day, items]) => html`<section><h2 class="day">${day}</h2><ul class="events">${items.map(
          (e) => html`<li><a href="/events/${encodeURIComponent(e.id)}">${e.subject || '—'}</a> <span>${timeRange(e.startUtc, e.endUtc, ctx.locale, zone)}</span>${e.location ? html` · ${e.location}` : html``}</li>`,
        )}</ul></section>`,
      );
      const synced = await deps.platform.syncState(upn(req)).catch(() => null);
      const lastSynced = synced?.lastSyncedAt ? ctx.t('lastSynced', { when: dateTime(synced.lastSyncedAt, ctx.locale, zone) }) : ctx.t('neverSynced');
      const refreshed = req.session.flash;
      req.session.flash = undefined;
      const body = html`${refreshed ? html`<p class="notice" role="status">${refreshed}</p>` : html``}
        <form method="get" action="/events" role="search"><label for="q">${ctx.t('search')}</label><input type="search" id="q" name="q" value="${q}"><button type="submit">${ctx.t('search')}</button></form>
        <form method="post" action="/events/refresh"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit" aria-describedby="last-synced">${ctx.t('refresh')}</button> <span id="last-synced" class="hint">${lastSynced}</span></form>
        ${list.length ? list : html`<p>${ctx.t('noEvents')}</p>`}
        ${page.nextCursor ? html`<p><a href="/events?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor }).toString()}">${ctx.t('more')}</a></p>` : html``}`;
      res.type('html').send(layout(ctx, ctx.t('upcoming'), body));
    } catch (e) {
      errorPage(req, res, e);
    }
  });

  r.post('/events/refresh', requireUser, async (req, res) => {
    const ctx = pageContext(req);
    try {
      await deps.platform.refresh(upn(req));
      const synced = await deps.platform.syncState(upn(req)).catch(() => null);
      req.session.flash = ctx.t('lastSynced', { when: dateTime(synced?.lastSyncedAt ?? new Date().toISOString(), ctx.locale, userZone(req.headers.cookie)) });
      req.session.save(() => res.redirect(303, '/events')); // saved first: the browser's GET must find the flash
    } catch (e) {
      errorPage(req, res, e);
    }
  });

  r.get('/events/:id', requireUser, async (req: Request, res: Response) => {
    const ctx = pageContext(req);
    try {
      const e = await deps.platform.event(upn(req), String(req.params['id']));
      const zone = userZone(req.headers.cookie);
      const flash = req.session.flash;
      req.session.flash = undefined;
      const conflictNotice = takeConflictNotice(req, e.id);
      const body = html`${flash ? html`<p class="notice" role="status">${flash}</p>` : html``}${conflictNotice ? html`<p class="notice" role="status" id="conflict-notice">${conflictNotice}</p>` : html``}<dl>
        <dt>${ctx.t('start')}</dt><dd>${dateTime(e.startUtc, ctx.locale, zone)}</dd>
        <dt>${ctx.t('end')}</dt><dd>${dateTime(e.endUtc, ctx.locale, zone)}</dd>
        <dt>${ctx.t('location')}</dt><dd>${e.location ?? '—'}</dd>
        <dt>${ctx.t('organizer')}</dt><dd>${e.organizer.name ?? e.organizer.email ?? '—'}</dd>
        <dt>${ctx.t('attendees')}</dt><dd><ul>${e.attendees.map((a) => html`<li>${a.name ?? a.email} (${a.email})</li>`)}</ul></dd>
        <dt>${ctx.t('description')}</dt><dd>${e.description || '—'}</dd></dl>
        <p>${e.joinUrl ? html`<a class="button" href="${e.joinUrl}">${ctx.t('join')}</a> ` : html``}${e.webLink ? html`<a href="${e.webLink}">${ctx.t('openOutlook')}</a>` : html``}</p>
        ${organizerActions(ctx, e)}`;
      res.type('html').send(layout(ctx, e.subject || '—', body));
    } catch (e) {
      errorPage(req, res, e);
    }
  });

  return r;
}
