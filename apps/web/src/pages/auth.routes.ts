import { Router, type Request, type Response, type NextFunction } from 'express';
import type { PageDeps } from './deps';
import { pageContext } from './context';
import { html } from '../views/html';
import { layout } from '../views/layout';

const localPath = (v: unknown): string => {
  const s = typeof v === 'string' ? v : '';
  return s.startsWith('/') && !s.startsWith('//') ? s : '/events';
};

/** Pages need a signed-in user; an ended session gets the sign-in page with a notice. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.session.user) return next();
  const ctx = pageContext(req);
  const hadSession = Boolean(req.headers.cookie?.includes('ocb.sid='));
  res
    .status(401)
    .type('html')
    .send(
      layout(
        ctx,
        ctx.t('signIn'),
        html`${hadSession ? html`<p role="alert">${ctx.t('sessionExpired')}</p>` : html``}<p>${ctx.t('signInLead')}</p>
        <p><a class="button" href="/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}">${ctx.t('signIn')}</a></p>`,
      ),
    );
}

export function authRoutes(deps: PageDeps): Router {
  const r = Router();
  r.get('/', (req, res) => res.redirect(req.session.user ? '/events' : '/sign-in'));
  r.get('/sign-in', async (req, res, next) => {
    try {
      const { url, pending } = await deps.oidc.begin(localPath(req.query['returnTo']));
      req.session.pending = pending;
      req.session.save(() => res.redirect(url));
    } catch (e) {
      next(e);
    }
  });
  r.get('/auth/callback', async (req, res, next) => {
    const pending = req.session.pending;
    const code = typeof req.query['code'] === 'string' ? req.query['code'] : '';
    if (!pending || !code || req.query['state'] !== pending.state) {
      res.redirect('/sign-in');
      return;
    }
    try {
      const user = await deps.oidc.complete(code, pending);
      const locale = req.session.locale;
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.user = user;
        if (locale) req.session.locale = locale;
        req.session.save(() => res.redirect(pending.returnTo));
      });
    } catch (e) {
      next(e);
    }
  });
  r.post('/sign-out', (req, res) => {
    req.session.destroy(() => {
      res.clearCookie('ocb.sid');
      res.redirect(303, '/sign-in');
    });
  });
  /** Auth's connect flow (Outlook consent), returning to the page the user was on. */
  r.get('/connect', requireUser, (req, res) => {
    const back = `${deps.config.WEB_PUBLIC_URL.replace(/\/+$/, '')}${localPath(req.query['returnTo'])}`;
    const url = new URL('/api/auth/connect', deps.config.AUTH_PUBLIC_URL);
    url.searchParams.set('user', req.session.user?.upn ?? '');
    url.searchParams.set('returnUrl', back);
    res.redirect(url.toString());
  });
  return r;
}
