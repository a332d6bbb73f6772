// Issue #19 — near-real-time cache: the stack runs sync with Graph change notifications (the
// simulator posts to sync's own URL). A change made in Outlook (the simulator's admin API, behind
// the services' back) is in the cache within 2 s, without Refresh or poll, and notifications'
// reminder ledger follows: an event created less than an hour before its start is reminded at once
// with the time left, and a planned reminder is voided or moved when its event is.
import type { EventDetail, SubscriptionsState } from '@ocb/service-clients';
import { Platform, eventually, sleep, uniqueWord } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const USER = 'carla.bertrand@contoso.com';
const u = encodeURIComponent(USER);
const MIN = 60_000;

interface LedgerRow {
  id: string;
  eventId: string;
  startUtc: string;
  status: string;
  reason: string | null;
}

/** `YYYY-MM-DDTHH:mm:ss` of an instant in UTC. */
const utcWall = (ms: number) => new Date(ms).toISOString().slice(0, 19);

async function ledgerOf(eventId: string): Promise<LedgerRow[]> {
  const page = await p.expect<{ items: LedgerRow[] }>(200, 'notifications', 'GET', '/api/notifications/reminders?limit=500');
  return page.items.filter((r) => r.eventId === eventId).sort((a, b) => a.startUtc.localeCompare(b.startUtc));
}

async function received(eventId: string): Promise<Array<{ at: string; body: string }>> {
  const all = (await (await fetch(`${info.receiver}/received`)).json()) as Array<{ at: string; body: string }>;
  return all.filter((r) => r.body.includes(eventId));
}

/** Polls every 25 ms until `done`; the milliseconds it took since `since`. */
async function within(what: string, since: number, done: () => Promise<boolean>): Promise<number> {
  await eventually(what, async () => ((await done()) ? true : undefined), 10_000, 25);
  return Date.now() - since;
}

async function createOutOfBand(subject: string, startMs: number, minutes = 30): Promise<string> {
  const r = await p.admin<{ id: string }>('POST', `/users/${u}/events`, {
    subject,
    start: { dateTime: utcWall(startMs), timeZone: 'UTC' },
    end: { dateTime: utcWall(startMs + minutes * MIN), timeZone: 'UTC' },
    location: { displayName: 'Kiosk' },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

const patchOutOfBand = async (id: string, body: unknown) => expect((await p.admin('PATCH', `/users/${u}/events/${encodeURIComponent(id)}`, body)).status).toBe(200);
const deleteOutOfBand = async (id: string) => expect((await p.admin('DELETE', `/users/${u}/events/${encodeURIComponent(id)}`)).status).toBe(204);
const cached = (id: string) => p.call<EventDetail>('sync', 'GET', `/api/users/${u}/events/${encodeURIComponent(id)}`);

describe(`change notifications: the cache and the reminders follow Outlook within seconds (${info.database})`, () => {
  let userId: string;

  beforeAll(async () => {
    await p.resetFaults();
    await p.adminOk('PATCH', '/subscriptions/settings', { dropRate: 0, delayMs: 0 });
    const me = await p.user(USER);
    expect(me.hasMailbox).toBe(true);
    userId = me.id;
    const subscribed = async () => (await p.expect<SubscriptionsState>(200, 'sync', 'GET', '/api/sync/subscriptions')).subscriptions.find((s) => s.userId === userId);
    // a mailbox is subscribed at the end of the sync run that fetched it first
    if (!(await subscribed())) expect((await p.fullSync()).status).toMatch(/succeeded|partial/);
    const state = await p.expect<SubscriptionsState>(200, 'sync', 'GET', '/api/sync/subscriptions');
    expect(state.enabled).toBe(true);
    await eventually('the subscription of the mailbox', subscribed, 10_000, 100);
  });

  it('an out-of-band create, edit and delete are each in the cache within 2 s (no Refresh, no poll)', async () => {
    const word = uniqueWord('Quokka');
    const startMs = Math.ceil((Date.now() + 3 * 86_400_000) / MIN) * MIN;

    let t = Date.now();
    const id = await createOutOfBand(`${word} standup`, startMs);
    const tookCreate = await within('the create in the cache', t, async () => (await cached(id)).status === 200);
    expect((await cached(id)).body).toMatchObject({ subject: `${word} standup`, location: 'Kiosk', startUtc: new Date(startMs).toISOString() });

    t = Date.now();
    await patchOutOfBand(id, { subject: `${word} standup (moved)`, start: { dateTime: utcWall(startMs + 60 * MIN), timeZone: 'UTC' }, end: { dateTime: utcWall(startMs + 90 * MIN), timeZone: 'UTC' } });
    const tookEdit = await within('the edit in the cache', t, async () => (await cached(id)).body.subject === `${word} standup (moved)`);
    expect((await cached(id)).body.startUtc).toBe(new Date(startMs + 60 * MIN).toISOString());

    t = Date.now();
    await deleteOutOfBand(id);
    const tookDelete = await within('the delete in the cache', t, async () => (await cached(id)).status === 404);
    expect(await p.cachedEvents(USER, { q: word })).toHaveLength(0);

    console.log(`change → cache: create ${tookCreate} ms, edit ${tookEdit} ms, delete ${tookDelete} ms`);
    expect(tookCreate).toBeLessThan(2000);
    expect(tookEdit).toBeLessThan(2000);
    expect(tookDelete).toBeLessThan(2000);
    const sub = (await p.expect<SubscriptionsState>(200, 'sync', 'GET', '/api/sync/subscriptions')).subscriptions.find((s) => s.userId === userId);
    expect(sub?.lastNotificationAt).not.toBeNull();
  });

  it('an event created in Outlook 40 minutes before its start is reminded at once, saying how long is left', async () => {
    const subject = `${uniqueWord('Late')} hallway chat`;
    const startMs = Math.ceil((Date.now() + 40 * MIN) / 1000) * 1000;
    const id = await createOutOfBand(subject, startMs, 15);
    const [call] = await eventually('the reminder of the late event', async () => {
      const got = await received(id);
      return got.length ? got : undefined;
    }, 20_000, 200);
    const body = JSON.parse(call!.body) as { message: string; dueAt: string; event: { id: string; startUtc: string } };
    const left = Math.round((startMs - Date.parse(call!.at)) / MIN);
    expect(left).toBeGreaterThanOrEqual(39);
    expect(body.message).toBe(`Your meeting "${subject}" will start in ${left} minutes.`);
    expect(body.event).toMatchObject({ id, startUtc: new Date(startMs).toISOString() });
    // its due time (start − 1 h) had passed before it existed: decided at once, not skipped
    expect(Date.parse(body.dueAt)).toBeLessThan(Date.parse(call!.at) - 19 * MIN);
    expect((await ledgerOf(id)).map((r) => [r.startUtc, r.status])).toEqual([[new Date(startMs).toISOString(), expect.stringMatching(/^(queued|sent)$/)]]);
    await deleteOutOfBand(id);
  });

  it('a planned reminder follows an out-of-band move (void, planned at the new start) and delete (void), before its due time', async () => {
    const subject = `${uniqueWord('Move')} planning`;
    const startMs = Math.ceil((Date.now() + 75 * MIN) / 1000) * 1000;
    const id = await createOutOfBand(subject, startMs);
    const iso = (ms: number) => new Date(ms).toISOString();
    await eventually('planned', async () => ((await ledgerOf(id)).some((r) => r.status === 'planned') ? true : undefined), 15_000, 200);

    const movedMs = startMs + 30 * MIN;
    await patchOutOfBand(id, { start: { dateTime: utcWall(movedMs), timeZone: 'UTC' }, end: { dateTime: utcWall(movedMs + 30 * MIN), timeZone: 'UTC' } });
    const afterMove = await eventually(
      'the ledger after the move',
      async () => {
        const rows = await ledgerOf(id);
        return rows.length === 2 && rows[0]!.status === 'void' ? rows : undefined;
      },
      15_000,
      200,
    );
    expect(afterMove.map((r) => [r.startUtc, r.status, r.reason])).toEqual([
      [iso(startMs), 'void', 'moved'],
      [iso(movedMs), 'planned', null],
    ]);

    await deleteOutOfBand(id);
    const afterDelete = await eventually(
      'the ledger after the delete',
      async () => {
        const rows = await ledgerOf(id);
        return rows.every((r) => r.status === 'void') ? rows : undefined;
      },
      15_000,
      200,
    );
    expect(afterDelete.map((r) => [r.startUtc, r.status, r.reason])).toEqual([
      [iso(startMs), 'void', 'moved'],
      [iso(movedMs), 'void', 'deleted'],
    ]);
    // nothing was sent for it
    await sleep(1000);
    expect(await received(id)).toHaveLength(0);
  });
});
