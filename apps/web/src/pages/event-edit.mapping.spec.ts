import type { EventDetail } from '@ocb/service-clients';
import { changedForm, detailToFields, needsScope, scopeOf, withListedZone } from './event-edit.mapping';

const detail = (over: Partial<EventDetail> = {}): EventDetail => ({
  id: 'occ-3',
  subject: 'Design review',
  start: { dateTime: '2027-01-26T10:00:00.0000000', timeZone: 'Pacific Standard Time' },
  end: { dateTime: '2027-01-26T11:00:00.0000000', timeZone: 'Pacific Standard Time' },
  startUtc: '2027-01-26T18:00:00Z',
  endUtc: '2027-01-26T19:00:00Z',
  isAllDay: false,
  location: 'Room 4',
  description: 'Agenda',
  attendees: [
    { name: 'Org', email: 'Org@contoso.com', type: 'required', response: 'organizer' },
    { name: 'Ana', email: 'ana@contoso.com', type: 'required', response: 'accepted' },
  ],
  organizer: { name: 'Org', email: 'org@contoso.com' },
  isOrganizer: true,
  canEdit: true,
  joinUrl: 'https://teams.example/join',
  webLink: null,
  type: 'occurrence',
  seriesMasterId: 'series-1',
  recurrence: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], count: 6 },
  isOfficeHours: false,
  isCancelled: false,
  ...over,
});

describe('detailToFields', () => {
  it('fills the Create Event form in the event’s own zone, without the organizer among the attendees', () => {
    expect(detailToFields(detail())).toEqual({
      title: 'Design review',
      start: '2027-01-26T10:00',
      end: '2027-01-26T11:00',
      timeZone: 'Pacific Standard Time',
      recurrenceType: 'weekly',
      interval: '1',
      daysOfWeek: ['tuesday'],
      until: '',
      count: '6',
      location: 'Room 4',
      description: 'Agenda',
      attendees: ['ana@contoso.com'],
      isOnlineMeeting: 'on',
    });
  });

  it('a single event without attendees or meeting: once, one empty attendee row, online off', () => {
    const f = detailToFields(detail({ type: 'singleInstance', seriesMasterId: null, recurrence: null, attendees: [], joinUrl: null, location: null }));
    expect([f['recurrenceType'], f['attendees'], f['isOnlineMeeting'], f['location']]).toEqual(['once', [''], '', '']);
  });
});

describe('changedForm', () => {
  const original = detailToFields(detail());

  it('an untouched form changes nothing', () => {
    expect(changedForm(original, { ...original, attendees: ['ANA@contoso.com'] })).toEqual({});
  });

  it('sends only the changed title', () => {
    expect(changedForm(original, { ...original, title: 'Design review (moved)' })).toEqual({ title: 'Design review (moved)' });
  });

  it('a time change sends start, end and zone together; a cleared location is sent as ""', () => {
    expect(changedForm(original, { ...original, start: '2027-01-26T12:00', location: '' })).toEqual({
      start: '2027-01-26T12:00:00',
      end: '2027-01-26T11:00:00',
      timeZone: 'Pacific Standard Time',
      location: '',
    });
  });

  it('recurrence, attendees and online meeting when they change', () => {
    const next = { ...original, count: '8', attendees: ['ana@contoso.com', 'bo@contoso.com'], isOnlineMeeting: '' };
    expect(changedForm(original, next)).toEqual({
      recurrence: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], count: 8 },
      attendees: ['ana@contoso.com', 'bo@contoso.com'],
      isOnlineMeeting: false,
    });
  });
});

describe('scope', () => {
  it('an occurrence needs one of the three choices; anything else is null (required)', () => {
    const occ = detail();
    expect(needsScope(occ)).toBe(true);
    expect(['occurrence', 'series', 'following', undefined, 'all'].map((v) => scopeOf(occ, v))).toEqual(['occurrence', 'series', 'following', null, null]);
  });

  it('a single event or a series needs no choice', () => {
    const single = detail({ type: 'singleInstance', seriesMasterId: null });
    expect([needsScope(single), scopeOf(single, undefined)]).toEqual([false, 'series']);
    expect(needsScope(detail({ type: 'seriesMaster', seriesMasterId: null }))).toBe(false);
  });
});

describe('withListedZone', () => {
  const zones = [
    { id: 'UTC', iana: 'Etc/UTC' },
    { id: 'W. Europe Standard Time', iana: 'Europe/Berlin' },
  ];

  it('names the zone by the list’s id (an IANA name or another case), so an untouched form changes no zone', () => {
    expect(withListedZone({ timeZone: 'Europe/Berlin' }, zones)).toEqual({ timeZone: 'W. Europe Standard Time' });
    expect(withListedZone({ timeZone: 'w. europe standard time' }, zones)).toEqual({ timeZone: 'W. Europe Standard Time' });
    expect(withListedZone({ timeZone: 'Mars/Olympus' }, zones)).toEqual({ timeZone: 'Mars/Olympus' });
  });
});
