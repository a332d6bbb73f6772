// Journey 4 — a reminder: an event created through actions to start in 60 min + 20 s produces one
// signed event.reminder webhook call about 20 s later, verified as a Standard Webhooks receiver
// does (the `standardwebhooks` package) and by its original X-Signature.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { EventDetail } from '@ocb/service-clients';
import { Platform, eventually, sleep, uniqueWord } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const USER = 'debra.berg@contoso.com';
const LEAD_MS = 60 * 60_000;

interface Received {
  at: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's own `standardwebhooks` verification on arrival: true, or the library's error. */
  verified: true | string;
}

/** X-Signature: HMAC-SHA256 of the raw body keyed by the whsec_ secret's decoded key. */
const xSignature = (body: string) =>
  `sha256=${createHmac('sha256', Buffer.from(info.webhookSecret.replace(/^whsec_/, ''), 'base64')).update(body).digest('hex')}`;

/** Checks one delivery's Standard Webhooks headers and signature (here, too, with the package). */
function expectStandardWebhook(call: Received, arrivedMs: number): void {
  const body = JSON.parse(call.body) as { id: string };
  expect(call.verified).toBe(true);
  expect(call.headers['webhook-id']).toBe(body.id);
  expect(Math.abs(Number(call.headers['webhook-timestamp']) * 1000 - arrivedMs)).toBeLessThanOrEqual(5_000);
  expect(new Webhook(info.webhookSecret).verify(call.body, call.headers)).toEqual(body);
  expect(() => new Webhook(info.webhookSecret).verify(call.body.replace('event.reminder', 'event.tampered'), call.headers)).toThrow('No matching signature found');
  expect(call.headers['x-signature']).toBe(xSignature(call.body));
}

async function received(): Promise<Received[]> {
  return (await (await fetch(`${info.receiver}/received`)).json()) as Received[];
}

/** `YYYY-MM-DDTHH:mm:ss` of an instant in UTC. */
const utcWall = (ms: number) => new Date(ms).toISOString().slice(0, 19);

describe(`reminder: signed webhook an hour before (${info.database})`, () => {
  beforeAll(async () => {
    await p.resetFaults();
    await p.connect(USER);
  });

  it('arrives once, about 20 s after creating an event starting in 60 min + 20 s, signed', async () => {
    const subject = `${uniqueWord('Remind')} budget call`;
    const startMs = Math.ceil((Date.now() + LEAD_MS + 20_000) / 1000) * 1000;
    const dueMs = startMs - LEAD_MS;
    const created = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${encodeURIComponent(USER)}/events`, {
      title: subject,
      start: utcWall(startMs),
      end: utcWall(startMs + 30 * 60_000),
      timeZone: 'UTC',
      location: 'Room 7',
    });
    expect(created.startUtc).toBe(new Date(startMs).toISOString());

    const ours = async () => (await received()).filter((r) => r.body.includes(created.id));
    const [call] = await eventually('the reminder webhook call', async () => ((await ours()).length ? await ours() : undefined), 45_000, 250);
    const arrivedMs = Date.parse(call!.at);
    expect(Math.abs(arrivedMs - dueMs)).toBeLessThanOrEqual(8_000);

    expectStandardWebhook(call!, arrivedMs);
    const body = JSON.parse(call!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: expect.any(String),
      type: 'event.reminder',
      message: `Your meeting "${subject}" will start in 1 hour.`,
      user: { email: USER },
      event: { id: created.id, subject, startUtc: new Date(startMs).toISOString(), location: 'Room 7' },
    });
    expect(Math.abs(Date.parse(String(body['dueAt'])) - dueMs)).toBeLessThanOrEqual(1_000);

    // once: several planner rounds later still a single call
    await sleep(6_000);
    expect(await ours()).toHaveLength(1);

    const feed = await p.expect<unknown>(200, 'notifications', 'GET', `/api/users/${encodeURIComponent(USER)}/notifications`);
    expect(JSON.stringify(feed)).toContain(created.id);
    const delivered = await p.expect<{ items: Array<{ id: string; status: string; attempts: number; lastStatus: number }> }>(
      200,
      'notifications',
      'GET',
      '/api/notifications/deliveries?status=delivered',
    );
    expect(delivered.items.find((d) => d.id === call!.headers['webhook-id'])).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
  });

  it('is retried after the Retry-After of two 503s, accepted once, with the same webhook-id', async () => {
    const subject = `${uniqueWord('Retry')} vendor call`;
    await fetch(`${info.receiver}/reset`, { method: 'POST', body: JSON.stringify({ failNext: 2 }) });
    const startMs = Math.ceil((Date.now() + LEAD_MS + 15_000) / 1000) * 1000;
    const dueMs = startMs - LEAD_MS;
    const created = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${encodeURIComponent(USER)}/events`, {
      title: subject,
      start: utcWall(startMs),
      end: utcWall(startMs + 15 * 60_000),
      timeZone: 'UTC',
    });
    const ours = async () => (await received()).filter((r) => r.body.includes(created.id));
    const [call] = await eventually('the accepted reminder after two refusals', async () => ((await ours()).length ? await ours() : undefined), 60_000, 250);
    // the receiver answered 503 with Retry-After: 1 twice: the retries follow it, not the 5 s / 5 min schedule
    expect(Date.parse(call!.at) - dueMs).toBeGreaterThan(-8_000);
    expect(Date.parse(call!.at) - dueMs).toBeLessThan(20_000);
    const refused = (await (await fetch(`${info.receiver}/refused`)).json()) as Array<{ at: string; headers: Record<string, string> }>;
    expect(refused.map((r) => r.headers['webhook-id'])).toEqual([call!.headers['webhook-id'], call!.headers['webhook-id']]);
    expect(Date.parse(call!.at) - Date.parse(refused[0]!.at)).toBeLessThan(4_500);
    expectStandardWebhook(call!, Date.parse(call!.at));
    expect(JSON.parse(call!.body)).toMatchObject({ type: 'event.reminder', event: { id: created.id, subject } });
    await sleep(5_000);
    expect(await ours()).toHaveLength(1);
  });
});

describe(`deliveries and redelivery routes (${info.database})`, () => {
  it('are in the OpenAPI document; a bad status is a 400 naming it; an unknown id a 404', async () => {
    const docs = (await (await fetch(`${info.urls.notifications}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(docs.paths['/api/notifications/deliveries'] ?? {})).toEqual(['get']);
    expect(Object.keys(docs.paths['/api/notifications/{id}/redeliver'] ?? {})).toEqual(['post']);
    const bad = await p.call('notifications', 'GET', '/api/notifications/deliveries?status=bogus');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^status/) });
    const unknown = await p.call('notifications', 'POST', '/api/notifications/rem_unknown/redeliver');
    expect(unknown.status).toBe(404);
  });
});
