import { createHmac } from 'node:crypto';
import { defaultDeliveryPolicy, retryAfterMs, retryDelayMs } from '../delivery/webhook.sender';
import { signatureOf } from '../delivery/webhook.signer';
import { leadPhrase, reminderId, reminderMessage } from './reminder-body';
import { minutesUntil } from './reminder-planner.service';

describe('reminder body', () => {
  it('derives the phrase from the lead', () => {
    expect(leadPhrase(60)).toBe('in 1 hour');
    expect(leadPhrase(30)).toBe('in 30 minutes');
    expect(leadPhrase(120)).toBe('in 2 hours');
    expect(leadPhrase(1)).toBe('in 1 minute');
    expect(leadPhrase(90)).toBe('in 1 hour 30 minutes');
    expect(reminderMessage('Design review', 60)).toBe('Your meeting "Design review" will start in 1 hour.');
    expect(reminderMessage('  ', 15)).toBe('Your meeting "(no subject)" will start in 15 minutes.');
    expect(reminderMessage('Now', 0)).toBe('Your meeting "Now" is starting now.');
  });

  it('states the time left for a reminder decided late, the configured lead for one on time', () => {
    const start = '2026-03-02T09:00:00.000Z';
    const at = (iso: string) => Date.parse(iso);
    expect(minutesUntil(start, at('2026-03-02T08:00:00.000Z'), 60)).toBe(60);
    expect(minutesUntil(start, at('2026-03-02T08:00:00.400Z'), 60)).toBe(60);
    expect(minutesUntil(start, at('2026-03-02T07:30:00.000Z'), 60)).toBe(60);
    expect(minutesUntil(start, at('2026-03-02T08:35:10.000Z'), 60)).toBe(25);
    expect(minutesUntil(start, at('2026-03-02T08:59:50.000Z'), 60)).toBe(1);
    expect(reminderMessage('Quick sync', minutesUntil(start, at('2026-03-02T08:20:00.000Z'), 60))).toBe('Your meeting "Quick sync" will start in 40 minutes.');
  });

  it('has a stable id per (event, start) and a new one when the start moves', () => {
    const a = reminderId('AAMk-1', '2026-12-01T18:00:00.000Z');
    expect(a).toBe(reminderId('AAMk-1', '2026-12-01T18:00:00.000Z'));
    expect(a).not.toBe(reminderId('AAMk-1', '2026-12-01T18:30:00.000Z'));
    expect(a).not.toBe(reminderId('AAMk-2', '2026-12-01T18:00:00.000Z'));
    expect(a).toMatch(/^rem_[0-9a-f]{40}$/);
  });

  it('signs the raw body with HMAC-SHA256', () => {
    const body = '{"id":"x","message":"Ünïcode"}';
    expect(signatureOf(body, 's')).toBe(`sha256=${createHmac('sha256', 's').update(Buffer.from(body, 'utf8')).digest('hex')}`);
  });

  it('signs with the decoded key of a whsec_ secret', () => {
    const key = Buffer.alloc(32, 7);
    expect(signatureOf('{}', `whsec_${key.toString('base64')}`)).toBe(`sha256=${createHmac('sha256', key).update('{}').digest('hex')}`);
  });

  it('retries on the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then every 10 h) with ± 10 % jitter', () => {
    const policy = (r: number) => ({ ...defaultDeliveryPolicy, random: () => r });
    const s = 1000;
    const h = 3600 * s;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n, policy(0.5)))).toEqual([5 * s, 300 * s, 1800 * s, 2 * h, 5 * h, 10 * h, 10 * h, 10 * h, 10 * h]);
    expect(retryDelayMs(1, policy(0))).toBe(4500);
    expect(retryDelayMs(1, policy(1))).toBe(5500);
    expect(retryDelayMs(6, policy(0))).toBe(9 * h);
    expect(defaultDeliveryPolicy.timeoutMs).toBe(15 * s);
  });

  it('reads Retry-After as seconds or an HTTP-date, at least 1 s and capped', () => {
    const now = Date.parse('2026-03-02T08:00:00Z');
    expect(retryAfterMs('120', now, 3_600_000)).toBe(120_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 08:00:30 GMT', now, 3_600_000)).toBe(30_000);
    expect(retryAfterMs('0', now, 3_600_000)).toBe(1000);
    expect(retryAfterMs('999999', now, 3_600_000)).toBe(3_600_000);
    expect(retryAfterMs('soon', now, 3_600_000)).toBeNull();
    expect(retryAfterMs(null, now, 3_600_000)).toBeNull();
  });
});
