// Journey 5 — changes made behind the services' back (another Outlook client, through the
// simulator's admin API) show up after a Refresh; deletions leave after a Refresh or a full sync.
// The stack runs with change notifications (they bring such changes within seconds on their own:
// change-notifications.e2e.ts); here the simulator drops every one, so what this proves is the
// safety net: with no notification arriving, Refresh and the sync runs still bring every change.
import type { EventDetail, SubscriptionsState } from '@ocb/service-clients';
import { Platform, eventually, sleep, uniqueWord, wallTime } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const USER = 'emily.braun@contoso.com';
const u = encodeURIComponent(USER);

async function createOutOfBand(subject: string, daysAhead: number): Promise<string> {
  const r = await p.admin<{ id: string }>('POST', `/users/${u}/events`, {
    subject,
    start: { dateTime: wallTime(daysAhead, 9), timeZone: 'AUS Eastern Standard Time' },
    end: { dateTime: wallTime(daysAhead, 10), timeZone: 'AUS Eastern Standard Time' },
    location: { displayName: 'Harbour room' },
    body: { contentType: 'text', content: 'made in another client' },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

describe(`out-of-band changes in the mailbox (${info.database})`, () => {
  const word = uniqueWord('Wombat');
  let id: string;

  let droppedBefore: number;

  beforeAll(async () => {
    await p.resetFaults();
    await p.adminOk('PATCH', '/subscriptions/settings', { dropRate: 1 });
    // the mailbox is subscribed (the end of a full sync subscribes it), so notifications are really dropped
    const me = await p.user(USER);
    const subscribed = async () => (await p.expect<SubscriptionsState>(200, 'sync', 'GET', '/api/sync/subscriptions')).subscriptions.some((s) => s.userId === me.id) || undefined;
    if (!(await subscribed())) await p.fullSync();
    await eventually('the subscription of the mailbox', subscribed, 10_000, 100);
    droppedBefore = (await p.adminOk<{ notificationsDropped: number }>('GET', '/subscriptions/stats')).notificationsDropped;
    await p.refresh(USER);
  });

  afterAll(async () => {
    // the changes above were notified, and every notification was dropped
    expect((await p.adminOk<{ notificationsDropped: number }>('GET', '/subscriptions/stats')).notificationsDropped).toBeGreaterThanOrEqual(droppedBefore + 5);
    await p.adminOk('PATCH', '/subscriptions/settings', { dropRate: 0 });
  });

  it('an event created elsewhere shows up after Refresh', async () => {
    id = await createOutOfBand(`${word} offsite`, 5);
    // longer than a notification takes (change-notifications.e2e.ts): none came, the cache has not moved
    await sleep(1500);
    expect(await p.cachedEvents(USER, { q: word })).toHaveLength(0);
    const r = await p.refresh(USER);
    expect(r.eventsUpserted).toBeGreaterThanOrEqual(1);
    const items = await p.cachedEvents(USER, { q: word });
    expect(items.map((e) => [e.id, e.subject, e.location])).toEqual([[id, `${word} offsite`, 'Harbour room']]);
  });

  it('an event changed elsewhere shows the change after Refresh', async () => {
    const r = await p.admin('PATCH', `/users/${u}/events/${encodeURIComponent(id)}`, {
      subject: `${word} offsite moved`,
      start: { dateTime: wallTime(6, 13), timeZone: 'AUS Eastern Standard Time' },
      end: { dateTime: wallTime(6, 14), timeZone: 'AUS Eastern Standard Time' },
    });
    expect(r.status).toBe(200);
    await p.refresh(USER);
    const detail = await p.expect<EventDetail>(200, 'sync', 'GET', `/api/users/${u}/events/${encodeURIComponent(id)}`);
    expect(detail.subject).toBe(`${word} offsite moved`);
    expect(detail.start).toEqual({ dateTime: expect.stringMatching(new RegExp(`^${wallTime(6, 13)}`)), timeZone: 'AUS Eastern Standard Time' });
  });

  it('an event deleted elsewhere disappears after Refresh', async () => {
    expect((await p.admin('DELETE', `/users/${u}/events/${encodeURIComponent(id)}`)).status).toBe(204);
    const r = await p.refresh(USER);
    expect(r.eventsRemoved).toBeGreaterThanOrEqual(1);
    expect(await p.cachedEvents(USER, { q: word })).toHaveLength(0);
    const gone = await p.call('sync', 'GET', `/api/users/${u}/events/${encodeURIComponent(id)}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('with every notification dropped, an event created elsewhere arrives by the next delta poll (no Refresh)', async () => {
    const polled = await createOutOfBand(`${word} polled`, 7);
    await sleep(1500);
    expect(await p.cachedEvents(USER, { q: `${word} polled` })).toHaveLength(0);
    const started = await p.expect<{ runId: string }>(202, 'sync', 'POST', '/api/sync/delta');
    expect((await p.waitRun(started.runId, 60_000)).status).toBe('succeeded');
    expect((await p.cachedEvents(USER, { q: `${word} polled` })).map((e) => e.id)).toEqual([polled]);
    expect((await p.admin('DELETE', `/users/${u}/events/${encodeURIComponent(polled)}`)).status).toBe(204);
    await p.refresh(USER);
  });

  it('an event deleted elsewhere disappears at the next full sync (no Refresh)', async () => {
    const other = await createOutOfBand(`${word} retro`, 8);
    await p.refresh(USER);
    expect((await p.cachedEvents(USER, { q: word })).map((e) => e.id)).toEqual([other]);
    expect((await p.admin('DELETE', `/users/${u}/events/${encodeURIComponent(other)}`)).status).toBe(204);
    const run = await p.fullSync();
    expect(run.status).toBe('succeeded');
    expect(await p.cachedEvents(USER, { q: word })).toHaveLength(0);
  });
});
