import request from 'supertest';
import { PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { reminderId } from './reminder-body';
import { ALICE, advanceTo, BOB, MIN, occurrence, startApp, T0, verifySignature, type NotificationsApp, notificationsSuite } from '../testing/notifications-test-kit';

jest.setTimeout(30_000);

describe.each(testDatabaseKinds())('reminders on %s', (kind) => {
  const w = notificationsSuite(kind, 'notif');
  const ledger = async (app: NotificationsApp, status?: string) =>
    (await request(app.url).get('/api/notifications/reminders').query(status ? { status } : {}).set(PLATFORM_AUTH)).body.items as Array<{
      eventId: string;
      status: string;
      reason: string | null;
      startUtc: string;
    }>;


  it('sends a due reminder at its due time (± 1 s), signed, with the contract body, and lists it in the feed', async () => {
    const startMs = T0 + 90 * MIN;
    const due = startMs - 60 * MIN;
    w.sync.add(occurrence('ev-1', startMs, { subject: 'Design review' }));
    const app = await w.start();

    await advanceTo(w.clock, due - 1000, [app]);
    expect(w.receiver.requests).toHaveLength(0);
    await advanceTo(w.clock, due, [app]);

    expect(w.receiver.requests).toHaveLength(1);
    const got = w.receiver.requests[0];
    expect(Math.abs(got.at - due)).toBeLessThanOrEqual(1000);
    expect(verifySignature(got.raw, got.signature)).toBe(true);
    expect(verifySignature(got.raw, got.signature, 'another-secret')).toBe(false);
    const startUtc = new Date(startMs).toISOString();
    expect(got.body).toEqual({
      id: reminderId('ev-1', startUtc),
      type: 'event.reminder',
      dueAt: new Date(due).toISOString(),
      message: 'Your meeting "Design review" will start in 1 hour.',
      user: { id: ALICE.id, email: ALICE.email },
      event: {
        id: 'ev-1',
        subject: 'Design review',
        start: { dateTime: '2026-03-02T09:30:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-03-02T10:00:00.0000000', timeZone: 'UTC' },
        startUtc,
        location: 'Room 4',
        joinUrl: 'https://teams.example/join/1',
        webLink: 'https://outlook.example/ev-1',
      },
    });

    // the feed: by id and by UPN (any case), newest first, with status and sentAt
    const feed = await request(app.url).get(`/api/users/${ALICE.id}/notifications`).set(PLATFORM_AUTH);
    expect(feed.status).toBe(200);
    expect(feed.body.items).toEqual([{ ...got.body, status: 'sent', sentAt: new Date(due).toISOString(), attempts: 1 }]);
    const byUpn = await request(app.url).get('/api/users/ALICE@contoso.com/notifications').set(PLATFORM_AUTH);
    expect(byUpn.body.items).toHaveLength(1);
    const later = await request(app.url).get(`/api/users/${ALICE.id}/notifications`).query({ since: new Date(due + 1).toISOString() }).set(PLATFORM_AUTH);
    expect(later.body.items).toEqual([]);
    // a known user without notifications: empty; an unknown one: 404; bad input: 400; no key: 401
    expect((await request(app.url).get(`/api/users/${BOB.id}/notifications`).set(PLATFORM_AUTH)).body).toEqual({ items: [] });
    const unknown = await request(app.url).get('/api/users/nobody@contoso.com/notifications').set(PLATFORM_AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    const bad = await request(app.url).get(`/api/users/${ALICE.id}/notifications`).query({ since: '2026-03-02T10:00:00' }).set(PLATFORM_AUTH);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/since/);
    expect((await request(app.url).get(`/api/users/${ALICE.id}/notifications`)).status).toBe(401);

    const metrics = await request(app.url).get('/metrics');
    expect(metrics.text).toMatch(/notifications_reminder_lateness_seconds_count\{delivery="webhook"\} 1/);
    expect(metrics.text).toMatch(/notifications_reminder_lateness_seconds_bucket\{le="1",delivery="webhook"\} 1/);
    expect((await ledger(app)).map((r) => r.status)).toEqual(['sent']);
  });

  it('sends none for attendee copies, cancelled or deleted events', async () => {
    w.sync.add(
      occurrence('ok', T0 + 70 * MIN),
      occurrence('attendee', T0 + 70 * MIN, { isOrganizer: false, user: BOB }),
      occurrence('cancelled-early', T0 + 70 * MIN, { isCancelled: true }),
      occurrence('cancelled-late', T0 + 75 * MIN),
      occurrence('deleted', T0 + 80 * MIN),
    );
    const app = await w.start();
    expect((await ledger(app, 'planned')).map((r) => r.eventId).sort()).toEqual(['cancelled-late', 'deleted', 'ok']);

    // cancelled and deleted after being planned, between two polls: the re-check drops them
    await advanceTo(w.clock, T0 + 9 * MIN, [app]);
    w.sync.events.set('cancelled-late', { ...w.sync.events.get('cancelled-late')!, isCancelled: true });
    w.sync.events.delete('deleted');
    await w.clock.advance(30_000);
    await advanceTo(w.clock, T0 + 30 * MIN, [app]);

    expect(w.receiver.requests.map((r) => r.body.event)).toEqual([expect.objectContaining({ id: 'ok' })]);
    const voided = await ledger(app, 'void');
    expect(Object.fromEntries(voided.map((r) => [r.eventId, r.reason]))).toEqual({ 'cancelled-late': 'cancelled', deleted: 'deleted' });
    expect((await request(app.url).get(`/api/users/${BOB.id}/notifications`).set(PLATFORM_AUTH)).body.items).toEqual([]);
  });

  it('reminds a moved event at its new time only (later and earlier)', async () => {
    w.sync.add(occurrence('later', T0 + 90 * MIN), occurrence('earlier', T0 + 100 * MIN));
    const app = await w.start();
    await advanceTo(w.clock, T0 + 5 * MIN, [app]);
    w.sync.move('later', T0 + 120 * MIN); // due 08:30 → 09:00
    w.sync.move('earlier', T0 + 80 * MIN); // due 08:40 → 08:20
    await advanceTo(w.clock, T0 + 20 * MIN - 1000, [app]);
    expect(w.receiver.requests).toHaveLength(0);
    await advanceTo(w.clock, T0 + 20 * MIN, [app]);
    expect(w.receiver.requests.map((r) => [r.body.event, r.at])).toEqual([
      [expect.objectContaining({ id: 'earlier', startUtc: new Date(T0 + 80 * MIN).toISOString() }), T0 + 20 * MIN],
    ]);
    await advanceTo(w.clock, T0 + 60 * MIN - 1000, [app]);
    expect(w.receiver.requests).toHaveLength(1);
    await advanceTo(w.clock, T0 + 60 * MIN, [app]);
    await advanceTo(w.clock, T0 + 130 * MIN, [app]);
    expect(w.receiver.requests.map((r) => [r.body.event, r.at])).toEqual([
      [expect.objectContaining({ id: 'earlier' }), T0 + 20 * MIN],
      [expect.objectContaining({ id: 'later', startUtc: new Date(T0 + 120 * MIN).toISOString() }), T0 + 60 * MIN],
    ]);
    const voided = await ledger(app, 'void');
    expect(voided.map((r) => [r.eventId, r.reason, r.startUtc]).sort()).toEqual([
      ['earlier', 'moved', new Date(T0 + 100 * MIN).toISOString()],
      ['later', 'moved', new Date(T0 + 90 * MIN).toISOString()],
    ]);
  });

  it('follows the cache between polls: a planned reminder is voided at the next poll after a delete, cancel or move, long before its due time', async () => {
    w.sync.add(occurrence('gone', T0 + 100 * MIN), occurrence('off', T0 + 105 * MIN), occurrence('moved', T0 + 110 * MIN), occurrence('kept', T0 + 115 * MIN));
    const app = await w.start();
    expect((await ledger(app, 'planned')).map((r) => r.eventId).sort()).toEqual(['gone', 'kept', 'moved', 'off']);
    await advanceTo(w.clock, T0 + 2 * MIN, [app]);
    w.sync.events.delete('gone');
    w.sync.events.set('off', { ...w.sync.events.get('off')!, isCancelled: true });
    w.sync.move('moved', T0 + 130 * MIN);
    // one poll later (60 s here), 38 minutes before the first due time
    await advanceTo(w.clock, T0 + 3 * MIN + 1000, [app]);
    const voided = await ledger(app, 'void');
    expect(voided.map((r) => [r.eventId, r.reason, r.startUtc]).sort()).toEqual([
      ['gone', 'deleted', new Date(T0 + 100 * MIN).toISOString()],
      ['moved', 'moved', new Date(T0 + 110 * MIN).toISOString()],
      ['off', 'cancelled', new Date(T0 + 105 * MIN).toISOString()],
    ]);
    expect((await ledger(app, 'planned')).map((r) => [r.eventId, r.startUtc]).sort()).toEqual([
      ['kept', new Date(T0 + 115 * MIN).toISOString()],
      ['moved', new Date(T0 + 130 * MIN).toISOString()],
    ]);
    expect(w.receiver.requests).toHaveLength(0);
  });

  it('keeps retrying a failing webhook (first 3 calls 503) and delivers each reminder exactly once', async () => {
    w.receiver.respond = (n) => (n <= 3 ? 503 : 200);
    w.sync.add(occurrence('a', T0 + 70 * MIN), occurrence('b', T0 + 70 * MIN), occurrence('c', T0 + 70 * MIN + 5_000));
    const app = await w.start();
    await advanceTo(w.clock, T0 + 10 * MIN, [app]);
    // a refused twice waits 5 s, then 5 min (the schedule)
    await advanceTo(w.clock, T0 + 16 * MIN, [app], 1_000);
    const successes = w.receiver.successes();
    expect([...successes.values()]).toEqual([1, 1, 1]);
    expect(successes.size).toBe(3);
    expect(w.receiver.requests.filter((r) => r.status === 503)).toHaveLength(3);
    for (const r of w.receiver.requests) expect(verifySignature(r.raw, r.signature)).toBe(true);
    const feed = (await request(app.url).get(`/api/users/${ALICE.id}/notifications`).set(PLATFORM_AUTH)).body.items;
    expect(feed.map((i: { status: string }) => i.status)).toEqual(['sent', 'sent', 'sent']);
    expect(feed.map((i: { event: { id: string } }) => i.event.id)).toEqual(['c', expect.any(String), expect.any(String)]);
  });

  it('loses nothing when the process stops between the decision and the delivery', async () => {
    const crashed: string[] = [];
    const first = await startApp({
      databaseUrl: w.db.url,
      clock: w.clock,
      sync: w.sync,
      webhookUrl: w.receiver.url,
      sender: {
        send: async (req) => {
          crashed.push(req.body);
          throw new Error('process killed before the request left');
        },
      },
    });
    w.apps.push(first);
    w.sync.add(occurrence('survivor', T0 + 62 * MIN));
    first.scheduler.pollNow();
    await advanceTo(w.clock, T0 + 2 * MIN, [first]);
    expect(crashed).toHaveLength(1); // the outbox row was written (decision) but nothing was delivered
    expect(w.receiver.requests).toHaveLength(0);
    await first.close();
    w.apps.splice(w.apps.indexOf(first), 1);

    const second = await w.start();
    await advanceTo(w.clock, T0 + 2 * MIN + 6_000, [second], 250);
    expect(w.receiver.accepted().map((r) => r.raw)).toEqual(crashed);
    expect(w.receiver.requests).toHaveLength(1);
    expect(verifySignature(w.receiver.requests[0].raw, w.receiver.requests[0].signature)).toBe(true);
  });

  it('catches up after a restart: sends what fell due if not started, records started ones as missed', async () => {
    w.sync.add(occurrence('started', T0 + 65 * MIN), occurrence('pending', T0 + 100 * MIN));
    const first = await w.start();
    expect((await ledger(first, 'planned')).map((r) => r.eventId).sort()).toEqual(['pending', 'started']);
    await first.close();
    w.apps.splice(w.apps.indexOf(first), 1);

    // down from 08:00 to 09:10; meanwhile a meeting at 09:50 (due 08:50) was created
    w.sync.add(occurrence('created-while-down', T0 + 110 * MIN));
    w.clock.set(T0 + 70 * MIN);
    const second = await w.start();
    expect(w.receiver.requests.map((r) => [r.body.event, r.at])).toEqual(
      expect.arrayContaining([
        [expect.objectContaining({ id: 'pending' }), T0 + 70 * MIN],
        [expect.objectContaining({ id: 'created-while-down' }), T0 + 70 * MIN],
      ]),
    );
    expect(w.receiver.requests).toHaveLength(2);
    expect((await ledger(second, 'missed')).map((r) => [r.eventId, r.reason])).toEqual([['started', 'event_started']]);
    expect((await request(second.url).get('/metrics')).text).toMatch(/notifications_reminders_total\{outcome="missed",reason="event_started"\} 1/);
  });

  it('reminds an event created less than the lead before its start at once (planned from now, not only from the horizon)', async () => {
    const app = await w.start();
    await advanceTo(w.clock, T0 + 5 * MIN, [app]);
    // created in Outlook at 08:05 for 08:35: due 07:35, before every poll window so far
    w.sync.add(occurrence('late', T0 + 35 * MIN, { subject: 'Quick sync' }));
    // the next poll (every 60 s here) plans it, due long ago and not started: sent at once
    await advanceTo(w.clock, T0 + 6 * MIN, [app]);
    expect(w.receiver.requests.map((r) => (r.body.event as { id: string }).id)).toEqual(['late']);
    expect(w.receiver.requests[0].at - (T0 + 5 * MIN)).toBeLessThanOrEqual(60_000);
    // the message says how long is left (sent at about 08:06 for 08:35), not the configured lead
    const left = Math.round((T0 + 35 * MIN - w.receiver.requests[0].at) / MIN);
    expect(left).toBeLessThan(31);
    expect(w.receiver.requests[0].body.message).toBe(`Your meeting "Quick sync" will start in ${left} minutes.`);
    // planned once: later polls see the same key
    await advanceTo(w.clock, T0 + 10 * MIN, [app]);
    expect(w.receiver.requests).toHaveLength(1);
    expect((await ledger(app)).map((r) => [r.eventId, r.status])).toEqual([['late', 'sent']]);
  });

  it('without a webhook, stores reminders for the feed only', async () => {
    w.sync.add(occurrence('quiet', T0 + 61 * MIN, { subject: 'Standup' }));
    const app = await w.start({ webhook: false, env: { REMINDER_LEAD_MINUTES: '30' } });
    w.sync.add(occurrence('quiet', T0 + 31 * MIN, { subject: 'Standup' }));
    app.scheduler.pollNow();
    await advanceTo(w.clock, T0 + 2 * MIN, [app]);
    expect(w.receiver.requests).toHaveLength(0);
    const feed = (await request(app.url).get(`/api/users/${ALICE.userPrincipalName}/notifications`).set(PLATFORM_AUTH)).body.items;
    expect(feed).toEqual([
      expect.objectContaining({ status: 'stored', sentAt: null, message: 'Your meeting "Standup" will start in 30 minutes.', dueAt: new Date(T0 + MIN).toISOString() }),
    ]);
  });

  it('starts and stays healthy while w.sync is unreachable, then plans once it answers', async () => {
    w.sync.down = true;
    w.sync.add(occurrence('later-on', T0 + 75 * MIN));
    const app = await w.start();
    expect((await request(app.url).get('/api/health')).status).toBe(200);
    expect((await request(app.url).get('/api/health/ready')).status).toBe(200);
    await advanceTo(w.clock, T0 + 3 * MIN, [app]);
    expect(w.sync.calls.starting).toBeGreaterThanOrEqual(3);
    w.sync.down = false;
    await advanceTo(w.clock, T0 + 15 * MIN, [app]);
    expect(w.receiver.requests.map((r) => [r.body.event, r.at])).toEqual([[expect.objectContaining({ id: 'later-on' }), T0 + 15 * MIN]]);
    expect((await request(app.url).get('/metrics')).text).toMatch(/notifications_plan_failures_total [1-9]/);
  });
});
