import { changedOfficeHours, recurs, toOfficeHoursForm } from './office-hours.mapping';

const form = {
  title: '',
  start: '2027-02-01T14:00',
  end: '2027-02-01T15:00',
  timeZone: 'W. Europe Standard Time',
  recurrenceType: 'weekly',
  interval: '2',
  daysOfWeek: ['monday', 'wednesday'],
  until: '2027-06-30',
  count: '',
  description: 'Ask me anything',
};

describe('office hours form', () => {
  it('maps to actions’ office hours DTO: times, zone, recurrence, description; an empty title is left to the default', () => {
    expect(toOfficeHoursForm(form)).toEqual({
      start: '2027-02-01T14:00:00',
      end: '2027-02-01T15:00:00',
      timeZone: 'W. Europe Standard Time',
      recurrence: { type: 'weekly', interval: 2, daysOfWeek: ['monday', 'wednesday'], until: '2027-06-30' },
      description: 'Ask me anything',
    });
    expect(toOfficeHoursForm({ ...form, title: 'Thesis help' })['title']).toBe('Thesis help');
  });

  it('an edit sends what changed, and no event-only field', () => {
    expect(changedOfficeHours(form, { ...form, description: 'Bring questions', recurrenceType: 'daily' })).toEqual({
      description: 'Bring questions',
      recurrence: { type: 'daily', interval: 2, until: '2027-06-30' },
    });
    expect(changedOfficeHours(form, form)).toEqual({});
  });

  it('must recur daily, weekly or monthly', () => {
    expect(['daily', 'weekly', 'monthly', 'once', ''].map((t) => recurs({ recurrenceType: t }))).toEqual([true, true, true, false, false]);
  });
});
