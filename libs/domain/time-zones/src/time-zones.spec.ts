import * as fc from 'fast-check';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import {
  formatGraphDateTime,
  InvalidTimeZoneError,
  InvalidWallTimeError,
  isOutlookDate,
  isValidTimeZone,
  listTimeZones,
  offsetMinutes,
  OUTLOOK_MAX_DATE,
  OUTLOOK_MIN_DATE,
  outlookDateError,
  resolveTimeZone,
  supportedTimeZones,
  toIana,
  toWindows,
  utcToZoned,
  zonedToUtc,
} from './index';

const JAN = new Date('2026-01-15T12:00:00Z');
const JUL = new Date('2026-07-15T12:00:00Z');

describe('catalog', () => {
  const zones = listTimeZones(JAN);

  it('lists every Windows zone of the CLDR data, at least 130', () => {
    const fromData = new Set(WINDOWS_TO_IANA_MAP.map((e) => e.windowsName));
    expect(zones.length).toBeGreaterThanOrEqual(130);
    expect(new Set(zones.map((z) => z.id))).toEqual(fromData);
  });

  it('has unique ids and display names', () => {
    expect(new Set(zones.map((z) => z.id)).size).toBe(zones.length);
    expect(new Set(zones.map((z) => z.displayName)).size).toBe(zones.length);
  });

  it('formats display names like Outlook, with the current offset', () => {
    const byId = new Map(zones.map((z) => [z.id, z]));
    expect(byId.get('Pacific Standard Time')).toEqual({
      id: 'Pacific Standard Time',
      iana: 'America/Los_Angeles',
      displayName: '(UTC-08:00) Pacific Time (Los Angeles)',
      utcOffset: '-08:00',
    });
    expect(byId.get('UTC')?.displayName).toBe('(UTC) Coordinated Universal Time');
    expect(byId.get('UTC-11')?.displayName).toBe('(UTC-11:00) Coordinated Universal Time-11');
    expect(byId.get('UTC+12')?.displayName).toBe('(UTC+12:00) Coordinated Universal Time+12');
    expect(byId.get('India Standard Time')?.utcOffset).toBe('+05:30');
    expect(byId.get('Nepal Standard Time')?.utcOffset).toBe('+05:45');
    for (const z of zones) {
      expect(z.displayName).toMatch(/^\(UTC(?:[+-]\d{2}:\d{2})?\) \S.*$/);
      expect(z.utcOffset).toMatch(/^[+-]\d{2}:\d{2}$/);
      if (z.id !== 'UTC') expect(z.displayName.startsWith(`(UTC${z.utcOffset}) `)).toBe(true);
    }
  });

  it('uses the offset in force at the given date (DST)', () => {
    const summer = new Map(listTimeZones(JUL).map((z) => [z.id, z]));
    expect(summer.get('Pacific Standard Time')?.displayName).toBe('(UTC-07:00) Pacific Time (Los Angeles)');
    expect(summer.get('AUS Eastern Standard Time')?.utcOffset).toBe('+10:00');
    expect(new Map(zones.map((z) => [z.id, z])).get('AUS Eastern Standard Time')?.utcOffset).toBe('+11:00');
  });

  it('is sorted by offset, then display name', () => {
    const minutes = (o: string) => (o[0] === '-' ? -1 : 1) * (+o.slice(1, 3) * 60 + +o.slice(4));
    for (let i = 1; i < zones.length; i++) {
      const a = zones[i - 1];
      const b = zones[i];
      const d = minutes(a.utcOffset) - minutes(b.utcOffset);
      expect(d < 0 || (d === 0 && a.displayName.localeCompare(b.displayName, 'en') <= 0)).toBe(true);
    }
    expect(zones[0].utcOffset).toBe('-12:00');
    expect(zones[zones.length - 1].utcOffset).toBe('+14:00');
  });

  it('maps every Windows zone to an IANA zone Intl accepts that maps back to it', () => {
    for (const z of zones) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: z.iana })).not.toThrow();
      expect(toWindows(z.iana)).toBe(z.id);
    }
  });

  it('supportedTimeZones mirrors Graph for both standards', () => {
    const windows = supportedTimeZones('Windows', JAN);
    expect(windows).toHaveLength(zones.length);
    expect(windows).toContainEqual({ alias: 'UTC-11', displayName: '(UTC-11:00) Coordinated Universal Time-11' });
    expect(Object.keys(windows[0]).sort()).toEqual(['alias', 'displayName']);
    const iana = supportedTimeZones('Iana', JAN);
    expect(iana).toContainEqual({ alias: 'Etc/GMT+12', displayName: 'Etc/GMT+12' });
    expect(iana).toContainEqual({ alias: 'America/Los_Angeles', displayName: 'America/Los_Angeles' });
    for (const z of iana) expect(z.displayName).toBe(z.alias);
  });
});

describe('resolveTimeZone', () => {
  it('accepts Windows ids case-insensitively', () => {
    expect(resolveTimeZone('pacific standard time')).toEqual({
      windows: 'Pacific Standard Time',
      iana: 'America/Los_Angeles',
    });
    expect(resolveTimeZone('UTC-11').windows).toBe('UTC-11');
  });

  it('accepts IANA names, their CLDR aliases and Intl-only zones', () => {
    expect(resolveTimeZone('Asia/Kolkata')).toEqual({ windows: 'India Standard Time', iana: 'Asia/Kolkata' });
    expect(resolveTimeZone('Asia/Calcutta')).toEqual({ windows: 'India Standard Time', iana: 'Asia/Calcutta' });
    expect(resolveTimeZone('america/vancouver')).toEqual({ windows: 'Pacific Standard Time', iana: 'America/Vancouver' });
    expect(resolveTimeZone('Etc/GMT+5')).toEqual({ windows: 'SA Pacific Standard Time', iana: 'Etc/GMT+5' });
    expect(resolveTimeZone('Etc/UTC').windows).toBe('UTC');
    expect(resolveTimeZone('UTC').windows).toBe('UTC');
    expect(resolveTimeZone('Europe/London').windows).toBe('GMT Standard Time');
    expect(resolveTimeZone('US/Pacific').windows).toBe('Pacific Standard Time');
    // In ICU's data but newer than the CLDR Windows map: matched by offsets.
    expect(resolveTimeZone('America/Ciudad_Juarez').windows).toBe('Mountain Standard Time');
    expect(toIana('Tokyo Standard Time')).toBe('Asia/Tokyo');
    expect(toWindows('Australia/Lord_Howe')).toBe('Lord Howe Standard Time');
  });

  it('rejects unknown names with a helpful error', () => {
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(InvalidTimeZoneError);
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(
      'Unknown time zone "Mars/Olympus": use a Windows name such as "Pacific Standard Time" or an IANA name such as "America/Los_Angeles"',
    );
    try {
      resolveTimeZone('Nowhere Standard Time');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTimeZoneError);
      expect((e as InvalidTimeZoneError).input).toBe('Nowhere Standard Time');
    }
    for (const bad of ['', '   ', '+05:30', 'Pacific', 'Etc/GMT+15']) expect(isValidTimeZone(bad)).toBe(false);
    expect(isValidTimeZone('Pacific Standard Time')).toBe(true);
    expect(isValidTimeZone('America/Los_Angeles')).toBe(true);
  });
});

describe('wall clock <-> UTC', () => {
  it('converts Asia/Kolkata at +05:30', () => {
    expect(zonedToUtc('2026-06-01T09:00', 'Asia/Kolkata').toISOString()).toBe('2026-06-01T03:30:00.000Z');
    expect(utcToZoned('2026-06-01T03:30:00Z', 'India Standard Time')).toBe('2026-06-01T09:00:00');
    expect(offsetMinutes('Asia/Kolkata', JAN)).toBe(330);
  });

  it('accepts Graph 7-digit fractions and rejects offsets', () => {
    expect(zonedToUtc('2017-09-04T12:00:00.0000000', 'Pacific Standard Time').toISOString()).toBe(
      '2017-09-04T19:00:00.000Z',
    );
    expect(zonedToUtc('2026-01-01T00:00:00.1234567', 'UTC').toISOString()).toBe('2026-01-01T00:00:00.123Z');
    expect(() => zonedToUtc('2026-01-01T10:00:00Z', 'UTC')).toThrow(/must not carry "Z" or a UTC offset/);
    expect(() => zonedToUtc('2026-01-01T10:00:00+02:00', 'UTC')).toThrow(InvalidWallTimeError);
    expect(() => zonedToUtc('2026-02-30T10:00', 'UTC')).toThrow(/day out of range/);
    expect(() => zonedToUtc('2026-01-01 10:00', 'UTC')).toThrow(/expected YYYY-MM-DDTHH:mm/);
    expect(() => zonedToUtc('2026-01-01T24:00', 'UTC')).toThrow(/time out of range/);
    expect(() => zonedToUtc('2026-01-01T10:00', 'Mars/Olympus')).toThrow(InvalidTimeZoneError);
  });

  it('converts years before 1 AD and around Outlook\'s range without shifting them (Intl writes era years)', () => {
    // Los Angeles keeps its local mean time, -07:52:58, before 1883 (tz database).
    expect(zonedToUtc('0000-01-01T10:00', 'Pacific Standard Time').toISOString()).toBe('0000-01-01T17:52:58.000Z');
    expect(utcToZoned(zonedToUtc('0000-01-01T10:00', 'Pacific Standard Time'), 'Pacific Standard Time')).toBe('0000-01-01T10:00:00');
    expect(zonedToUtc('1601-01-01T00:00', 'Tokyo Standard Time').toISOString()).toBe('1600-12-31T14:41:01.000Z');
    expect(zonedToUtc('4500-12-31T23:59', 'Pacific Standard Time').toISOString()).toBe('4501-01-01T07:59:00.000Z');
  });

  it('knows the dates Outlook accepts: 1601-01-01 to 4500-12-31', () => {
    for (const ok of ['1601-01-01', '1601-01-01T00:00', '2026-06-01T10:00:00', '4500-12-31', '4500-12-31T23:59:59']) expect(isOutlookDate(ok)).toBe(true);
    for (const bad of ['0000-01-01', '1600-12-31T23:59', '4501-01-01', '9999-12-31T00:00', 'soon', '']) expect(isOutlookDate(bad)).toBe(false);
    expect(outlookDateError('start', '2026-06-01T10:00')).toBeNull();
    expect(outlookDateError('start', '0000-01-01T10:00')).toBe(
      'start must be a date from 1601-01-01 to 4500-12-31 (the dates Outlook accepts), got 0000-01-01',
    );
    expect([OUTLOOK_MIN_DATE, OUTLOOK_MAX_DATE]).toEqual(['1601-01-01', '4500-12-31']);
  });

  it('Pacific Standard Time 2026-03-08 gap: moves forward by the gap length', () => {
    expect(zonedToUtc('2026-03-08T01:59:59', 'Pacific Standard Time').toISOString()).toBe('2026-03-08T09:59:59.000Z');
    const inGap = zonedToUtc('2026-03-08T02:30', 'Pacific Standard Time');
    expect(inGap.toISOString()).toBe('2026-03-08T10:30:00.000Z');
    expect(utcToZoned(inGap, 'Pacific Standard Time')).toBe('2026-03-08T03:30:00');
    expect(zonedToUtc('2026-03-08T02:00', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(zonedToUtc('2026-03-08T03:00', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(offsetMinutes('America/Los_Angeles', '2026-03-08T09:59:59Z')).toBe(-480);
    expect(offsetMinutes('America/Los_Angeles', '2026-03-08T10:00:00Z')).toBe(-420);
  });

  it('Pacific Standard Time 2026-11-01 overlap: the earlier instant', () => {
    const first = zonedToUtc('2026-11-01T01:30', 'Pacific Standard Time');
    expect(first.toISOString()).toBe('2026-11-01T08:30:00.000Z'); // PDT
    expect(utcToZoned('2026-11-01T09:30:00Z', 'America/Los_Angeles')).toBe('2026-11-01T01:30:00'); // PST copy
    expect(zonedToUtc('2026-11-01T02:00', 'Pacific Standard Time').toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(zonedToUtc('2026-11-01T00:59', 'Pacific Standard Time').toISOString()).toBe('2026-11-01T07:59:00.000Z');
  });

  it('Lord Howe: 30-minute DST', () => {
    // DST ends 2026-04-05 02:00 (+11) -> 01:30 (+10:30); starts 2026-10-04 02:00 (+10:30) -> 02:30 (+11).
    expect(offsetMinutes('Australia/Lord_Howe', '2026-01-15T00:00:00Z')).toBe(660);
    expect(offsetMinutes('Australia/Lord_Howe', '2026-06-15T00:00:00Z')).toBe(630);
    const gap = zonedToUtc('2026-10-04T02:15', 'Lord Howe Standard Time');
    expect(utcToZoned(gap, 'Australia/Lord_Howe')).toBe('2026-10-04T02:45:00');
    const overlap = zonedToUtc('2026-04-05T01:45', 'Australia/Lord_Howe');
    expect(overlap.toISOString()).toBe('2026-04-04T14:45:00.000Z'); // the +11 reading
    expect(utcToZoned(new Date(overlap.getTime() + 30 * 60_000), 'Australia/Lord_Howe')).toBe('2026-04-05T01:45:00');
  });

  it('southern hemisphere: Sydney DST in January, standard time in July', () => {
    expect(zonedToUtc('2026-01-10T09:00', 'AUS Eastern Standard Time').toISOString()).toBe('2026-01-09T22:00:00.000Z');
    expect(zonedToUtc('2026-07-10T09:00', 'Australia/Sydney').toISOString()).toBe('2026-07-09T23:00:00.000Z');
    // Gap 2026-10-04 02:00 -> 03:00; overlap 2026-04-05 03:00 -> 02:00.
    expect(utcToZoned(zonedToUtc('2026-10-04T02:30', 'Australia/Sydney'), 'Australia/Sydney')).toBe('2026-10-04T03:30:00');
    expect(zonedToUtc('2026-04-05T02:30', 'Australia/Sydney').toISOString()).toBe('2026-04-04T15:30:00.000Z');
    expect(offsetMinutes('Pacific/Auckland', JAN)).toBe(780);
    expect(offsetMinutes('America/Santiago', JUL)).toBe(-240);
  });

  it('formats Graph date-times and accepts several instant forms', () => {
    expect(formatGraphDateTime(new Date('2017-09-04T19:00:00Z'), 'Pacific Standard Time')).toBe(
      '2017-09-04T12:00:00.0000000',
    );
    expect(formatGraphDateTime(new Date('2026-01-01T00:00:00.250Z'), 'UTC')).toBe('2026-01-01T00:00:00.2500000');
    expect(utcToZoned(Date.UTC(2026, 0, 1), 'Tokyo Standard Time')).toBe('2026-01-01T09:00:00');
    expect(utcToZoned('2026-01-01T09:00:00+09:00', 'UTC')).toBe('2026-01-01T00:00:00');
    expect(() => utcToZoned('2026-01-01T09:00:00', 'UTC')).toThrow(/must carry "Z" or a UTC offset/);
    expect(utcToZoned(0, 'Etc/GMT+5')).toBe('1969-12-31T19:00:00');
  });

  it('agrees with Intl for random instants in every listed zone', () => {
    const ianas = listTimeZones(JAN).map((z) => z.iana);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ianas),
        (t, iana) => {
          const parts = new Intl.DateTimeFormat('en-CA', {
            timeZone: iana,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          }).formatToParts(t);
          const get = (type: string) => parts.find((p) => p.type === type)?.value;
          const expected = `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
          expect(utcToZoned(t, iana)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips instant -> wall -> instant (earlier reading on overlaps) and wall -> instant -> wall', () => {
    const zones = ['America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }),
        fc.constantFrom(...zones),
        (sec, zone) => {
          const t = sec * 1000;
          const wall = utcToZoned(t, zone);
          const back = zonedToUtc(wall, zone).getTime();
          // Equal, or the earlier reading of an ambiguous wall time (same wall clock).
          expect(back <= t).toBe(true);
          expect(utcToZoned(back, zone)).toBe(wall);
          const again = utcToZoned(zonedToUtc(wall, zone), zone);
          expect(again).toBe(wall);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is fast: 100k wall-to-UTC conversions in under 2 s', () => {
    const started = performance.now();
    let last = 0;
    for (let i = 0; i < 100_000; i++) {
      last = zonedToUtc(`2026-0${1 + (i % 9)}-1${i % 10}T09:30:00`, 'Pacific Standard Time').getTime();
    }
    expect(last).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
