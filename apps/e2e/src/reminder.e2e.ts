// Journey 4 — a reminder: an event created through actions to start in 60 min + 20 s produces one
// signed event.reminder webhook call about 20 s later.
import { createHmac } from 'node:crypto';
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

    const expected = `sha256=${createHmac('sha256', info.webhookSecret).update(call!.body).digest('hex')}`;
    expect(call!.headers['x-signature']).toBe(expected);
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
  });

  it('is retried until the platform accepts it (two 503s first), and accepted once', async () => {
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
    // the receiver records only accepted calls; retries start about a second apart
    expect(Date.parse(call!.at) - dueMs).toBeGreaterThan(-8_000);
    expect(Date.parse(call!.at) - dueMs).toBeLessThan(20_000);
    expect(call!.headers['x-signature']).toBe(`sha256=${createHmac('sha256', info.webhookSecret).update(call!.body).digest('hex')}`);
    expect(JSON.parse(call!.body)).toMatchObject({ type: 'event.reminder', event: { id: created.id, subject } });
    await sleep(5_000);
    expect(await ours()).toHaveLength(1);
  });
});
