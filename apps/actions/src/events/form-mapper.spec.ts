import { ApiError } from '@ocb/http';
import { isEmailAddress, parseAttendees } from './attendees';
import { OFFICE_HOURS_PROPERTY_ID } from '@ocb/graph-client';
import { buildPatch, checkForm, toGraphEvent, type StoredTimes } from './form-mapper';
import { eventDetailFromGraph, storedTimesOf } from './event-detail.mapper';

const base = { title: 'Design review', start: '2026-12-01T10:00', end: '2026-12-01T11:00:00', timeZone: 'Pacific Standard Time' };

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).getStatus()).toBe(400);
    expect((e as ApiError).code).toBe('VALIDATION_FAILED');
    return (e as ApiError).message;
  }
  throw new Error('expected a validation failure');
}

describe('checkForm', () => {
  it('names the field at fault', () => {
    expect(failure(() => checkForm({ ...base, end: '2026-12-01T09:00:00' }))).toMatch(/^end: end must be after start/);
    expect(failure(() => checkForm({ ...base, timeZone: 'Mars/Olympus' }))).toMatch(/^timeZone: Unknown time zone "Mars\/Olympus"/);
    expect(failure(() => checkForm({ ...base, start: '2026-12-01T10:00:00Z' }))).toMatch(/^start: .*must not carry "Z"/);
    expect(failure(() => checkForm({ ...base, recurrence: { type: 'daily', until: '2027-01-01', count: 3 } }))).toMatch(/^recurrence: give at most one of until and count/);
    expect(failure(() => checkForm({ ...base, recurrence: { type: 'weekly', until: '2026-11-01' } }))).toMatch(/^recurrence.until: until must not be before/);
    expect(failure(() => checkForm({ ...base, attendees: ['ana@contoso.com', 'not-an-address'] }))).toMatch(/^attendees\[1\]: "not-an-address" is not a valid email address/);
    expect(failure(() => checkForm({ title: 'x' }))).toMatch(/timeZone: timeZone is required; start: start is required; end: end is required/);
  });

  it('office hours must recur', () => {
    const oh = { start: base.start, end: base.end, timeZone: base.timeZone };
    expect(failure(() => checkForm({ ...oh, recurrence: { type: 'once' } }, { officeHours: true }))).toMatch(/^recurrence.type: office hours must recur/);
    expect(failure(() => checkForm(oh, { officeHours: true }))).toMatch(/^recurrence: office hours must recur/);
    expect(failure(() => checkForm({ recurrence: { type: 'once' } }, { officeHours: true, partial: true }))).toMatch(/^recurrence.type/);
    expect(() => checkForm({ description: 'new text' }, { officeHours: true, partial: true })).not.toThrow();
  });

  it('accepts Windows and IANA zones, and any subset on PATCH', () => {
    expect(checkForm({ ...base, timeZone: 'asia/kolkata' }).zone).toEqual({ windows: 'India Standard Time', iana: 'Asia/Kolkata' });
    expect(checkForm({ ...base, timeZone: 'Asia/Calcutta' }).zone?.windows).toBe('India Standard Time');
    expect(checkForm({ end: '2026-12-01T12:00' }, { partial: true })).toEqual({ end: '2026-12-01T12:00:00' });
    // Recurrence alone on PATCH: self-consistency now, against the stored start later.
    expect(failure(() => checkForm({ recurrence: { type: 'daily', until: '2027-01-01', count: 2 } }, { partial: true }))).toMatch(/^recurrence:/);
    expect(() => checkForm({ recurrence: { type: 'daily', until: '1999-01-01' } }, { partial: true })).not.toThrow();
  });
});

describe('attendees', () => {
  it('takes strings and objects, required by default', () => {
    const r = parseAttendees(['ana@contoso.com', { email: 'bo@contoso.com', name: 'Bo', type: 'optional' }, { email: 'room4@contoso.com', type: 'resource' }]);
    expect(r.errors).toEqual([]);
    expect(r.attendees).toEqual([
      { email: 'ana@contoso.com', name: null, type: 'required' },
      { email: 'bo@contoso.com', name: 'Bo', type: 'optional' },
      { email: 'room4@contoso.com', name: null, type: 'resource' },
    ]);
  });

  it('rejects duplicates (case-insensitive), bad addresses, bad types and unknown keys by index', () => {
    const r = parseAttendees(['ana@contoso.com', 'ANA@Contoso.com', 'bo@', { email: 'c@contoso.com', type: 'vip' }, { email: 'd@contoso.com', role: 'x' }, 42]);
    expect(r.errors.map((e) => e.field)).toEqual(['attendees[1]', 'attendees[2]', 'attendees[3].type', 'attendees[4].role', 'attendees[5]']);
    expect(r.errors[0].message).toMatch(/already attendees\[0\]/);
  });

  it('knows an address', () => {
    for (const ok of ['a@b.co', 'first.last+tag@sub.contoso.com', "o'neil@contoso.com"]) expect(isEmailAddress(ok)).toBe(true);
    for (const bad of ['a', 'a@b', '@b.com', 'a b@c.com', 'a@b..com', 'a@-b.com', '.a@b.com', 'a@b.com>', 'Ana <ana@contoso.com>']) {
      expect(isEmailAddress(bad)).toBe(false);
    }
  });
});

describe('toGraphEvent', () => {
  it('maps the form to the Graph event', () => {
    const g = toGraphEvent(
      checkForm({
        ...base,
        timeZone: 'America/Los_Angeles',
        recurrence: { type: 'weekly', daysOfWeek: ['tuesday', 'thursday'], until: '2027-03-01' },
        location: 'Room 4',
        description: 'Agenda <b>in</b> the doc & more',
        attendees: ['ana@contoso.com', { email: 'bo@contoso.com', name: 'Bo', type: 'optional' }],
        isOnlineMeeting: true,
      }),
    );
    expect(g).toEqual({
      subject: 'Design review',
      start: { dateTime: '2026-12-01T10:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2026-12-01T11:00:00', timeZone: 'Pacific Standard Time' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday', 'thursday'], firstDayOfWeek: 'sunday' },
        range: { type: 'endDate', startDate: '2026-12-01', endDate: '2027-03-01', recurrenceTimeZone: 'Pacific Standard Time' },
      },
      location: { displayName: 'Room 4' },
      body: { contentType: 'text', content: 'Agenda <b>in</b> the doc & more' },
      attendees: [
        { emailAddress: { address: 'ana@contoso.com' }, type: 'required' },
        { emailAddress: { address: 'bo@contoso.com', name: 'Bo' }, type: 'optional' },
      ],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
    });
  });

  it('tags office hours and defaults their subject', () => {
    const g = toGraphEvent(checkForm({ start: base.start, end: base.end, timeZone: 'UTC', recurrence: { type: 'daily' } }, { officeHours: true }), {
      officeHours: true,
    });
    expect(g.subject).toBe('Office hours');
    expect(g.categories).toEqual(['Office hours']);
    expect(g.singleValueExtendedProperties).toEqual([{ id: OFFICE_HOURS_PROPERTY_ID, value: 'true' }]);
    expect(g.recurrence?.range).toEqual({ type: 'noEnd', startDate: '2026-12-01', recurrenceTimeZone: 'UTC' });
  });
});

describe('buildPatch', () => {
  const series: StoredTimes = {
    type: 'seriesMaster',
    startWall: '2027-03-03T10:00:00',
    endWall: '2027-03-03T11:00:00',
    zone: 'Pacific Standard Time',
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'], firstDayOfWeek: 'sunday' },
      range: { type: 'noEnd', startDate: '2027-03-03', recurrenceTimeZone: 'Pacific Standard Time' },
    },
  };
  const occurrence: StoredTimes = { ...series, type: 'occurrence', startWall: '2027-03-17T10:00:00', endWall: '2027-03-17T11:00:00', recurrence: null };

  it('patches only what was given; a new start keeps the duration', () => {
    expect(buildPatch(checkForm({ title: 'New' }, { partial: true }), series)).toEqual({ body: { subject: 'New' }, changed: true });
    expect(buildPatch(checkForm({}, { partial: true }), series).changed).toBe(false);
    const p = buildPatch(checkForm({ start: '2027-03-03T14:00' }, { partial: true }), series).body;
    expect(p).toEqual({
      start: { dateTime: '2027-03-03T14:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2027-03-03T15:00:00', timeZone: 'Pacific Standard Time' },
    });
  });

  it('checks end against the stored start', () => {
    expect(failure(() => buildPatch(checkForm({ end: '2027-03-03T09:00' }, { partial: true }), series))).toMatch(/^end: end must be after start/);
  });

  it('a series edit from an occurrence shifts the master by the same amount', () => {
    const p = buildPatch(checkForm({ start: '2027-03-17T11:30', end: '2027-03-17T12:00' }, { partial: true }), series, { anchor: occurrence }).body;
    expect(p.start).toEqual({ dateTime: '2027-03-03T11:30:00', timeZone: 'Pacific Standard Time' });
    expect(p.end).toEqual({ dateTime: '2027-03-03T12:00:00', timeZone: 'Pacific Standard Time' });
    expect(p.recurrence).toBeUndefined();
  });

  it('re-sends the recurrence when the series start date moves, and refuses recurrence on one occurrence', () => {
    const p = buildPatch(checkForm({ start: '2027-03-04T10:00', end: '2027-03-04T11:00' }, { partial: true }), series).body;
    expect(p.recurrence?.range.startDate).toBe('2027-03-04');
    expect(p.recurrence?.pattern.daysOfWeek).toEqual(['wednesday']);
    expect(failure(() => buildPatch(checkForm({ recurrence: { type: 'daily' } }, { partial: true }), occurrence))).toMatch(/^recurrence: .*scope=series/);
    const r = buildPatch(checkForm({ recurrence: { type: 'monthly', count: 4 } }, { partial: true }), series).body;
    expect(r.recurrence).toEqual({
      pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 3 },
      range: { type: 'numbered', startDate: '2027-03-03', numberOfOccurrences: 4, recurrenceTimeZone: 'Pacific Standard Time' },
    });
    expect(failure(() => buildPatch(checkForm({ recurrence: { type: 'daily', until: '2027-01-01' } }, { partial: true }), series))).toMatch(
      /^recurrence.until/,
    );
  });
});

describe('Graph event -> detail', () => {
  it('shows the event in its own zone with UTC instants', () => {
    const e = {
      id: 'e1',
      subject: 'S',
      start: { dateTime: '2027-03-17T17:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2027-03-17T18:00:00.0000000', timeZone: 'UTC' },
      originalStartTimeZone: 'Pacific Standard Time',
      body: { contentType: 'html' as const, content: '<html><body>a &amp; b<br>c</body></html>' },
      isOrganizer: true,
      categories: ['Office hours'],
      type: 'occurrence' as const,
      seriesMasterId: 'm1',
    };
    expect(storedTimesOf(e)).toMatchObject({ startWall: '2027-03-17T10:00:00', endWall: '2027-03-17T11:00:00', zone: 'Pacific Standard Time' });
    expect(eventDetailFromGraph(e)).toMatchObject({
      start: { dateTime: '2027-03-17T10:00:00.0000000', timeZone: 'Pacific Standard Time' },
      startUtc: '2027-03-17T17:00:00.000Z',
      endUtc: '2027-03-17T18:00:00.000Z',
      description: 'a & b\nc',
      canEdit: true,
      isOfficeHours: true,
      recurrence: null,
      seriesMasterId: 'm1',
    });
  });
});
