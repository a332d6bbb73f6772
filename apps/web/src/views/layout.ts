import type { Translate } from '../i18n/locale';
import { LOCALE_NAMES, LOCALES } from '../i18n/locale';
import { html, type Safe } from './html';

export interface PageContext {
  t: Translate;
  locale: string;
  csrf: string;
  path: string;
  user?: { name: string; upn: string };
  unread?: number;
}

export function layout(ctx: PageContext, title: string, body: Safe): string {
  const { t } = ctx;
  const nav = ctx.user
    ? html`<nav aria-label="${t('appName')}"><ul>
        <li><a href="/events">${t('upcoming')}</a></li>
        <li><a href="/events/new">${t('createEvent')}</a></li>
        <li><a href="/office-hours">${t('officeHours')}</a></li>
        <li><a href="/reminders" class="bell" aria-label="${t('remindersCount', { n: ctx.unread ?? 0 })}"><span aria-hidden="true">🔔</span> <span class="count" data-bell>${ctx.unread ?? 0}</span></a></li>
      </ul>
      <form method="post" action="/sign-out" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">${t('signOut')}</button></form></nav>`
    : html``;
  const switcher = html`<form method="post" action="/locale" class="inline locale">
      <input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="returnTo" value="${ctx.path}">
      <label for="locale">${t('language')}</label>
      <select id="locale" name="locale">${LOCALES.map((l) => html`<option value="${l}" lang="${l}"${l === ctx.locale ? html` selected` : html``}>${LOCALE_NAMES[l]}</option>`)}</select>
      <button type="submit">${t('change')}</button></form>`;
  return `<!doctype html>${html`<html lang="${ctx.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t('appName')}</title><link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script><script src="/static/assist.js" defer></script></head>
<body><a class="skip" href="#main">${t('skip')}</a>
<header><span class="brand">${t('appName')}</span>${nav}${switcher}</header>
<main id="main" tabindex="-1"><h1>${title}</h1>${body}</main></body></html>`.value}`;
}
