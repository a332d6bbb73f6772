import { databaseKind, dataSourceOptions } from './database-url';
import { toInstant } from './instants';

describe('database url', () => {
  it('maps sqlite and postgres urls', () => {
    expect(databaseKind('sqlite:./data/x.db')).toBe('sqlite');
    expect(databaseKind('postgres://u@h/db')).toBe('postgres');
    expect(() => databaseKind('mysql://h')).toThrow(/DATABASE_URL/);
    const o = dataSourceOptions({ url: 'sqlite::memory:', entities: [], migrations: [] });
    expect(o.type).toBe('better-sqlite3');
    expect(o.synchronize).toBe(false);
    expect(o.migrationsRun).toBe(true);
  });

  it('stores instants as sortable UTC strings and rejects zoneless input', () => {
    expect(toInstant('2026-12-01T10:00:00-08:00')).toBe('2026-12-01T18:00:00.000Z');
    expect(() => toInstant('2026-12-01T10:00:00')).toThrow(/zone/);
  });
});
