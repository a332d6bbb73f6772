// The Create Event page's scheduling help in a real browser (Debian's Chromium through
// playwright-core) against the built stack: zone search, directory type-ahead, conflicts as you
// pick a time, Suggest times (with and without JavaScript), a double submit creating one event,
// the conflicts notice on the detail page, and the last-synced time beside Refresh; axe on each.
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { EventDetail, Page as Listing } from '@ocb/service-clients';
import { Platform, uniqueWord, wallTime, type SimUserView } from './support/platform';
import { launchBrowser, noSeriousAxe } from './support/browser';
import { PLATFORM, stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const WEB = info.urls.web;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let organizer: SimUserView;
let attendee: SimUserView;
const word = uniqueWord('Assist');
// Six days out; the attendee is busy 03:00–04:00 UTC = 12:00–13:00 in Tokyo (no daylight saving).
const day = wallTime(6, 0).slice(0, 10);


async function eventsTitled(title: string): Promise<EventDetail[]> {
  const res = await fetch(`${info.urls.sync}/api/users/${encodeURIComponent(organizer.userPrincipalName)}/events?${new URLSearchParams({ q: title, from: `${day}T00:00:00Z` })}`, { headers: PLATFORM });
  return ((await res.json()) as Listing<EventDetail>).items.filter((e) => e.subject === title);
}

async function setValue(selector: string, value: string): Promise<void> {
  await page.locator(selector).evaluate((el, v) => {
    const input = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
    input.value = v;
    const g = globalThis as unknown as { Event: new (type: string, init: { bubbles: boolean }) => unknown };
    input.dispatchEvent(new g.Event('change', { bubbles: true }));
  }, value);
}

beforeAll(async () => {
  await p.resetFaults();
  const users = (await p.users()).filter((u) => u.hasMailbox);
  // not the last user (web-pages.e2e.ts signs in as that one), nor scheduling.e2e.ts's organizer
  organizer = users.filter((u) => u.userPrincipalName !== 'debra.berg@contoso.com')[3]!;
  // a colleague in the organizer's zone: suggestions fall in both people's working hours
  attendee = users.find((u) => u.userPrincipalName !== organizer.userPrincipalName && u.timeZone === organizer.timeZone)!;
  await p.connect(organizer.userPrincipalName);
  await p.adminOk('POST', `/users/${encodeURIComponent(attendee.userPrincipalName)}/events`, {
    subject: `${word} attendee busy`,
    start: { dateTime: `${day}T03:00:00`, timeZone: 'UTC' },
    end: { dateTime: `${day}T04:00:00`, timeZone: 'UTC' },
  });
  browser = await launchBrowser();
  context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto(`${WEB}/events/new`);
  await page.click('main a.button');
  await page.locator('a.user', { hasText: organizer.displayName }).first().click();
  await page.waitForURL(/\/events/);
});

afterAll(async () => {
  await browser?.close();
});

test('the zone search narrows the select by keyboard; the browser zone is the default', async () => {
  await page.goto(`${WEB}/events/new`);
  expect(await page.inputValue('#timeZone')).toBe('Tokyo Standard Time');
  await page.focus('#timeZone-filter');
  await page.keyboard.type('new zealand');
  expect(await page.locator('#timeZone option').count()).toBeLessThan(5);
  expect(await page.inputValue('#timeZone')).toBe('New Zealand Standard Time');
  expect(await page.locator('#timeZone-count').innerText()).toMatch(/^Matching time zones: \d+$/);
  await page.fill('#timeZone-filter', 'tokyo');
  await page.keyboard.press('Enter');
  expect(await page.evaluate('document.activeElement.id')).toBe('timeZone');
  expect(await page.inputValue('#timeZone')).toBe('Tokyo Standard Time');
  await noSeriousAxe(page, 'create-event-zone-search');
});

test('typing part of a colleague’s name lists them; the keyboard picks them; their busy time is named', async () => {
  await page.fill('#title', `${word} clash`);
  await setValue('#start', `${day}T11:30`);
  await setValue('#end', `${day}T12:30`);
  await page.focus('#attendee-1');
  await page.keyboard.type(attendee.displayName.slice(0, 4));
  const option = page.locator('#attendee-1-options [role=option]', { hasText: attendee.displayName });
  await option.waitFor({ timeout: 10_000 });
  expect(await page.getAttribute('#attendee-1', 'aria-expanded')).toBe('true');
  await noSeriousAxe(page, 'create-event-people');
  const n = await page.locator('#attendee-1-options [role=option]').count();
  const index = await page.locator('#attendee-1-options [role=option]').evaluateAll((els, name) => els.findIndex((e) => (e.textContent ?? '').startsWith(name)), attendee.displayName);
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  expect(n).toBeGreaterThan(index);
  await page.keyboard.press('Enter');
  expect(await page.inputValue('#attendee-1')).toBe(attendee.mail);
  await page.locator('#assist-status', { hasText: attendee.mail }).waitFor({ timeout: 8_000 }).catch(async (e: unknown) => { throw new Error(`${String(e)}: status "${await page.locator('#assist-status').innerText()}"`); });
  const status = await page.locator('#assist-status').innerText();
  expect(status).toMatch(/^Busy at that time: /);
  expect(status).toContain('12:00'); // the busy hour in the browser's zone (Tokyo)
  expect(await page.getAttribute('#assist-status', 'aria-live')).toBe('polite');
});

test('Suggest times lists free slots; choosing one fills start and end (and the same works without JavaScript)', async () => {
  await page.click('#suggest-times');
  const slot = page.locator('#suggestions button.slot').first();
  await slot.waitFor({ timeout: 15_000 }).catch(async (e: unknown) => {
    throw new Error(`${String(e)}: status "${await page.locator('#assist-status').innerText()}"`);
  });
  await noSeriousAxe(page, 'create-event-suggestions');
  const start = (await slot.getAttribute('data-start')) ?? '';
  const end = (await slot.getAttribute('data-end')) ?? '';
  expect(start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  expect(Date.parse(`${end}Z`) - Date.parse(`${start}Z`)).toBe(30 * 60_000);
  await slot.click();
  expect(await page.inputValue('#start')).toBe(start);
  expect(await page.inputValue('#end')).toBe(end);
  expect(await page.locator('#assist-status').innerText()).toMatch(/^Start and end set to /);
  // the new time is checked again: the suggested slot is free for everyone
  await page.locator('#assist-status', { hasText: 'All attendees are free at that time.' }).waitFor({ timeout: 10_000 });
  // the busy hour (12:00–13:00 Tokyo on that day) is never suggested
  for (const s of await page.locator('#suggestions button.slot').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset['start'] ?? ''))) {
    expect(s >= `${day}T12:00` && s < `${day}T13:00`).toBe(false);
  }

  // without JavaScript: the second submit button re-renders the form with the slots as buttons
  const csrf = await page.inputValue('input[name=_csrf]');
  const fields = { _csrf: csrf, title: `${word} nojs`, start: `${day}T11:30`, end: `${day}T12:30`, timeZone: 'Tokyo Standard Time', attendees: attendee.mail, duration: '60', assist: 'suggest' };
  const listed = await page.request.post(`${WEB}/events/new/suggest`, { form: fields });
  expect(listed.status()).toBe(200);
  const html = await listed.text();
  const pick = /name="pick" value="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(pick).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  const [ps, pe] = pick.split('|');
  expect(Date.parse(`${pe}Z`) - Date.parse(`${ps}Z`)).toBe(60 * 60_000);
  const filled = await (await page.request.post(`${WEB}/events/new/suggest`, { form: { ...fields, pick } })).text();
  expect(filled).toContain(`id="start" name="start" value="${ps}"`);
  expect(filled).toContain(`id="end" name="end" value="${pe}"`);
  expect(filled).toContain(`value="${word} nojs"`);
});

test('a double submit creates one event; its detail page names the busy attendee', async () => {
  const title = `${word} double`;
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', title);
  await setValue('#start', `${day}T11:30`);
  await setValue('#end', `${day}T12:30`);
  await page.fill('#attendee-1', attendee.mail);
  // the same form sent twice at once, as a double click does
  const answers = (await page.evaluate(`(() => {
    const form = document.querySelector('form[action="/events/new"]');
    const send = () => fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' }).then(async (r) => ({ url: r.url, text: await r.text() }));
    return Promise.all([send(), send()]);
  })()`)) as Array<{ url: string; text: string }>;
  const urls = answers.map((a) => a.url);
  expect(urls[0]).toMatch(/\/events\/[^/]+$/);
  expect(urls[1]).toBe(urls[0]);
  expect(await eventsTitled(title)).toHaveLength(1);
  // the detail page the browser was sent to names the busy attendee (whichever answer it shows last)
  expect(answers.filter((a) => a.text.includes('id="conflict-notice"')).length).toBeGreaterThanOrEqual(1);
  expect(answers.map((a) => a.text).join('')).toContain(attendee.mail);

  // a fresh rendering has a new key: the next create (one click on Save) is a new event
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', title);
  await setValue('#start', `${day}T11:45`);
  await setValue('#end', `${day}T12:15`);
  await page.fill('#attendee-1', attendee.mail);
  await page.click('main button[type=submit]');
  await page.waitForURL(/\/events\/[^/]+$/);
  expect(page.url()).not.toBe(urls[0]);
  expect(await eventsTitled(title)).toHaveLength(2);
  const notice = await page.locator('#conflict-notice').innerText();
  expect(notice).toMatch(/^Created\. Busy at that time: /);
  expect(notice).toContain(attendee.mail);
  await noSeriousAxe(page, 'event-detail-conflicts');
  await page.reload();
  expect(await page.locator('#conflict-notice').count()).toBe(0);
});

test('Refresh shows when the cache was last brought up to date', async () => {
  await page.goto(`${WEB}/events`);
  const before = await page.locator('#last-synced').innerText();
  expect(before).toMatch(/^Last brought up to date: /);
  expect(await page.getAttribute('main form[action="/events/refresh"] button', 'aria-describedby')).toBe('last-synced');
  const clicked = Date.now();
  await page.click('main form[action="/events/refresh"] button');
  await page.waitForURL(`${WEB}/events`);
  const after = await page.locator('#last-synced').innerText();
  expect(after).toMatch(/^Last brought up to date: /);
  const state = (await (await fetch(`${info.urls.sync}/api/users/${encodeURIComponent(organizer.userPrincipalName)}/sync-state`, { headers: PLATFORM })).json()) as { lastSyncedAt: string };
  expect(Date.parse(state.lastSyncedAt)).toBeGreaterThanOrEqual(clicked - 2000);
  const shown = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Tokyo', dateStyle: 'full', timeStyle: 'short' }).format(new Date(state.lastSyncedAt));
  expect(after).toBe(`Last brought up to date: ${shown}`);
  expect(await page.locator('[role=status]').innerText()).toContain(shown);
  await noSeriousAxe(page, 'upcoming-last-synced');
});
