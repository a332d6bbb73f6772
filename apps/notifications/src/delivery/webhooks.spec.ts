import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { FakeClock } from '@ocb/clock';
import { ConfigError } from '@ocb/config';
import { PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { loadNotificationsConfig } from '../config/notifications.config';
import { advanceTo, MIN, occurrence, SECRET, startApp, T0, verifySignature, verifyStandard, type NotificationsApp, notificationsSuite } from '../testing/notifications-test-kit';
import { FetchWebhookSender } from './webhook.sender';

jest.setTimeout(30_000);

const SECOND = 1000;
const HOUR = 60 * MIN;
/** Standard Webhooks secrets (whsec_ + base64 of 32 bytes). */
const NEW_SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;

describe.each(testDatabaseKinds())('Standard Webhooks delivery on %s', (kind) => {
  const w = notificationsSuite(kind, 'notif_hooks');
  const get = (app: NotificationsApp, path: string, query: Record<string, string> = {}) => request(app.url).get(path).query(query).set(PLATFORM_AUTH);
  const deliveries = async (app: NotificationsApp, status?: string) =>
    (await get(app, '/api/notifications/deliveries', status ? { status } : {})).body.items as Array<Record<string, unknown> & { id: string }>;
  /**
   * Moves the w.clock to `at` in one hop, then settles. A timer inside the hop fires at its instant,
   * but its database and HTTP work may finish after the w.clock reached `at`: hop to each instant
   * whose timing a test checks.
   */
  const to = (at: number, app: NotificationsApp) => advanceTo(w.clock, at, [app], 24 * HOUR);

  it('a standardwebhooks receiver accepts every delivery (retries too) and rejects a tampered body, a stale timestamp and a wrong secret', async () => {
    w.receiver.respond = (n) => (n === 1 ? 503 : 204);
    w.sync.add(occurrence('a', T0 + 61 * MIN), occurrence('b', T0 + 62 * MIN));
    const app = await w.start({ env: { NOTIFY_WEBHOOK_SECRET: NEW_SECRET } });
    await to(T0 + MIN, app);
    await to(T0 + MIN + 5 * SECOND, app);
    await to(T0 + 2 * MIN, app);
    expect(w.receiver.requests.map((r) => [r.body.event, r.status])).toEqual([
      [expect.objectContaining({ id: 'a' }), 503],
      [expect.objectContaining({ id: 'a' }), 204],
      [expect.objectContaining({ id: 'b' }), 204],
    ]);
    for (const r of w.receiver.requests) {
      expect(r.headers['webhook-id']).toBe(r.body.id); // the reminder id, the same on the retry
      expect(r.headers['webhook-timestamp']).toBe(String(Math.floor(r.at / 1000))); // this attempt's time
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/); // one secret active
      expect(verifyStandard(r, NEW_SECRET, r.at + 2 * SECOND)).toEqual({ ok: true, body: r.body });
      expect(verifyStandard({ ...r, raw: r.raw.replace('"a"', '"x"').replace('"b"', '"x"') }, NEW_SECRET, r.at)).toEqual({ ok: false, error: 'No matching signature found' });
      expect(verifyStandard(r, NEW_SECRET, r.at + 6 * MIN)).toEqual({ ok: false, error: 'Message timestamp too old' });
      expect(verifyStandard(r, OLD_SECRET, r.at)).toEqual({ ok: false, error: 'No matching signature found' });
      // by hand with node:crypto, as the root README shows
      const byHand = createHmac('sha256', Buffer.alloc(32, 1)).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.raw}`).digest('base64');
      expect(r.headers['webhook-signature']).toBe(`v1,${byHand}`);
      // X-Signature stays: HMAC-SHA256 of the raw body, keyed by the decoded whsec_ key
      expect(r.signature).toBe(`sha256=${createHmac('sha256', Buffer.alloc(32, 1)).update(r.raw).digest('hex')}`);
    }
    expect(w.receiver.requests[1]!.headers['webhook-timestamp']).not.toBe(w.receiver.requests[0]!.headers['webhook-timestamp']);
  });

  it('a plain NOTIFY_WEBHOOK_SECRET (as today) is the raw key of both signatures', async () => {
    w.sync.add(occurrence('a', T0 + 61 * MIN));
    const app = await w.start();
    await to(T0 + MIN, app);
    const [r] = w.receiver.requests;
    expect(verifyStandard(r!, SECRET, r!.at)).toEqual({ ok: true, body: r!.body });
    expect(verifySignature(r!.raw, r!.signature)).toBe(true);
    expect(verifyStandard(r!, 'another-secret', r!.at).ok).toBe(false);
  });

  it('during a rotation both secrets verify; after NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL only the new one', async () => {
    w.sync.add(occurrence('during', T0 + 61 * MIN), occurrence('after', T0 + 91 * MIN));
    const app = await w.start({ env: {
      NOTIFY_WEBHOOK_SECRET: NEW_SECRET,
      NOTIFY_WEBHOOK_PREVIOUS_SECRET: OLD_SECRET,
      NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: new Date(T0 + 20 * MIN).toISOString(),
    } });
    await to(T0 + MIN, app);
    await to(T0 + 31 * MIN, app);
    const [during, after] = w.receiver.requests;
    expect(during!.body.event).toEqual(expect.objectContaining({ id: 'during' }));
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifyStandard(during!, NEW_SECRET, during!.at).ok).toBe(true);
    expect(verifyStandard(during!, OLD_SECRET, during!.at).ok).toBe(true);
    expect(after!.body.event).toEqual(expect.objectContaining({ id: 'after' }));
    expect(after!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verifyStandard(after!, NEW_SECRET, after!.at).ok).toBe(true);
    expect(verifyStandard(after!, OLD_SECRET, after!.at)).toEqual({ ok: false, error: 'No matching signature found' });
  });

  it('retries a failing receiver at the scheduled times (due, +5 s, +5 min, +30 min, +2 h, +5 h) and delivers each id once after success', async () => {
    w.receiver.respond = (n) => (n <= 5 ? 500 : 200);
    w.sync.add(occurrence('flaky', T0 + 61 * MIN));
    const app = await w.start();
    const due = T0 + MIN;
    const expected = [due, due + 5 * SECOND];
    for (const gap of [5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR]) expected.push(expected[expected.length - 1]! + gap);
    for (const [i, at] of expected.entries()) {
      await to(at - 1000, app);
      expect(w.receiver.requests).toHaveLength(i);
      await to(at, app);
      expect(w.receiver.requests.map((r) => r.at)).toEqual(expected.slice(0, i + 1));
      if (i === 2) {
        expect(await deliveries(app, 'failed')).toEqual([
          expect.objectContaining({ status: 'failed', attempts: 3, lastStatus: 500, lastError: 'webhook answered 500', nextAttemptAt: new Date(at + 30 * MIN).toISOString() }),
        ]);
      }
    }
    await to(expected[5]! + 48 * HOUR, app);
    expect(w.receiver.requests).toHaveLength(6);
    expect([...w.receiver.successes().values()]).toEqual([1]);
    expect(new Set(w.receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(await deliveries(app, 'delivered')).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 6, lastStatus: 200, lastError: null, deliveredAt: new Date(expected[5]!).toISOString() }),
    ]);
  });

  it('applies ± 10 % jitter to the schedule', async () => {
    w.receiver.respond = (n) => (n === 1 ? 500 : 200);
    w.sync.add(occurrence('j', T0 + 61 * MIN));
    const app = await startApp({ databaseUrl: w.db.url, clock: w.clock, sync: w.sync, webhookUrl: w.receiver.url, policy: { random: () => 1 } });
    w.apps.push(app);
    await to(T0 + MIN, app);
    await to(T0 + MIN + 5_499, app);
    expect(w.receiver.requests).toHaveLength(1);
    await to(T0 + MIN + 5_500, app);
    expect(w.receiver.requests.map((r) => r.at - T0 - MIN)).toEqual([0, 5_500]);
  });

  it('honours Retry-After on 429 and 503 (seconds or an HTTP-date) instead of the schedule', async () => {
    w.receiver.respond = (n) =>
      n === 1
        ? { status: 503, headers: { 'Retry-After': '42' } }
        : n === 2
          ? { status: 429, headers: { 'Retry-After': new Date(T0 + MIN + 42 * SECOND + 90 * SECOND).toUTCString() } }
          : 204;
    w.sync.add(occurrence('busy', T0 + 61 * MIN));
    const app = await w.start();
    await to(T0 + MIN, app);
    await to(T0 + MIN + 41_999, app);
    expect(w.receiver.requests).toHaveLength(1);
    await to(T0 + MIN + 42 * SECOND, app);
    await to(T0 + MIN + 132 * SECOND, app);
    expect(w.receiver.requests.map((r) => [r.at - T0 - MIN, r.status])).toEqual([
      [0, 503],
      [42_000, 429],
      [132_000, 204],
    ]);
  });

  it('a dead letter after NOTIFY_MAX_ATTEMPTS is listed and redelivered once on request, with the same webhook-id', async () => {
    w.receiver.respond = () => 500;
    w.sync.add(occurrence('doomed', T0 + 61 * MIN));
    const app = await w.start({ env: { NOTIFY_MAX_ATTEMPTS: '3' } });
    await to(T0 + MIN, app);
    await to(T0 + MIN + 5 * SECOND, app);
    await to(T0 + MIN + 5 * SECOND + 5 * MIN, app);
    await to(T0 + 24 * HOUR, app);
    expect(w.receiver.requests).toHaveLength(3);
    const dead = await deliveries(app, 'dead');
    expect(dead).toEqual([
      {
        id: w.receiver.requests[0]!.id,
        status: 'dead',
        attempts: 3,
        lastStatus: 500,
        lastError: 'webhook answered 500',
        nextAttemptAt: null,
        dueAt: new Date(T0 + MIN).toISOString(),
        deliveredAt: null,
        updatedAt: new Date(T0 + MIN + 5 * SECOND + 5 * MIN).toISOString(),
        user: { id: 'u-alice', email: 'alice@contoso.com' },
        event: { id: 'doomed', subject: 'Meeting doomed', startUtc: new Date(T0 + 61 * MIN).toISOString() },
      },
    ]);
    expect((await request(app.url).get('/metrics')).text).toMatch(/notifications_dead_letters_total 1/);

    w.receiver.respond = () => 200;
    const id = dead[0]!.id;
    const res = await request(app.url).post(`/api/notifications/${id}/redeliver`).set(PLATFORM_AUTH);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: 'pending' });
    await app.settle();
    await to(T0 + 48 * HOUR, app);
    expect(w.receiver.requests).toHaveLength(4);
    expect(w.receiver.requests[3]!.headers['webhook-id']).toBe(id);
    expect(w.receiver.successes().get(id)).toBe(1);
    expect(await deliveries(app, 'dead')).toEqual([]);
    expect(await deliveries(app, 'delivered')).toEqual([expect.objectContaining({ id, attempts: 1, lastStatus: 200 })]);
    const ledger = (await get(app, '/api/notifications/reminders')).body.items;
    expect(ledger.map((r: { status: string }) => r.status)).toEqual(['sent']);
  });

  it('410 Gone stops delivery to the endpoint and raises the alert metric until a redelivery', async () => {
    w.receiver.respond = (n) => (n === 1 ? 410 : 200);
    w.sync.add(occurrence('first', T0 + 61 * MIN), occurrence('second', T0 + 62 * MIN));
    const app = await w.start();
    await to(T0 + MIN, app);
    expect((await request(app.url).get('/metrics')).text).toMatch(/notifications_webhook_endpoint_gone 1/);
    await to(T0 + 2 * MIN, app); // the second falls due (decided, queued) but is not sent
    await to(T0 + 10 * HOUR, app);
    expect(w.receiver.requests).toHaveLength(1); // nothing more: neither a retry nor the second reminder
    const all = await deliveries(app);
    expect(all.map((d) => [d['event'], d['status'], d['lastStatus']])).toEqual([
      [expect.objectContaining({ id: 'second' }), 'pending', null],
      [expect.objectContaining({ id: 'first' }), 'failed', 410],
    ]);
    const metrics = (await request(app.url).get('/metrics')).text;
    expect(metrics).toMatch(/notifications_webhook_endpoint_gone 1/);
    expect(metrics).toMatch(/notifications_webhook_gone_total 1/);

    // the platform fixed its endpoint; an operator redelivers: the endpoint is enabled again
    expect((await request(app.url).post(`/api/notifications/${all[1]!.id}/redeliver`).set(PLATFORM_AUTH)).status).toBe(202);
    await app.settle();
    await to(T0 + 11 * HOUR, app);
    expect([...w.receiver.successes().values()]).toEqual([1, 1]);
    expect(w.receiver.successes().size).toBe(2);
    expect((await request(app.url).get('/metrics')).text).toMatch(/notifications_webhook_endpoint_gone 0/);
  });

  it('pages the list as the contract pages lists; bad status, limit or cursor → 400 naming it; unknown id → 404', async () => {
    for (let i = 0; i < 5; i++) w.sync.add(occurrence(`ev-${i}`, T0 + 61 * MIN + i * MIN));
    const app = await w.start();
    await to(T0 + 10 * MIN, app);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await get(app, '/api/notifications/deliveries', { limit: '2', status: 'delivered', ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { event: { id: string } }) => i.event.id));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(['ev-4', 'ev-3', 'ev-2', 'ev-1', 'ev-0']);

    const badStatus = await get(app, '/api/notifications/deliveries', { status: 'sent' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.stringMatching(/^status.*pending.*failed.*delivered.*dead/) });
    expect((await get(app, '/api/notifications/deliveries', { limit: '0' })).body.message).toMatch(/^limit/);
    expect((await get(app, '/api/notifications/deliveries', { cursor: 'nope' })).body).toEqual(expect.objectContaining({ statusCode: 400, message: expect.stringMatching(/^cursor/) }));
    const unknown = await request(app.url).post('/api/notifications/rem_0000/redeliver').set(PLATFORM_AUTH);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'id: no notification rem_0000' });
    expect((await request(app.url).get('/api/notifications/deliveries')).status).toBe(401);
    expect(w.receiver.requests).toHaveLength(5); // bad requests changed nothing
  });

  it('redelivery without a webhook configured → 409', async () => {
    w.sync.add(occurrence('quiet', T0 + 61 * MIN));
    const app = await startApp({ databaseUrl: w.db.url, clock: w.clock, sync: w.sync });
    w.apps.push(app);
    await to(T0 + 2 * MIN, app);
    const [stored] = (await get(app, '/api/users/u-alice/notifications')).body.items;
    const res = await request(app.url).post(`/api/notifications/${stored.id}/redeliver`).set(PLATFORM_AUTH);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('WEBHOOK_NOT_CONFIGURED');
  });
});

describe('webhook settings', () => {
  it('accepts whsec_ and plain secrets; refuses a malformed whsec_, half a rotation and dev defaults in production', () => {
    expect(loadNotificationsConfig({ NOTIFY_WEBHOOK_SECRET: NEW_SECRET }).NOTIFY_WEBHOOK_SECRET).toBe(NEW_SECRET);
    const problems = (env: Record<string, string>) => {
      try {
        loadNotificationsConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ NOTIFY_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' })).toEqual([expect.stringMatching(/^NOTIFY_WEBHOOK_SECRET: a whsec_ secret must be/)]);
    expect(problems({ NOTIFY_WEBHOOK_PREVIOUS_SECRET: OLD_SECRET })).toEqual([expect.stringMatching(/^NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: must be set/)]);
    expect(problems({ NOTIFY_WEBHOOK_PREVIOUS_SECRET: OLD_SECRET, NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: 'tomorrow' })).toEqual([
      expect.stringMatching(/^NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: must be an ISO 8601/),
    ]);
    const prod = { NODE_ENV: 'production', PLATFORM_API_KEY: 'p'.repeat(20), INTERNAL_API_KEY: 'i'.repeat(20) };
    expect(problems({ ...prod })).toEqual([expect.stringMatching(/^NOTIFY_WEBHOOK_SECRET: must be set/)]);
    expect(
      problems({ ...prod, NOTIFY_WEBHOOK_SECRET: NEW_SECRET, NOTIFY_WEBHOOK_PREVIOUS_SECRET: 'dev-webhook-secret', NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: '2026-03-03T00:00:00Z' }),
    ).toEqual([expect.stringMatching(/^NOTIFY_WEBHOOK_PREVIOUS_SECRET: still holds the development default/)]);
    expect(problems({ ...prod, NOTIFY_WEBHOOK_SECRET: NEW_SECRET })).toEqual([]);
  });

  it('derives a stable NOTIFY_INSTANCE_ID from the host name and port, or takes the configured one', () => {
    const a = loadNotificationsConfig({ NOTIFICATIONS_PORT: '3004' }).NOTIFY_INSTANCE_ID;
    expect(a).toBe(loadNotificationsConfig({ NOTIFICATIONS_PORT: '3004' }).NOTIFY_INSTANCE_ID);
    expect(a).toMatch(/:3004$/);
    expect(loadNotificationsConfig({ NOTIFY_INSTANCE_ID: 'notifications-0' }).NOTIFY_INSTANCE_ID).toBe('notifications-0');
    // empty, as in .env.example: the default
    const empty = loadNotificationsConfig({ NOTIFICATIONS_PORT: '3004', NOTIFY_INSTANCE_ID: '', NOTIFY_WEBHOOK_PREVIOUS_SECRET: '', NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: '' });
    expect(empty.NOTIFY_INSTANCE_ID).toBe(a);
    expect(empty.NOTIFY_WEBHOOK_PREVIOUS_SECRET).toBeUndefined();
    expect(() => loadNotificationsConfig({ NOTIFY_INSTANCE_ID: 'has space' })).toThrow(/NOTIFY_INSTANCE_ID: must be 1-64/);
  });
});

describe('FetchWebhookSender', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(() => undefined); // never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('gives up on an attempt after its timeout (15 s by default) on the injected clock', async () => {
    const clock = new FakeClock(T0);
    const outcome: { error?: string } = {};
    const sent = new FetchWebhookSender(clock)
      .send({ url, body: '{}', headers: {}, timeoutMs: 15_000 })
      .catch((e: Error) => (outcome.error = e.message));
    await new Promise((r) => setTimeout(r, 50));
    await clock.advance(14_999);
    await new Promise((r) => setTimeout(r, 20));
    expect(outcome.error).toBeUndefined();
    await clock.advance(1);
    await sent;
    expect(outcome.error).toBe('no answer within 15 s');
  });
});
