// The edit pages in a real browser (Debian's Chromium through playwright-core) against the built
// stack: edit an event, "this and following" on a weekly series (checked in sync's cache), cancel
// with confirmation and scope, office hours list / create (overlap warning) / edit / cancel, and
// no Edit for someone who is only an attendee. axe on every new page; the controls reachable by Tab.
import type { EventDetail } from '@ocb/service-clients';
import { type Browser, type Page } from 'playwright-core';
import { Platform, uniqueWord, wallTime } from './support/platform';
import { launchBrowser, noSeriousAxe } from './support/browser';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const WEB = info.urls.web;
const word = uniqueWord('Wedit');
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

let browser: Browser;
let page: Page;
let me = '';
let other = '';


/** Tab from the top of the page until `selector` has the focus (keyboard reachable). */
async function reachByTab(pg: Page, selector: string): Promise<void> {
  await pg.locator('body').focus();
  for (let i = 0; i < 120; i++) {
    await pg.keyboard.press('Tab');
    if (await pg.locator(selector).first().evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)) return;
  }
  throw new Error(`${selector} is not reachable with Tab on ${pg.url()}`);
}

/** Fill the event form's times (UTC) and submit it. */
async function fillTimes(pg: Page, start: string, end: string): Promise<void> {
  await pg.fill('#start', start.slice(0, 16));
  await pg.fill('#end', end.slice(0, 16));
  await pg.selectOption('#timeZone', 'UTC');
}

async function submit(pg: Page, urlAfter: RegExp | string): Promise<void> {
  await pg.click('main form[novalidate] button[type=submit]');
  await pg.waitForURL(urlAfter).catch(async (e: unknown) => {
    throw new Error(`${String(e)} at ${pg.url()}: ${(await pg.locator('main').innerText()).slice(0, 800)}`);
  });
}

const mine = (q: string) => p.cachedEvents(me, { q, limit: 50 });

beforeAll(async () => {
  const users = (await p.users()).map((u) => u.userPrincipalName).sort();
  // not the users the other journeys organize with, so that their calendars stay apart
  me = users.find((u) => u.startsWith('megan')) ?? users[users.length - 2] ?? '';
  other = users.find((u) => u.startsWith('lee')) ?? users[0] ?? '';
  await p.connect(me);
  await p.connect(other);
  browser = await launchBrowser();
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto(`${WEB}/office-hours`);
  await page.click('main a.button');
  await page.locator(`a.user[data-upn="${me}"]`).click();
  await page.waitForURL(`${WEB}/office-hours`);
});

afterAll(async () => {
  await browser?.close();
});

test('an event created through the page is edited through its Edit link; the new title shows on its detail', async () => {
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', `${word} single`);
  await fillTimes(page, wallTime(20, 9), wallTime(20, 10));
  await page.fill('#location', 'Room 7');
  await submit(page, /\/events\/[^/]+$/);
  await reachByTab(page, 'main a[href$="/edit"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/edit$/);
  expect(await page.locator('h1').innerText()).toBe('Edit event');
  expect(await page.inputValue('#title')).toBe(`${word} single`);
  expect(await page.inputValue('#start')).toBe(wallTime(20, 9).slice(0, 16));
  expect(await page.inputValue('#location')).toBe('Room 7');
  expect(await page.inputValue('#timeZone')).toBe('UTC');
  expect(await page.locator('input[name=scope]').count()).toBe(0);
  await noSeriousAxe(page, 'edit-event');
  await page.fill('#title', `${word} single renamed`);
  await reachByTab(page, 'main form[novalidate] button[type=submit]');
  await Promise.all([page.waitForURL(/\/events\/[^/]+$/), page.keyboard.press('Enter')]);
  expect(await page.locator('h1').innerText()).toBe(`${word} single renamed`);
  expect(await page.locator('[role=status]').innerText()).toBe('Saved.');
  expect(await page.locator('main').innerText()).toContain('Room 7');
});

test('"this and following" from the 3rd of 6 weekly occurrences: 2 + 4, the change only in the new series; then cancel the rest of it from its 2nd', async () => {
  const start = wallTime(15, 8);
  const day = DAYS[new Date(`${start.slice(0, 10)}T00:00:00Z`).getUTCDay()] ?? 'monday';
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', `${word} weekly`);
  await fillTimes(page, start, wallTime(15, 9));
  await page.check('#rt-weekly');
  await page.check(`#day-${day}`);
  await page.fill('#count', '6');
  await submit(page, /\/events\/[^/]+$/);

  await page.goto(`${WEB}/events?q=${encodeURIComponent(`${word} weekly`)}`);
  expect(await page.locator('ul.events a').count()).toBe(6);
  await page.locator('ul.events a').nth(2).click();
  await page.click('main a[href$="/edit"]');
  await page.waitForURL(/\/edit$/);
  expect(await page.isChecked('#rt-weekly')).toBe(true);
  expect(await page.inputValue('#count')).toBe('6');
  // the choice is required: without it, the page says so beside the choice and writes nothing
  await page.fill('#title', `${word} weekly later`);
  await page.click('main form[novalidate] button[type=submit]');
  expect(await page.locator('#scope-error').innerText()).toContain('Choose');
  await noSeriousAxe(page, 'edit-occurrence-scope-error');
  expect((await mine(`${word} weekly later`)).length).toBe(0);
  await page.check('#scope-following');
  await submit(page, /\/events\/[^/]+$/);
  expect(await page.locator('h1').innerText()).toBe(`${word} weekly later`);

  const all = await mine(`${word} weekly`);
  const bySeries = new Map<string, EventDetail[]>();
  for (const e of all) bySeries.set(e.seriesMasterId ?? e.id, [...(bySeries.get(e.seriesMasterId ?? e.id) ?? []), e]);
  const lines = [...bySeries.values()].map((list) => [list.length, [...new Set(list.map((e) => e.subject))]]).sort((a, b) => Number(a[0]) - Number(b[0]));
  expect(lines).toEqual([
    [2, [`${word} weekly`]],
    [4, [`${word} weekly later`]],
  ]);

  // cancel "this and following" from the new series' 2nd occurrence: 1 of it is left
  const later = all.filter((e) => e.subject === `${word} weekly later`).sort((a, b) => a.startUtc.localeCompare(b.startUtc));
  await page.goto(`${WEB}/events/${encodeURIComponent(later[1]?.id ?? '')}`);
  expect(await page.isChecked('#cancel-scope-occurrence')).toBe(true);
  await page.check('#cancel-scope-following');
  await page.check('#confirm');
  await page.click('text=Yes, cancel it');
  await page.waitForURL(`${WEB}/events`);
  const left = await mine(`${word} weekly later`);
  expect(left.map((e) => e.startUtc)).toEqual([later[0]?.startUtc]);
});

test('one occurrence of a series gets its own title ("this occurrence"), then the whole series is cancelled ("all occurrences")', async () => {
  const start = wallTime(25, 13);
  const day = DAYS[new Date(`${start.slice(0, 10)}T00:00:00Z`).getUTCDay()] ?? 'monday';
  await page.goto(`${WEB}/events/new`);
  await page.fill('#title', `${word} trio`);
  await fillTimes(page, start, wallTime(25, 14));
  await page.check('#rt-weekly');
  await page.check(`#day-${day}`);
  await page.fill('#count', '3');
  await submit(page, /\/events\/[^/]+$/);

  await page.goto(`${WEB}/events?q=${encodeURIComponent(`${word} trio`)}`);
  expect(await page.locator('ul.events a').count()).toBe(3);
  await page.locator('ul.events a').nth(1).click();
  await page.click('main a[href$="/edit"]');
  await page.waitForURL(/\/edit$/);
  await page.check('#scope-occurrence');
  await page.fill('#title', `${word} trio middle`);
  await submit(page, /\/events\/[^/]+$/);
  expect(await page.locator('h1').innerText()).toBe(`${word} trio middle`);
  const three = (await mine(`${word} trio`)).sort((a, b) => a.startUtc.localeCompare(b.startUtc));
  expect(three.map((e) => e.subject)).toEqual([`${word} trio`, `${word} trio middle`, `${word} trio`]);
  expect(new Set(three.map((e) => e.seriesMasterId)).size).toBe(1);

  await page.goto(`${WEB}/events/${encodeURIComponent(three[0]?.id ?? '')}`);
  await page.check('#cancel-scope-series');
  await page.check('#confirm');
  await page.click('text=Yes, cancel it');
  await page.waitForURL(`${WEB}/events`);
  expect(await mine(`${word} trio`)).toEqual([]);
});

test('cancel an event only after confirming', async () => {
  const made = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${encodeURIComponent(me)}/events`, {
    title: `${word} to cancel`,
    start: wallTime(22, 13),
    end: wallTime(22, 14),
    timeZone: 'UTC',
  });
  await page.goto(`${WEB}/events/${encodeURIComponent(made.id)}/edit`);
  // without the confirmation nothing happens
  await page.locator('#confirm').evaluate((el) => (el as unknown as { removeAttribute(name: string): void }).removeAttribute('required'));
  await page.click('text=Yes, cancel it');
  await page.waitForURL(/\/events\/[^/]+$/);
  expect((await mine(`${word} to cancel`)).length).toBe(1);
  await page.check('#confirm');
  await page.click('text=Yes, cancel it');
  await page.waitForURL(`${WEB}/events`);
  expect(await page.locator('[role=status]').innerText()).toContain('cancelled');
  expect((await mine(`${word} to cancel`)).length).toBe(0);
});

test('office hours: create through the page (warned of an overlap), listed with next occurrences, edited, cancelled', async () => {
  const start = wallTime(30, 15);
  const day = DAYS[new Date(`${start.slice(0, 10)}T00:00:00Z`).getUTCDay()] ?? 'monday';
  await p.expect(201, 'actions', 'POST', `/api/users/${encodeURIComponent(me)}/events`, {
    title: `${word} clash`,
    start: wallTime(30, 15, 30),
    end: wallTime(30, 16, 30),
    timeZone: 'UTC',
  });
  const before = await p.expect<unknown[]>(200, 'sync', 'GET', `/api/users/${encodeURIComponent(me)}/office-hours`);
  await page.goto(`${WEB}/office-hours`);
  if (before.length === 0) expect(await page.locator('main').innerText()).toContain('You have no office hours yet.');
  else expect(await page.locator('main section').count()).toBe(before.length);
  await noSeriousAxe(page, 'office-hours');
  await reachByTab(page, 'main a[href="/office-hours/new"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${WEB}/office-hours/new`);
  await noSeriousAxe(page, 'office-hours-new');
  // bad input: actions' message beside its field, nothing written
  await page.fill('#title', `${word} office hours`);
  await fillTimes(page, start, wallTime(30, 14));
  await page.click('main form[novalidate] button[type=submit]');
  expect(await page.locator('#end-error').innerText()).toContain('end');
  expect(await page.getAttribute('#end', 'aria-invalid')).toBe('true');
  await noSeriousAxe(page, 'office-hours-new-error');
  await fillTimes(page, start, wallTime(30, 16));
  await page.check('#rt-weekly');
  await page.check(`#day-${day}`);
  await page.fill('#count', '5');
  await page.fill('#description', 'Bring your questions');
  await submit(page, `${WEB}/office-hours`);
  const warning = await page.locator('p.notice.warn[role=alert]').innerText();
  expect(warning).toContain('overlap');
  expect(warning).toContain(`${word} clash`);
  const section = page.locator('main section', { hasText: `${word} office hours` });
  expect(await section.locator('li').count()).toBeGreaterThan(0);
  expect(await section.innerText()).toContain('Bring your questions');
  await noSeriousAxe(page, 'office-hours-warning');

  // an occurrence's detail (and the event edit page) send the organizer to the office hours page
  const listed = await p.expect<Array<{ id: string; nextOccurrences: Array<{ id: string | null }> }>>(200, 'sync', 'GET', `/api/users/${encodeURIComponent(me)}/office-hours`);
  const seriesId = decodeURIComponent((await section.locator('a', { hasText: 'Edit' }).getAttribute('href'))?.split('/')[2] ?? '');
  const series = listed.find((s) => s.id === seriesId);
  const occurrence = series?.nextOccurrences[0]?.id ?? '';
  await page.goto(`${WEB}/events/${encodeURIComponent(occurrence)}`);
  expect(await page.locator('main a', { hasText: 'Edit office hours' }).getAttribute('href')).toBe(`/office-hours/${encodeURIComponent(series?.id ?? '')}/edit`);
  expect(await page.locator('main a[href^="/events/"][href$="/edit"]').count()).toBe(0);
  await page.goto(`${WEB}/events/${encodeURIComponent(occurrence)}/edit`);
  expect(await page.locator('main a', { hasText: 'Edit office hours' }).count()).toBe(1);
  await page.goto(`${WEB}/office-hours`);

  await section.locator('a', { hasText: 'Edit' }).click();
  await page.waitForURL(/\/office-hours\/[^/]+\/edit$/);
  expect(await page.inputValue('#title')).toBe(`${word} office hours`);
  expect(await page.inputValue('#count')).toBe('5');
  await noSeriousAxe(page, 'office-hours-edit');
  await page.fill('#description', 'Now with coffee');
  await submit(page, `${WEB}/office-hours`);
  expect(await page.locator('main section', { hasText: `${word} office hours` }).innerText()).toContain('Now with coffee');

  await page.locator('main section', { hasText: `${word} office hours` }).locator('a', { hasText: 'Edit' }).click();
  await page.waitForURL(/\/edit$/);
  await page.check('#confirm');
  await page.click('text=Yes, cancel it');
  await page.waitForURL(`${WEB}/office-hours`);
  expect(await page.locator('[role=status]').innerText()).toBe('The office hours were cancelled.');
  expect(await page.locator('main section', { hasText: `${word} office hours` }).count()).toBe(0);
});

test('an attendee sees no Edit link, and the edit page answers 403', async () => {
  await p.expect(201, 'actions', 'POST', `/api/users/${encodeURIComponent(other)}/events`, {
    title: `${word} invited`,
    start: wallTime(25, 11),
    end: wallTime(25, 12),
    timeZone: 'UTC',
    attendees: [me],
  });
  await p.expect(200, 'sync', 'POST', `/api/users/${encodeURIComponent(me)}/refresh`);
  const [invited] = await mine(`${word} invited`);
  expect(invited?.isOrganizer).toBe(false);
  await page.goto(`${WEB}/events/${encodeURIComponent(invited?.id ?? '')}`);
  expect(await page.locator('h1').innerText()).toBe(`${word} invited`);
  expect(await page.locator('main a[href$="/edit"]').count()).toBe(0);
  expect(await page.locator('#confirm').count()).toBe(0);
  const res = await page.goto(`${WEB}/events/${encodeURIComponent(invited?.id ?? '')}/edit`);
  expect(res?.status()).toBe(403);
  expect(await page.locator('[role=alert]').innerText()).toContain('Only the organizer');
  await noSeriousAxe(page, 'edit-not-organizer');
});
