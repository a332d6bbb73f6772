// The microapp pages in a real browser (Debian's Chromium through playwright-core) against the
// built stack: sign in, connect Outlook, create, find, open, cancel; field errors; languages; axe.
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchBrowser, noSeriousAxe } from './support/browser';
import { stackInfo } from './support/stack';

const info = stackInfo();
const WEB = info.urls.web;

let browser: Browser;
let context: BrowserContext;
let page: Page;


beforeAll(async () => {
  const key = { Authorization: 'Bearer dev-platform-key' };
  const started = await fetch(`${info.urls.sync}/api/sync/full`, { method: 'POST', headers: key });
  const { runId } = (await started.json()) as { runId: string };
  for (let i = 0; i < 120; i++) {
    const run = (await (await fetch(`${info.urls.sync}/api/sync/runs/${runId}`, { headers: key })).json()) as { status: string };
    if (run.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchBrowser();
  context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

test('sign in through the identity platform user picker lands on Upcoming events grouped by day', async () => {
  await page.goto(`${WEB}/events`);
  await noSeriousAxe(page, 'sign-in');
  await page.click('main a.button');
  await page.locator('a.user').last().click();
  await page.waitForURL(`${WEB}/events`);
  expect(await page.locator('h1').innerText()).toBe('Upcoming events');
  expect(await page.locator('h2.day').count()).toBeGreaterThan(0);
  await noSeriousAxe(page, 'upcoming');
});

test('bad input shows the message beside its field and writes nothing', async () => {
  await page.goto(`${WEB}/events/new`);
  await noSeriousAxe(page, 'create-event');
  await page.fill('#title', 'Should not exist zq');
  await page.fill('#start', '2027-01-12T10:00');
  await page.fill('#end', '2027-01-12T09:00');
  await page.click('main button[type=submit]');
  expect(await page.locator('#end-error').innerText()).toContain('end');
  expect(await page.getAttribute('#end', 'aria-invalid')).toBe('true');
  await noSeriousAxe(page, 'create-event-error');
  await page.goto(`${WEB}/events?q=zq`);
  expect(await page.locator('main').innerText()).toContain('No upcoming events.');
});

test('create a weekly online event with eight attendees (connecting Outlook first), find it, open its detail, cancel it', async () => {
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', 'Browser weekly sync');
  await page.fill('#start', '2027-01-12T10:00');
  await page.fill('#end', '2027-01-12T11:00');
  await page.selectOption('#timeZone', 'Pacific Standard Time');
  await page.check('#rt-weekly');
  await page.check('#day-tuesday');
  await page.fill('#count', '4');
  const emails = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `web.guest${n}@fabrikam.com`);
  for (let i = 0; i < emails.length; i++) {
    if (i > 0) await page.click('[data-add-attendee]');
    await page.fill(`#attendee-${i + 1}`, emails[i] ?? '');
  }
  await page.check('#isOnlineMeeting');
  await page.click('main button[type=submit]');
  // not yet connected: auth's connect flow, then back to the form
  await page.waitForLoadState();
  await page.waitForURL(/\/events\/new\?connected=1$/, { timeout: 15000 }).catch(async (e: unknown) => {
    throw new Error(`${String(e)} at ${page.url()}: ${(await page.content()).slice(0, 800)}`);
  });
  await page.fill('#title', 'Browser weekly sync');
  await page.fill('#start', '2027-01-12T10:00');
  await page.fill('#end', '2027-01-12T11:00');
  await page.selectOption('#timeZone', 'Pacific Standard Time');
  await page.check('#rt-weekly');
  await page.check('#day-tuesday');
  await page.fill('#count', '4');
  for (let i = 0; i < emails.length; i++) {
    if (i > 0) await page.click('[data-add-attendee]');
    await page.fill(`#attendee-${i + 1}`, emails[i] ?? '');
  }
  await page.check('#isOnlineMeeting');
  await page.click('main button[type=submit]');
  await page.waitForURL(/\/events\/[^/]+$/);
  expect(await page.locator('h1').innerText()).toBe('Browser weekly sync');
  expect(await page.locator('main a', { hasText: 'Join meeting' }).count()).toBe(1);
  expect(await page.locator('main li').count()).toBeGreaterThanOrEqual(8);
  await noSeriousAxe(page, 'event-detail');

  await page.goto(`${WEB}/events?q=${encodeURIComponent('browser weekly')}`);
  expect(await page.locator('ul.events li').count()).toBe(4);
  await page.locator('ul.events a').first().click();
  await page.check('#confirm');
  await page.click('text=Yes, cancel it');
  await page.waitForURL(`${WEB}/events`);
  expect(await page.locator('[role=status]').innerText()).toContain('cancelled');
});

test('an event starting in an hour puts its reminder under the bell, linking to its detail', async () => {
  // due (start − 60 min lead) a few seconds from now
  const start = new Date(Math.ceil((Date.now() + 60 * 60_000 + 8_000) / 1000) * 1000);
  const end = new Date(start.getTime() + 30 * 60_000);
  const wall = (d: Date) => d.toISOString().slice(0, 19);
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', 'Browser reminder check');
  await page.locator('#start').evaluate((el, v) => ((el as unknown as { value: string }).value = v), wall(start));
  await page.locator('#end').evaluate((el, v) => ((el as unknown as { value: string }).value = v), wall(end));
  await page.selectOption('#timeZone', 'UTC');
  await page.click('main button[type=submit]');
  await page.waitForURL(/\/events\/[^/]+$/);
  const detailUrl = new URL(page.url()).pathname;
  let count = 0;
  for (let i = 0; i < 40 && count === 0; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    await page.goto(`${WEB}/events`);
    count = Number(await page.locator('[data-bell]').innerText());
  }
  expect(count).toBeGreaterThan(0);
  await page.click('a.bell');
  await page.waitForURL(`${WEB}/reminders`);
  await noSeriousAxe(page, 'reminders');
  const link = page.locator('main a', { hasText: 'Browser reminder check' }).first();
  expect(await link.getAttribute('href')).toBe(detailUrl);
  expect(await page.locator('[data-bell]').innerText()).toBe('0');
});

test('the language switcher changes every string, and a 360 px phone gets the same accessible page', async () => {
  await page.goto(`${WEB}/events`);
  await page.selectOption('#locale', 'de');
  await page.click('form.locale button');
  await page.waitForURL(`${WEB}/events`);
  expect(await page.locator('h1').innerText()).toBe('Anstehende Termine');
  expect(await page.getAttribute('html', 'lang')).toBe('de');
  await noSeriousAxe(page, 'upcoming-de');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${WEB}/events/new`);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(Number(overflow)).toBeLessThanOrEqual(0);
  await noSeriousAxe(page, 'create-event-de-360');
});

test('a POST without the CSRF token is refused', async () => {
  const res = await page.request.post(`${WEB}/events/refresh`, { form: { _csrf: 'wrong' } });
  expect(res.status()).toBe(403);
});
