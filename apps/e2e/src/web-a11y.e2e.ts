// Every page of the web app through axe-core in a real browser (Debian's Chromium through
// playwright-core): in English and in German (the browser's language), on a 375 px phone and a
// 1280 px desktop. A page
// with a serious or critical violation fails; a screenshot of every page in every combination is
// written to dist/screenshots/ (linked from apps/web/README.md).
import type { EventDetail } from '@ocb/service-clients';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { encodeUser, Platform, uniqueWord, wallTime } from './support/platform';
import { launchBrowser, seriousViolations, SHOTS } from './support/browser';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const WEB = info.urls.web;
const word = uniqueWord('Wa11y');
const WIDTHS = [375, 1280] as const;
const LANGUAGES = [
  { locale: 'en', heading: 'Upcoming events' },
  { locale: 'de', heading: 'Anstehende Termine' },
] as const;

let browser: Browser;
let me = '';
const pages: Array<{ name: string; path: string }> = [];


/** A browser session signed in as `me`, in `locale`, at `width` px. */
async function signedIn(locale: string, width: number): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: locale === 'de' ? 'de-DE' : 'en-US', timezoneId: 'Asia/Tokyo', viewport: { width, height: 900 } });
  const pg = await context.newPage();
  // the browser's language (Accept-Language) picks the catalogue; the switcher has its own test (web-pages)
  await pg.goto(`${WEB}/events`);
  await pg.click('main a.button');
  await pg.locator(`a.user[data-upn="${me}"]`).click();
  await pg.waitForURL(`${WEB}/events`);
  return pg;
}

beforeAll(async () => {
  const users = (await p.users()).map((u) => u.userPrincipalName).sort();
  // a user no other browser journey signs in as, so that its pages stay its own
  me = users.find((u) => u.startsWith('christie')) ?? users[6] ?? '';
  await p.connect(me);
  const u = encodeUser(me);
  const event = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/events`, {
    title: `${word} weekly`,
    start: wallTime(3, 9),
    end: wallTime(3, 10),
    timeZone: 'Tokyo Standard Time',
    recurrence: { type: 'weekly', count: 3 },
    attendees: ['a11y.guest@fabrikam.com'],
    isOnlineMeeting: true,
  });
  const occurrence = (await p.cachedEvents(me, { q: word, limit: 5 })).find((e) => e.seriesMasterId === event.id);
  const officeHours = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/office-hours`, {
    start: wallTime(4, 15),
    end: wallTime(4, 16),
    timeZone: 'Tokyo Standard Time',
    recurrence: { type: 'weekly', count: 4 },
    description: `${word} office hours`,
  });
  pages.push(
    { name: 'upcoming', path: '/events' },
    { name: 'search', path: `/events?q=${encodeURIComponent(word)}` },
    { name: 'create-event', path: '/events/new' },
    { name: 'event-detail', path: `/events/${encodeURIComponent(occurrence?.id ?? event.id)}` },
    { name: 'edit-event', path: `/events/${encodeURIComponent(occurrence?.id ?? event.id)}/edit` },
    { name: 'office-hours', path: '/office-hours' },
    { name: 'create-office-hours', path: '/office-hours/new' },
    { name: 'edit-office-hours', path: `/office-hours/${encodeURIComponent(officeHours.id)}/edit` },
    { name: 'reminders', path: '/reminders' },
    { name: 'not-found', path: '/events/no-such-event' },
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(LANGUAGES)('every page in $locale', ({ locale, heading }) => {
  test.each(WIDTHS)('at %i px: no serious axe violation, nothing wider than the screen', async (width) => {
    const pg = await signedIn(locale, width);
    expect(await pg.locator('h1').innerText()).toBe(heading);
    const found: Record<string, string[]> = {};
    for (const { name, path } of pages) {
      await pg.goto(`${WEB}${path}`);
      const bad = await seriousViolations(pg);
      // no horizontal scrolling on a phone: the page fits its viewport
      const overflow = await pg.evaluate(() => {
        const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return d.scrollWidth - d.clientWidth;
      });
      if (overflow > 1) bad.push(`wider than ${width} px by ${overflow} px`);
      if (bad.length) found[name] = bad;
      await pg.screenshot({ path: join(SHOTS, `${name}-${locale}-${width}.png`), fullPage: true });
    }
    // the language reached every page: the html element says so
    expect(await pg.locator('html').getAttribute('lang')).toBe(locale);
    expect(found).toEqual({});
    await pg.context().close();
  }, 180_000);
});

test('the signed-out page (sign in), in both languages and widths', async () => {
  const found: Record<string, string[]> = {};
  for (const { locale } of LANGUAGES) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: locale === 'de' ? 'de-DE' : 'en-US', viewport: { width, height: 900 } });
      const pg = await context.newPage();
      await pg.goto(`${WEB}/events`);
      expect(await pg.locator('html').getAttribute('lang')).toBe(locale);
      const bad = await seriousViolations(pg);
      if (bad.length) found[`${locale}-${width}`] = bad;
      await pg.screenshot({ path: join(SHOTS, `sign-in-${locale}-${width}.png`), fullPage: true });
      await context.close();
    }
  }
  expect(found).toEqual({});
}, 120_000);
