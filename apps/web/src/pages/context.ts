import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { negotiateLocale, translator } from '../i18n/locale';
import '../session/session-data';
import type { PageContext } from '../views/layout';

/** The page context of a request: language, CSRF token, signed-in user. */
export function pageContext(req: Request): PageContext {
  const locale = req.session.locale ?? negotiateLocale(req.headers['accept-language']);
  req.session.csrf ??= randomBytes(24).toString('base64url');
  const unread = req.res?.locals['unread'];
  return { t: translator(locale), locale, csrf: req.session.csrf, path: req.originalUrl, user: req.session.user, unread: typeof unread === 'number' ? unread : 0 };
}
