import { createHmac } from 'node:crypto';
import { retryDelayMs, signatureOf } from '../delivery/webhook.sender';
import { leadPhrase, reminderId, reminderMessage } from './reminder-body';

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

  it('backs off exponentially with jitter, capped', () => {
    const policy = (r: number) => ({ baseDelayMs: 1000, maxDelayMs: 60_000, random: () => r });
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy(1)))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy(0)))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(30, policy(1))).toBe(60_000);
  });
});
