import { translator } from '../i18n/locale';
import { busyText } from './assist-conflicts';
import { assistSection, durationOf, slotLabel } from './assist.view';

const ctx = { t: translator('en'), locale: 'en', csrf: 'c', path: '/events/new' };

describe('Create Event scheduling helpers (view)', () => {
  it('durationOf: the duration field, else end − start, else 30 minutes', () => {
    expect(durationOf({ duration: '90', start: '2027-01-12T10:00', end: '2027-01-12T10:15' })).toBe(90);
    expect(durationOf({ duration: '7', start: '2027-01-12T10:00', end: '2027-01-12T10:45' })).toBe(45);
    expect(durationOf({ start: '2027-01-12T10:00', end: '2027-01-12T09:00' })).toBe(30);
    expect(durationOf({})).toBe(30);
  });

  it('labels slots and conflicts through Intl in the given zone', () => {
    expect(slotLabel('2027-01-12T03:00:00Z', '2027-01-12T04:00:00Z', 'en', 'Asia/Tokyo')).toMatch(/^Tue, Jan 12, 12:00\s?–\s?1:00\sPM$/);
    const text = busyText(ctx, 'UTC', [
      { email: 'a@x.com', startUtc: '2027-01-12T03:00:00Z', endUtc: '2027-01-12T04:00:00Z' },
      { email: 'a@x.com', startUtc: '2027-01-13T03:00:00Z', endUtc: '2027-01-13T04:00:00Z' },
      { email: 'b@x.com', startUtc: '2027-01-12T05:00:00Z', endUtc: '2027-01-12T06:00:00Z' },
    ]);
    expect(text).toMatch(/^a@x\.com \(.*Jan 12.*, .*Jan 13.*\); b@x\.com \(.*\)$/);
  });

  it('renders a fresh idempotency key per rendering, the slots as submit buttons, and placeholders for app code', () => {
    const one = assistSection(ctx, {}, { slots: [{ start: '2027-01-12T10:00', end: '2027-01-12T10:30', label: 'Tue 10:00' }] }).value;
    const two = assistSection(ctx, {}).value;
    const key = (s: string) => /name="idempotencyKey" value="([^"]+)"/.exec(s)?.[1];
    expect(key(one)).toMatch(/^[0-9a-f-]{36}$/);
    expect(key(two)).not.toBe(key(one));
    expect(one).toContain('name="pick" value="2027-01-12T10:00|2027-01-12T10:30" formaction="/events/new/suggest"');
    expect(two).toMatch(/id="suggestions"[^>]* hidden/);
    expect(one).toContain('data-zone-matches="Matching time zones: {n}"');
    expect(one).toContain('role="status" aria-live="polite"');
  });
});
