import request from 'supertest';
import { FakeClock } from '@ocb/clock';
import { createTestDatabase, PLATFORM_AUTH, testDatabaseKinds, type TestDatabase } from '@ocb/testing';
import { advanceTo, FakeSync, MIN, occurrence, startApp, T0, WebhookReceiver, type NotificationsApp } from '../testing/notifications-test-kit';

jest.setTimeout(30_000);

// Two Nest app instances (two "processes") sharing ONE database, the same sync cache and webhook.
describe.each(testDatabaseKinds())('two notification instances on one %s database', (kind) => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  const apps: NotificationsApp[] = [];

  beforeEach(async () => {
    db = await createTestDatabase(kind, 'notif_replicas');
  });

  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    await receiver.close();
    await db.drop();
  });

  it('sends each reminder once, with a flaky webhook too', async () => {
    const clock = new FakeClock(T0);
    const sync = new FakeSync();
    receiver = await new WebhookReceiver(clock).start();
    receiver.respond = (n) => (n % 4 === 1 ? 503 : 200);
    const ids = Array.from({ length: 12 }, (_, i) => `ev-${i}`);
    for (const [i, id] of ids.entries()) sync.add(occurrence(id, T0 + 61 * MIN + (i % 3) * 30_000));

    apps.push(await startApp({ databaseUrl: db.url, clock, sync, webhookUrl: receiver.url }));
    apps.push(await startApp({ databaseUrl: db.url, clock, sync, webhookUrl: receiver.url }));
    // both planned the same reminders: the unique key keeps one ledger row each
    const planned = (await request(apps[0].url).get('/api/notifications/reminders').query({ status: 'planned' }).set(PLATFORM_AUTH)).body.items;
    expect(planned).toHaveLength(12);

    // both timers fire at the same instants; both dispatchers compete for the outbox
    await advanceTo(clock, T0 + MIN, apps);
    // a reminder refused twice waits 5 s, then 5 min (the schedule)
    await advanceTo(clock, T0 + 8 * MIN, apps, 2_000);

    const successes = receiver.successes();
    expect(successes.size).toBe(12);
    expect([...successes.values()].every((n) => n === 1)).toBe(true);
    const sent = (await request(apps[1].url).get('/api/notifications/reminders').query({ status: 'sent' }).set(PLATFORM_AUTH)).body.items;
    expect(sent).toHaveLength(12);
    // each re-check happened, but only one decision per reminder won
    expect(sync.calls.event).toBeGreaterThanOrEqual(12);
  });
});
