/**
 * Dates Outlook does not accept (before 1601-01-01, after 4500-12-31): every date field of the
 * event and office hours forms is refused with 400 naming it, in UTC and in zones with an offset,
 * and nothing is written; events that already carry such dates (written by another client) can
 * still be edited, or are refused with a 400 that says what to give, never a 500.
 */
import { startActions, type ActionsHarness, type Json } from '../testing/actions-test-kit';

let h: ActionsHarness;
let user: string;

beforeAll(async () => {
  h = await startActions();
  user = h.users[0].id;
});
afterAll(() => h.close());

const ZONES = ['UTC', 'Pacific Standard Time', 'Tokyo Standard Time', 'Europe/Berlin'];
const ACCEPTED = ['1601-01-01', '4500-12-31'];
const REFUSED = ['0000-01-01', '1600-12-31', '4501-01-01', '9999-12-31'];

type Kind = 'events' | 'office-hours';
const KINDS: Kind[] = ['events', 'office-hours'];

/** A valid create form of `kind` on `date` (office hours recur weekly). */
function form(kind: Kind, date: string, zone: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const base = { start: `${date}T10:00:00`, end: `${date}T11:00:00`, timeZone: zone };
  return kind === 'events' ? { title: 'Dated', ...base, ...over } : { ...base, recurrence: { type: 'weekly', count: 2 }, ...over };
}

/** Runs `fn` and expects that it wrote nothing to Graph. */
async function noWrite<T>(fn: () => Promise<T>): Promise<T> {
  const before = await h.writes();
  const out = await fn();
  expect(await h.writes()).toBe(before);
  return out;
}

function expectRefused(r: { status: number; body: Json }, field: string, date: string): void {
  expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  expect(r.body.message).toContain(`${field}: `);
  expect(r.body.message).toContain(`from 1601-01-01 to 4500-12-31`);
  expect(r.body.message).toContain(`got ${date}`);
}

/** A single event (or an office hours series) created through the API on 2027-03-02. */
async function created(kind: Kind, zone: string): Promise<string> {
  const r = await h.api('POST', `/users/${user}/${kind}`, form(kind, '2027-03-02', zone));
  expect(r.status).toBe(201);
  return String(r.body.id);
}

describe.each(KINDS)('%s', (kind) => {
  describe.each(ZONES)('in %s', (zone) => {
    it.each(ACCEPTED)('accepts a start and end on %s', async (date) => {
      const r = await h.api('POST', `/users/${user}/${kind}`, form(kind, date, zone));
      expect(r.status).toBe(201);
      const event = await h.graphEvent(user, String(r.body.id));
      // Stored as given: the wall time reads back unshifted in the event's zone.
      expect(r.body.start.dateTime.slice(0, 19)).toBe(`${date}T10:00:00`);
      expect(event['start'].dateTime).toMatch(new RegExp(`^${date.slice(0, 4)}-`));
    });

    it.each(REFUSED)('refuses start %s (400 naming start, nothing written)', async (date) => {
      const r = await noWrite(() => h.api('POST', `/users/${user}/${kind}`, form(kind, date, zone, { end: '2027-01-01T11:00:00' })));
      expectRefused(r, 'start', date);
      expect(r.body.message).not.toMatch(/(^|; )end: /);
    });

    it.each(REFUSED)('refuses end %s (400 naming end, nothing written)', async (date) => {
      const start = date < '1601' ? '1601-01-01T10:00:00' : '2027-01-01T10:00:00';
      const r = await noWrite(() => h.api('POST', `/users/${user}/${kind}`, form(kind, '2027-01-01', zone, { start, end: `${date}T11:00:00` })));
      expectRefused(r, 'end', date);
      expect(r.body.message).not.toMatch(/(^|; )start: /);
    });

    it('recurrence.until: 4500-12-31 accepted, 4501-01-01 refused on create', async () => {
      const ok = await h.api('POST', `/users/${user}/${kind}`, form(kind, '2027-03-02', zone, { recurrence: { type: 'weekly', until: '4500-12-31' } }));
      expect(ok.status).toBe(201);
      expect((await h.graphEvent(user, String(ok.body.id)))['recurrence'].range).toMatchObject({ type: 'endDate', endDate: '4500-12-31' });
      for (const until of ['4501-01-01', '9999-12-31']) {
        const r = await noWrite(() => h.api('POST', `/users/${user}/${kind}`, form(kind, '2027-03-02', zone, { recurrence: { type: 'weekly', until } })));
        expectRefused(r, 'recurrence.until', until);
      }
    });

    it('PATCH refuses each field out of range, writing nothing, and accepts the boundaries', async () => {
      const id = await created(kind, zone);
      const before = await h.graphEvent(user, id);
      for (const [patch, field, date] of [
        [{ start: '1600-12-31T10:00:00', end: '2027-03-02T11:00:00' }, 'start', '1600-12-31'],
        [{ end: '4501-01-01T11:00:00' }, 'end', '4501-01-01'],
        [{ start: '0000-01-01T10:00:00' }, 'start', '0000-01-01'],
        [{ recurrence: { type: 'daily', until: '4501-01-01' } }, 'recurrence.until', '4501-01-01'],
      ] as const) {
        const r = await noWrite(() => h.api('PATCH', `/users/${user}/${kind}/${id}`, patch));
        expectRefused(r, field, date);
      }
      expect(await h.graphEvent(user, id)).toEqual(before);

      const late = await h.api('PATCH', `/users/${user}/${kind}/${id}`, { start: '4500-12-31T10:00:00', end: '4500-12-31T11:00:00' });
      expect(late.status).toBe(200);
      expect(late.body.start.dateTime.slice(0, 19)).toBe('4500-12-31T10:00:00');
      const early = await h.api('PATCH', `/users/${user}/${kind}/${id}`, { start: '1601-01-01T10:00:00', end: '1601-01-01T11:00:00' });
      expect(early.status).toBe(200);
      expect(early.body.start.dateTime.slice(0, 19)).toBe('1601-01-01T10:00:00');
      // A later edit of the same event still works.
      const again = await h.api('PATCH', `/users/${user}/${kind}/${id}`, { description: 'still editable' });
      expect([again.status, again.body.description]).toEqual([200, 'still editable']);
    });

    it('a kept duration that would carry the end past 4500-12-31 is refused naming end', async () => {
      const id = await created(kind, zone);
      // 2 h long; moving its start to 23:00 on the last day puts the end on 4501-01-01.
      await h.api('PATCH', `/users/${user}/${kind}/${id}`, { end: '2027-03-02T12:00:00' });
      const r = await noWrite(() => h.api('PATCH', `/users/${user}/${kind}/${id}`, { start: '4500-12-31T23:00:00' }));
      expectRefused(r, 'end', '4501-01-01');
    });
  });
});

describe('events written by another client with dates Outlook does not accept', () => {
  /** An event put straight into the mailbox (as another Outlook client would), in `zone`. */
  async function foreign(date: string, zone: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await h.sim.admin(`users/${user}/events`, {
      method: 'POST',
      body: { subject: 'Foreign', start: { dateTime: `${date}T05:00:00`, timeZone: zone }, end: { dateTime: `${date}T06:00:00`, timeZone: zone }, ...extra },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  it.each([
    ['0000-01-01', 'Pacific Standard Time'],
    ['0000-01-01', 'Tokyo Standard Time'],
    ['1500-06-01', 'Europe/Berlin'],
    ['9999-12-31', 'Pacific Standard Time'],
  ])('%s in %s: a new title goes through, a time change that needs the stored time is a 400, new times move it', async (date, zone) => {
    const id = await foreign(date, zone);
    const title = await h.api('PATCH', `/users/${user}/events/${id}`, { title: 'Renamed' });
    expect([title.status, title.body.subject]).toEqual([200, 'Renamed']);

    const before = await h.graphEvent(user, id);
    const endOnly = await noWrite(() => h.api('PATCH', `/users/${user}/events/${id}`, { end: '2027-01-01T11:00:00' }));
    expect([endOnly.status, endOnly.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(endOnly.body.message).toMatch(/(^|; )start: /);
    const recurrence = await noWrite(() => h.api('PATCH', `/users/${user}/events/${id}`, { recurrence: { type: 'daily', count: 3 } }));
    expect([recurrence.status, recurrence.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(recurrence.body.message).toMatch(/(^|; )start: /);
    expect(await h.graphEvent(user, id)).toEqual(before);

    const moved = await h.api('PATCH', `/users/${user}/events/${id}`, { start: '2027-01-04T09:00:00', end: '2027-01-04T10:00:00' });
    expect(moved.status).toBe(200);
    expect(moved.body.start.dateTime.slice(0, 19)).toBe('2027-01-04T09:00:00');
  });

  it('an office hours series with such a start: a description edit goes through, a shifted time is a 400', async () => {
    const id = await foreign('1500-01-06', 'Europe/Berlin', {
      categories: ['Office hours'],
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'] }, range: { type: 'numbered', startDate: '1500-01-06', numberOfOccurrences: 3 } },
    });
    const described = await h.api('PATCH', `/users/${user}/office-hours/${id}`, { description: 'moved online' });
    expect([described.status, described.body.description]).toEqual([200, 'moved online']);
    const r = await noWrite(() => h.api('PATCH', `/users/${user}/office-hours/${id}`, { end: '2027-01-06T07:00:00' }));
    expectRefused(r, 'start', '1500-01-06');
  });
});
