import { http, HttpResponse } from 'msw';
import { normalizeGraphRecurrence, toGraphRecurrence } from '@ocb/recurrence';
import { startActions, type ActionsHarness, type Json } from '../testing/actions-test-kit';

let h: ActionsHarness;
let organizer: string;
let attendee: { id: string; mail: string };

beforeAll(async () => {
  h = await startActions();
  organizer = h.users[0].id;
  attendee = { id: h.users[1].id, mail: h.users[1].mail };
});
afterAll(() => h.close());

const form = (over: Record<string, unknown> = {}) => ({
  title: 'Design review',
  start: '2027-03-10T10:00:00',
  end: '2027-03-10T11:00:00',
  timeZone: 'Pacific Standard Time',
  ...over,
});

/** Occurrences of a mailbox between two instants, as Graph's calendarView shows them (UTC). */
async function calendarView(user: string, from: string, to: string): Promise<Array<Record<string, Json>>> {
  const res = await fetch(
    `${h.sim.graphBaseUrl}/v1.0/users/${user}/calendarView?startDateTime=${from}&endDateTime=${to}&$top=100`,
    { headers: { Authorization: `Bearer ${h.sim.simulator.userToken(user)}`, Prefer: 'outlook.timezone="UTC"' } },
  );
  return ((await res.json()) as { value: Array<Record<string, Json>> }).value;
}

async function stored(user: string, id: string): Promise<Record<string, Json>> {
  const found = (await h.mailbox(user)).find((e) => String(e['id']) === id);
  if (!found) throw new Error(`event ${id} not in ${user}'s mailbox`);
  return found;
}

/** Runs `fn`, then expects that nothing was asked of auth and nothing was written to Graph. */
async function expectNoWrite(fn: () => Promise<void>): Promise<void> {
  const writes = await h.writes();
  const tokenCalls = h.tokens.calls.length;
  await fn();
  expect(await h.writes()).toBe(writes);
  expect(h.tokens.calls.length).toBe(tokenCalls);
}

describe('create', () => {
  it.each([
    ['once', undefined, null],
    ['daily every 2 days, 5 times', { type: 'daily', interval: 2, count: 5 }, { pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', numberOfOccurrences: 5 } }],
    [
      'weekly on Tuesday and Thursday until a date',
      { type: 'weekly', daysOfWeek: ['tuesday', 'thursday'], until: '2027-06-30' },
      { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday', 'thursday'], firstDayOfWeek: 'sunday' }, range: { type: 'endDate', endDate: '2027-06-30' } },
    ],
    ['weekly without days (the start day)', { type: 'weekly', interval: 2 }, { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['wednesday'] }, range: { type: 'noEnd' } }],
    ['monthly on the day of the month', { type: 'monthly', count: 12 }, { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 10 }, range: { type: 'numbered', numberOfOccurrences: 12 } }],
    [
      'monthly on the second Tuesday',
      { type: 'monthly', weekOfMonth: 'second', daysOfWeek: ['tuesday'], interval: 3 },
      { pattern: { type: 'relativeMonthly', interval: 3, daysOfWeek: ['tuesday'], index: 'second' }, range: { type: 'noEnd' } },
    ],
  ])('%s: the Graph recurrence Microsoft expects', async (_name, recurrence, expected) => {
    const r = await h.api('POST', `/users/${organizer}/events`, form(recurrence ? { recurrence } : {}));
    expect(r.status).toBe(201);
    const event = await stored(organizer, String(r.body.id));
    if (expected === null) {
      expect(event['recurrence']).toBeNull();
      expect(event['type']).toBe('singleInstance');
      return;
    }
    expect(event['type']).toBe('seriesMaster');
    expect(event['recurrence']).toMatchObject(expected);
    expect(event['recurrence'].range).toMatchObject({ startDate: '2027-03-10', recurrenceTimeZone: 'Pacific Standard Time' });
    // Exactly what Graph stores for the pattern we computed.
    const ours = toGraphRecurrence(recurrence as never, { start: '2027-03-10T10:00:00', timeZone: 'Pacific Standard Time' });
    expect(event['recurrence']).toEqual(normalizeGraphRecurrence(ours!, 'Pacific Standard Time'));
    expect(r.body.recurrence).toMatchObject({ type: (recurrence as { type: string }).type });
  });

  it('answers 201 with the detail sync now has, after refreshing the user before the response', async () => {
    const before = h.sync.calls.length;
    const r = await h.api('POST', `/users/${h.users[0].userPrincipalName}/events`, form({
      location: 'Room 4',
      description: 'Agenda <in> the doc & more\nsecond line',
      attendees: ['ana@contoso.com', { email: 'bo@contoso.com', name: 'Bo', type: 'optional' }],
      isOnlineMeeting: true,
    }));
    expect(r.status).toBe(201);
    expect(h.sync.calls.slice(before)).toEqual([`refresh:${h.users[0].userPrincipalName}`, `event:${h.users[0].userPrincipalName}:${r.body.id}`]);
    expect(r.body).toMatchObject({
      fromSync: true,
      subject: 'Design review',
      start: { dateTime: '2027-03-10T10:00:00.0000000', timeZone: 'Pacific Standard Time' },
      startUtc: '2027-03-10T18:00:00.000Z',
      endUtc: '2027-03-10T19:00:00.000Z',
      location: 'Room 4',
      description: 'Agenda <in> the doc & more\nsecond line',
      attendees: [
        { email: 'ana@contoso.com', type: 'required' },
        { email: 'bo@contoso.com', name: 'Bo', type: 'optional' },
      ],
      isOrganizer: true,
      canEdit: true,
      type: 'singleInstance',
    });
    expect(r.body.joinUrl).toMatch(/^https:\/\/.+meetup-join/);
    const event = await stored(organizer, String(r.body.id));
    expect(event['onlineMeetingProvider']).toBe('teamsForBusiness');
    expect(event['transactionId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['Pacific Standard Time', ['2027-03-10T18:00:00', '2027-03-17T17:00:00', '2027-03-24T17:00:00']],
    ['America/Los_Angeles', ['2027-03-10T18:00:00', '2027-03-17T17:00:00', '2027-03-24T17:00:00']],
    ['Asia/Kolkata', ['2027-03-10T04:30:00', '2027-03-17T04:30:00', '2027-03-24T04:30:00']],
  ])('a weekly series in %s lands at the right UTC instants across the DST change', async (timeZone, utcStarts) => {
    const r = await h.api('POST', `/users/${organizer}/events`, form({ timeZone, title: `DST ${timeZone}`, recurrence: { type: 'weekly', count: 3 } }));
    expect(r.status).toBe(201);
    const view = (await calendarView(organizer, '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z')).filter((e) => e['seriesMasterId'] === r.body.id);
    expect(view.map((e) => e['start'].dateTime.slice(0, 19))).toEqual(utcStarts);
    expect(view.every((e) => String(e['originalStartTimeZone']) === (timeZone === 'Asia/Kolkata' ? 'India Standard Time' : 'Pacific Standard Time'))).toBe(true);
  });

  it('still answers 201 (detail from Graph) when sync is down after the write', async () => {
    h.sync.down = true;
    try {
      const r = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Sync is down' }));
      expect(r.status).toBe(201);
      expect(r.body.fromSync).toBeUndefined();
      expect(r.body).toMatchObject({ subject: 'Sync is down', startUtc: '2027-03-10T18:00:00.000Z', isOrganizer: true });
      expect((await stored(organizer, String(r.body.id)))['subject']).toBe('Sync is down');
    } finally {
      h.sync.down = false;
    }
  });

  it('passes CONSENT_REQUIRED from auth through with its connectUrl, writing nothing', async () => {
    h.tokens.notConnected.add(h.users[2].id);
    const writes = await h.writes();
    const r = await h.api('POST', `/users/${h.users[2].id}/events`, form());
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ statusCode: 409, code: 'CONSENT_REQUIRED', connectUrl: expect.stringContaining('/api/auth/connect') });
    expect(await h.writes()).toBe(writes);
    expect((await h.api('POST', '/users/nobody@contoso.com/events', form())).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});

describe('validation: 400 naming the field, nothing sent', () => {
  it.each([
    ['end before start', form({ end: '2027-03-10T09:00:00' }), /^end: end must be after start/],
    ['unknown zone', form({ timeZone: 'Pacific Fantasy Time' }), /^timeZone: Unknown time zone/],
    ['bad email', form({ attendees: ['ana@'] }), /^attendees\[0\]: "ana@" is not a valid email address/],
    ['duplicate attendee', form({ attendees: ['ana@contoso.com', { email: 'ANA@contoso.com' }] }), /^attendees\[1\]: ANA@contoso.com is already attendees\[0\]/],
    ['until and count together', form({ recurrence: { type: 'daily', until: '2027-04-01', count: 3 } }), /^recurrence: give at most one of until and count/],
    ['unknown field', form({ colour: 'red' }), /^colour: unknown field$/],
    ['unknown recurrence field', form({ recurrence: { type: 'daily', every: 2 } }), /^recurrence\.every: unknown field$/],
    ['bad recurrence type', form({ recurrence: { type: 'yearly' } }), /^recurrence\.type must be one of/],
    ['offset in a wall time', form({ start: '2027-03-10T10:00:00Z' }), /^start must be a wall time/],
    ['missing title', { ...form(), title: undefined }, /^title /],
  ])('%s', async (_name, body, message) => {
    await expectNoWrite(async () => {
      const r = await h.api('POST', `/users/${organizer}/events`, body, { 'Idempotency-Key': `bad-${_name.replace(/\W+/g, '-')}` });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(r.body.message).toMatch(message);
    });
  });

  it('on PATCH too', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, form({ title: 'To edit' }));
    await expectNoWrite(async () => {
      for (const [body, message] of [
        [{ timeZone: 'Nowhere/Land' }, /^timeZone: /],
        [{ attendees: ['x@contoso.com', 'bad address'] }, /^attendees\[1\]: /],
        [{ title: 'x', extra: 1 }, /^extra: unknown field$/],
      ] as const) {
        const r = await h.api('PATCH', `/users/${organizer}/events/${created.body.id}`, body);
        expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(r.body.message).toMatch(message);
      }
      expect((await h.api('PATCH', `/users/${organizer}/events/${created.body.id}?scope=all`, { title: 'x' })).body.message).toMatch(/^scope must be one of/);
    });
    // Checked against the stored start (a read, no write).
    const writes = await h.writes();
    const r = await h.api('PATCH', `/users/${organizer}/events/${created.body.id}`, { end: '2027-03-10T09:30:00' });
    expect([r.status, r.body.message]).toEqual([400, 'end: end must be after start']);
    expect(await h.writes()).toBe(writes);
  });
});

describe('edit and cancel', () => {
  it('an attendee who is a tenant user sees the event but is not its organizer', async () => {
    const r = await h.api('POST', `/users/${organizer}/events`, form({ title: 'With a colleague', attendees: [attendee.mail] }));
    expect(r.status).toBe(201);
    const copy = (await h.mailbox(attendee.id)).find((e) => String(e['subject']) === 'With a colleague');
    expect(copy).toMatchObject({ isOrganizer: false, type: 'singleInstance' });
    await expectNoWriteByAttendee(async () => {
      const edit = await h.api('PATCH', `/users/${attendee.id}/events/${copy!['id']}`, { title: 'Hijacked' });
      expect([edit.status, edit.body.code]).toEqual([403, 'NOT_ORGANIZER']);
      const cancel = await h.api('DELETE', `/users/${attendee.id}/events/${copy!['id']}`);
      expect([cancel.status, cancel.body.code]).toEqual([403, 'NOT_ORGANIZER']);
      // The organizer's id is not in the attendee's mailbox.
      const other = await h.api('PATCH', `/users/${attendee.id}/events/${r.body.id}`, { title: 'Hijacked' });
      expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
    });
    expect((await stored(organizer, String(r.body.id)))['subject']).toBe('With a colleague');
  });

  async function expectNoWriteByAttendee(fn: () => Promise<void>): Promise<void> {
    const writes = await h.writes();
    await fn();
    expect(await h.writes()).toBe(writes);
  }

  it('edits a single event and refreshes the cache before answering', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Single', attendees: [attendee.mail] }));
    const before = h.sync.calls.length;
    const r = await h.api('PATCH', `/users/${organizer}/events/${created.body.id}`, {
      title: 'Single, moved',
      start: '2027-03-11T15:00:00',
      end: '2027-03-11T15:30:00',
      timeZone: 'Asia/Kolkata',
      attendees: [],
      location: 'Room 9',
    });
    expect(r.status).toBe(200);
    expect(h.sync.calls.slice(before)).toEqual([`refresh:${organizer}`, `event:${organizer}:${created.body.id}`]);
    expect(r.body).toMatchObject({ id: created.body.id, subject: 'Single, moved', startUtc: '2027-03-11T09:30:00.000Z', location: 'Room 9', attendees: [] });
    const event = await stored(organizer, String(created.body.id));
    expect(event['start']).toEqual({ dateTime: '2027-03-11T15:00:00.0000000', timeZone: 'India Standard Time' });
    // The removed attendee's copy is cancelled.
    expect((await h.mailbox(attendee.id)).find((e) => e['iCalUId'] === event['iCalUId'])).toMatchObject({ isCancelled: true });
  });

  it('an occurrence (default scope) becomes an exception; scope=series moves the whole series; the series keeps its id', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Weekly sync', recurrence: { type: 'weekly', count: 4 } }));
    const seriesId = created.body.id;
    const occurrences = () => calendarView(organizer, '2027-03-01T00:00:00Z', '2027-04-30T00:00:00Z').then((v) => v.filter((e) => e['seriesMasterId'] === seriesId));
    const second = (await occurrences())[1];
    expect(second['start'].dateTime).toMatch(/^2027-03-17T17:00:00/);

    // "Save current occurrence"
    const one = await h.api('PATCH', `/users/${organizer}/events/${second['id']}`, { title: 'Weekly sync (moved)', start: '2027-03-17T13:00:00', end: '2027-03-17T14:00:00' });
    expect(one.status).toBe(200);
    let view = await occurrences();
    expect(view.map((e) => [e['type'], e['subject'], e['start'].dateTime.slice(0, 16)])).toEqual([
      ['occurrence', 'Weekly sync', '2027-03-10T18:00'],
      ['exception', 'Weekly sync (moved)', '2027-03-17T20:00'],
      ['occurrence', 'Weekly sync', '2027-03-24T17:00'],
      ['occurrence', 'Weekly sync', '2027-03-31T17:00'],
    ]);

    // "Save all occurrences" from the third occurrence: 10:00 -> 11:30 for the series.
    const third = view[2];
    const all = await h.api('PATCH', `/users/${organizer}/events/${third['id']}?scope=series`, { start: '2027-03-24T11:30:00', end: '2027-03-24T12:00:00' });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ id: seriesId, type: 'seriesMaster', start: { dateTime: '2027-03-10T11:30:00.0000000' } });
    view = await occurrences();
    // As in Outlook, a new series time replaces the exceptions' times.
    expect(view.map((e) => [e['type'], e['start'].dateTime.slice(0, 16)])).toEqual([
      ['occurrence', '2027-03-10T19:30'],
      ['occurrence', '2027-03-17T18:30'],
      ['occurrence', '2027-03-24T18:30'],
      ['occurrence', '2027-03-31T18:30'],
    ]);

    // The series id: a new recurrence, same series (never delete-and-recreate).
    const count = (await h.mailbox(organizer)).length;
    const rec = await h.api('PATCH', `/users/${organizer}/events/${seriesId}`, { recurrence: { type: 'daily', count: 3 } });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ id: seriesId, recurrence: { type: 'daily', count: 3 } });
    expect((await h.mailbox(organizer)).length).toBe(count);
    expect((await stored(organizer, String(seriesId)))['recurrence'].pattern).toMatchObject({ type: 'daily', interval: 1 });

    // A recurrence on one occurrence is refused before any write.
    const occ = (await occurrences())[0];
    const refused = await h.api('PATCH', `/users/${organizer}/events/${occ['id']}`, { recurrence: { type: 'weekly' } });
    expect([refused.status, refused.body.message]).toEqual([400, expect.stringMatching(/^recurrence: .*scope=series/)]);
  });

  it('cancels as the organizer (204), the attendee copy is cancelled, then 404', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, form({ title: 'To cancel', attendees: [attendee.mail] }));
    const before = h.sync.calls.length;
    const r = await h.api('DELETE', `/users/${organizer}/events/${created.body.id}`);
    expect(r.status).toBe(204);
    expect(h.sync.calls.slice(before)).toEqual([`refresh:${organizer}`]);
    expect((await h.mailbox(organizer)).find((e) => e['id'] === created.body.id)).toBeUndefined();
    expect((await h.mailbox(attendee.id)).find((e) => String(e['subject']) === 'To cancel')).toMatchObject({ isCancelled: true });
    const again = await h.api('DELETE', `/users/${organizer}/events/${created.body.id}`);
    expect([again.status, again.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await h.api('PATCH', `/users/${organizer}/events/AAMkAGnotthere=`, { title: 'x' })).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('cancels one occurrence of a series', async () => {
    const created = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Daily standup', recurrence: { type: 'daily', count: 3 } }));
    const view = (await calendarView(organizer, '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z')).filter((e) => e['seriesMasterId'] === created.body.id);
    expect((await h.api('DELETE', `/users/${organizer}/events/${view[1]['id']}`)).status).toBe(204);
    const after = (await calendarView(organizer, '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z')).filter((e) => e['seriesMasterId'] === created.body.id);
    expect(after.map((e) => e['start'].dateTime.slice(0, 10))).toEqual(['2027-03-10', '2027-03-12']);
  });
});

describe('Idempotency-Key', () => {
  const key = () => `key-${Math.random().toString(36).slice(2)}`;
  const countSubject = async (subject: string) => (await h.mailbox(organizer)).filter((e) => String(e['subject']) === subject).length;

  it('a retried create returns the first event, never a second', async () => {
    const k = key();
    const first = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Idem 1' }), { 'Idempotency-Key': k });
    const again = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Idem 1' }), { 'Idempotency-Key': k });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await countSubject('Idem 1')).toBe(1);
    // Same key, another body.
    const reused = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Idem 1b' }), { 'Idempotency-Key': k });
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await countSubject('Idem 1b')).toBe(0);
  });

  it('Graph\'s answer lost once: the client re-sends the POST with its transactionId, one event', async () => {
    let dropped = 0;
    let inner = false;
    h.sim.server.use(
      http.post('*/v1.0/me/events', async ({ request }) => {
        if (inner || dropped > 0) return undefined;
        inner = true;
        try {
          await fetch(request);
        } finally {
          inner = false;
        }
        dropped++;
        return HttpResponse.error();
      }),
    );
    try {
      const r = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Dropped once' }));
      expect(r.status).toBe(201);
      expect(dropped).toBe(1);
      expect(await countSubject('Dropped once')).toBe(1);
    } finally {
      h.sim.server.resetHandlers();
    }
  });

  it('every answer lost: 503, and the platform\'s retry with the same key returns the first event', async () => {
    let dropped = 0;
    let inner = false;
    h.sim.server.use(
      http.post('*/v1.0/me/events', async ({ request }) => {
        if (inner) return undefined;
        inner = true;
        try {
          await fetch(request);
        } finally {
          inner = false;
        }
        dropped++;
        return HttpResponse.error();
      }),
    );
    const k = key();
    let lost: { status: number; body: Json };
    try {
      lost = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Lost' }), { 'Idempotency-Key': k });
    } finally {
      h.sim.server.resetHandlers();
    }
    expect(dropped).toBe(1 + h.config.GRAPH_MAX_RETRIES);
    expect([lost.status, lost.body.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect(await countSubject('Lost')).toBe(1);
    const retry = await h.api('POST', `/users/${organizer}/events`, form({ title: 'Lost' }), { 'Idempotency-Key': k });
    expect(retry.status).toBe(201);
    expect(await countSubject('Lost')).toBe(1);
    expect((await stored(organizer, String(retry.body.id)))['subject']).toBe('Lost');
    // And the stored answer from then on.
    expect((await h.api('POST', `/users/${organizer}/events`, form({ title: 'Lost' }), { 'Idempotency-Key': k })).body).toEqual(retry.body);
  });
});

describe('GET /api/timezones', () => {
  it('lists every Windows zone with its IANA zone and offset, with the platform key', async () => {
    const r = await h.api('GET', '/timezones');
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThan(130);
    expect(r.body).toContainEqual({ id: 'India Standard Time', iana: 'Asia/Calcutta', displayName: expect.stringMatching(/^\(UTC\+05:30\) /), utcOffset: '+05:30' });
    expect(r.body.map((z: { id: string }) => z.id)).toContain('Pacific Standard Time');
    const anonymous = await fetch(`${h.url}/api/timezones`);
    expect(anonymous.status).toBe(401);
  });
});
