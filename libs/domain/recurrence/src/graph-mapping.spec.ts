import * as fc from 'fast-check';
import {
  DAYS_OF_WEEK,
  fromGraphRecurrence,
  normalizeGraphRecurrence,
  PatternedRecurrence,
  RecurrenceForm,
  toGraphRecurrence,
  validateRecurrence,
  WEEK_INDEXES,
} from './index';

const PST = 'Pacific Standard Time';

describe('toGraphRecurrence', () => {
  it('maps the contract example (weekly until)', () => {
    expect(
      toGraphRecurrence(
        { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], until: '2027-03-01' },
        { start: '2026-12-01T10:00:00', timeZone: PST },
      ),
    ).toEqual({
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'sunday' },
      range: { type: 'endDate', startDate: '2026-12-01', endDate: '2027-03-01', recurrenceTimeZone: PST },
    });
  });

  it('returns null for once', () => {
    expect(toGraphRecurrence({ type: 'once' }, { start: '2026-12-01T10:00', timeZone: PST })).toBeNull();
  });

  it('weekly without days uses the start weekday; IANA zones become Windows names', () => {
    const pr = toGraphRecurrence({ type: 'weekly' }, { start: '2026-12-03T10:00', timeZone: 'Europe/Berlin' });
    expect(pr?.pattern.daysOfWeek).toEqual(['thursday']);
    expect(pr?.pattern.interval).toBe(1);
    expect(pr?.range).toEqual({ type: 'noEnd', startDate: '2026-12-03', recurrenceTimeZone: 'W. Europe Standard Time' });
  });

  it('monthly: absolute on the start day, relative with weekOfMonth', () => {
    expect(
      toGraphRecurrence({ type: 'monthly', interval: 2, count: 6 }, { start: '2026-01-31T08:00', timeZone: 'UTC' }),
    ).toEqual({
      pattern: { type: 'absoluteMonthly', interval: 2, dayOfMonth: 31 },
      range: { type: 'numbered', startDate: '2026-01-31', numberOfOccurrences: 6, recurrenceTimeZone: 'UTC' },
    });
    expect(
      toGraphRecurrence(
        { type: 'monthly', weekOfMonth: 'second', daysOfWeek: ['tuesday'] },
        { start: '2026-01-13T08:00', timeZone: 'Asia/Kolkata' },
      )?.pattern,
    ).toEqual({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' });
    expect(
      toGraphRecurrence({ type: 'monthly', weekOfMonth: 'last' }, { start: '2026-01-30T08:00', timeZone: 'UTC' })?.pattern,
    ).toEqual({ type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' });
  });

  it('daily', () => {
    expect(toGraphRecurrence({ type: 'daily', interval: 3 }, { start: '2026-01-30T08:00', timeZone: PST })?.pattern).toEqual({
      type: 'daily',
      interval: 3,
    });
  });
});

describe('fromGraphRecurrence', () => {
  it('null is once', () => {
    expect(fromGraphRecurrence(null)).toEqual({ type: 'once' });
  });

  it('reads Graph responses (fully filled, capitalised input accepted)', () => {
    expect(
      fromGraphRecurrence({
        pattern: { type: 'weekly', interval: 1, month: 0, dayOfMonth: 0, daysOfWeek: ['Monday' as never], firstDayOfWeek: 'sunday', index: 'first' },
        range: { type: 'endDate', startDate: '2017-09-04', endDate: '2017-12-31', recurrenceTimeZone: PST, numberOfOccurrences: 0 },
      }),
    ).toEqual({ type: 'weekly', interval: 1, daysOfWeek: ['monday'], until: '2017-12-31' });
    expect(
      fromGraphRecurrence({
        pattern: { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' },
        range: { type: 'numbered', startDate: '2026-11-26', numberOfOccurrences: 3 },
      }),
    ).toEqual({ type: 'monthly', interval: 12, daysOfWeek: ['thursday'], weekOfMonth: 'fourth', count: 3 });
    expect(
      fromGraphRecurrence({
        pattern: { type: 'absoluteYearly', interval: 2, month: 3, dayOfMonth: 1 },
        range: { type: 'noEnd', startDate: '2026-03-01', endDate: '0001-01-01' },
      }),
    ).toEqual({ type: 'monthly', interval: 24 });
  });

  it('inverts toGraphRecurrence (property)', () => {
    const day = fc.constantFrom(...DAYS_OF_WEEK);
    const form: fc.Arbitrary<RecurrenceForm> = fc.oneof(
      fc.record({ type: fc.constant('daily' as const), interval: fc.integer({ min: 1, max: 30 }) }),
      fc.record({
        type: fc.constant('weekly' as const),
        interval: fc.integer({ min: 1, max: 4 }),
        daysOfWeek: fc.uniqueArray(day, { minLength: 1, maxLength: 7 }),
      }),
      fc.record({ type: fc.constant('monthly' as const), interval: fc.integer({ min: 1, max: 6 }) }),
      fc.record({
        type: fc.constant('monthly' as const),
        interval: fc.integer({ min: 1, max: 6 }),
        daysOfWeek: fc.uniqueArray(day, { minLength: 1, maxLength: 2 }),
        weekOfMonth: fc.constantFrom(...WEEK_INDEXES),
      }),
    );
    const end = fc.oneof(
      fc.constant({}),
      fc.record({ count: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ until: fc.constantFrom('2026-12-31', '2027-06-30', '2030-01-01') }),
    );
    fc.assert(
      fc.property(form, end, fc.constantFrom(PST, 'Asia/Kolkata', 'UTC'), (f, e, zone) => {
        const input = { ...f, ...e };
        const pr = toGraphRecurrence(input, { start: '2026-06-10T09:00:00', timeZone: zone });
        expect(fromGraphRecurrence(pr)).toEqual(input);
        expect(fromGraphRecurrence(normalizeGraphRecurrence(pr as PatternedRecurrence, zone))).toEqual(input);
      }),
      { numRuns: 200 },
    );
  });
});

describe('normalizeGraphRecurrence', () => {
  it('fills fields exactly as Graph returns them (user-post-events example 3)', () => {
    // Request and response recurrence of Graph's "create a recurring event" example.
    const request = {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['Monday'] },
      range: { type: 'endDate', startDate: '2017-09-04', endDate: '2017-12-31' },
    } as unknown as PatternedRecurrence;
    const normalized = normalizeGraphRecurrence(request, PST);
    expect(normalized).toEqual({
      pattern: {
        type: 'weekly',
        interval: 1,
        month: 0,
        dayOfMonth: 0,
        daysOfWeek: ['monday'],
        firstDayOfWeek: 'sunday',
        index: 'first',
      },
      range: {
        type: 'endDate',
        startDate: '2017-09-04',
        endDate: '2017-12-31',
        recurrenceTimeZone: 'Pacific Standard Time',
        numberOfOccurrences: 0,
      },
    });
    expect(JSON.stringify(normalized)).toBe(
      '{"pattern":{"type":"weekly","interval":1,"month":0,"dayOfMonth":0,"daysOfWeek":["monday"],"firstDayOfWeek":"sunday","index":"first"},' +
        '"range":{"type":"endDate","startDate":"2017-09-04","endDate":"2017-12-31","recurrenceTimeZone":"Pacific Standard Time","numberOfOccurrences":0}}',
    );
  });

  it('uses Graph placeholders for noEnd and numbered, and keeps yearly fields', () => {
    expect(
      normalizeGraphRecurrence(
        { pattern: { type: 'daily', interval: 2 }, range: { type: 'noEnd', startDate: '2026-01-01' } },
        'Asia/Kolkata',
      ).range,
    ).toEqual({ type: 'noEnd', startDate: '2026-01-01', endDate: '0001-01-01', recurrenceTimeZone: 'India Standard Time', numberOfOccurrences: 0 });
    const yearly = normalizeGraphRecurrence(
      {
        pattern: { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 },
        range: { type: 'numbered', startDate: '2028-02-29', numberOfOccurrences: 4, recurrenceTimeZone: 'Europe/London' },
      },
      PST,
    );
    expect(yearly.pattern).toEqual({ type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29, daysOfWeek: [], firstDayOfWeek: 'sunday', index: 'first' });
    expect(yearly.range).toEqual({ type: 'numbered', startDate: '2028-02-29', endDate: '0001-01-01', recurrenceTimeZone: 'GMT Standard Time', numberOfOccurrences: 4 });
  });
});

describe('validateRecurrence', () => {
  const times = { start: '2026-12-01T10:00:00', end: '2026-12-01T11:00:00' };
  const fields = (form: unknown, t: Parameters<typeof validateRecurrence>[1] = times) =>
    validateRecurrence(form as RecurrenceForm, t).map((e) => e.field);

  it('accepts valid forms', () => {
    expect(validateRecurrence({ type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], until: '2027-03-01' }, times)).toEqual([]);
    expect(validateRecurrence({ type: 'monthly', weekOfMonth: 'last', daysOfWeek: ['friday'], count: 3 }, times)).toEqual([]);
    expect(validateRecurrence({ type: 'once' }, times)).toEqual([]);
    expect(validateRecurrence(null, times)).toEqual([]);
    expect(validateRecurrence({ type: 'daily', until: '2026-12-01' }, times)).toEqual([]);
  });

  it('end must be after start; bad wall times are reported on their field', () => {
    expect(validateRecurrence(null, { start: '2026-12-01T10:00', end: '2026-12-01T10:00' })).toEqual([
      { field: 'end', message: 'end must be after start' },
    ]);
    expect(fields(null, { start: '2026-12-01T10:00', end: '2026-12-01T09:00' })).toEqual(['end']);
    expect(fields(null, { start: 'tomorrow', end: '2026-12-01T09:00' })).toEqual(['start']);
    expect(fields(null, { start: '2026-12-01T10:00', end: '2026-12-01T11:00Z' })).toEqual(['end']);
  });

  it('checks until, count, interval and their combination', () => {
    expect(validateRecurrence({ type: 'daily', until: '2026-11-30' }, times)).toEqual([
      { field: 'recurrence.until', message: 'until must not be before the start date 2026-12-01' },
    ]);
    expect(fields({ type: 'daily', until: '2026-02-30' })).toEqual(['recurrence.until']);
    expect(fields({ type: 'daily', until: '2027-01-01', count: 3 })).toEqual(['recurrence']);
    expect(fields({ type: 'daily', count: 0 })).toEqual(['recurrence.count']);
    expect(fields({ type: 'daily', count: 1.5 })).toEqual(['recurrence.count']);
    expect(fields({ type: 'daily', interval: 0 })).toEqual(['recurrence.interval']);
    expect(fields({ type: 'daily', interval: '2' })).toEqual(['recurrence.interval']);
  });

  it('keeps start, end and until within the dates Outlook accepts (1601-01-01 to 4500-12-31)', () => {
    const early = { start: '1601-01-01T00:00', end: '1601-01-01T01:00' };
    expect(validateRecurrence({ type: 'daily', until: '4500-12-31' }, early)).toEqual([]);
    expect(fields({ type: 'daily', until: '4501-01-01' }, early)).toEqual(['recurrence.until']);
    expect(validateRecurrence({ type: 'daily', until: '4501-01-01' }, early)[0].message).toMatch(/until must be a date from 1601-01-01 to 4500-12-31/);
    expect(fields({ type: 'daily', until: '9999-12-31' })).toEqual(['recurrence.until']);
    expect(fields(null, { start: '1600-12-31T23:00', end: '1601-01-01T01:00' })).toEqual(['start']);
    expect(fields(null, { start: '0000-01-01T10:00', end: '0000-01-01T11:00' })).toEqual(['start', 'end']);
    expect(fields(null, { start: '4500-12-31T23:00', end: '4501-01-01T00:30' })).toEqual(['end']);
  });

  it('checks type, days and weekOfMonth', () => {
    expect(fields({ type: 'yearly' })).toEqual(['recurrence.type']);
    expect(fields({ type: 'weekly', daysOfWeek: ['funday', 'monday'] })).toEqual(['recurrence.daysOfWeek[0]']);
    expect(fields({ type: 'weekly', daysOfWeek: [] })).toEqual(['recurrence.daysOfWeek']);
    expect(fields({ type: 'weekly', daysOfWeek: ['monday', 'monday'] })).toEqual(['recurrence.daysOfWeek']);
    expect(fields({ type: 'daily', daysOfWeek: ['monday'] })).toEqual(['recurrence.daysOfWeek']);
    expect(fields({ type: 'monthly', daysOfWeek: ['monday'] })).toEqual(['recurrence.daysOfWeek']);
    expect(fields({ type: 'weekly', weekOfMonth: 'first' })).toEqual(['recurrence.weekOfMonth']);
    expect(fields({ type: 'monthly', weekOfMonth: 'fifth' })).toEqual(['recurrence.weekOfMonth']);
  });

  it('office hours must recur', () => {
    const oh = { ...times, officeHours: true };
    expect(fields({ type: 'once' }, oh)).toEqual(['recurrence.type']);
    expect(fields(null, oh)).toEqual(['recurrence']);
    expect(fields({ type: 'weekly' }, oh)).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(
      fields({ type: 'weekly', interval: -1, count: 0, until: '2020-01-01' }, { start: '2026-12-01T10:00', end: '2026-12-01T09:00' }),
    ).toEqual(['end', 'recurrence.interval', 'recurrence', 'recurrence.count', 'recurrence.until']);
  });
});
