import { testDatabaseKinds } from '@ocb/testing';
import { startInProcessSimulator, startSync, type SyncRig } from '../testing/sync-test-kit';
import { listStatement, type EventQuery } from './events.repository';

const USERS = 60;
const EVENTS_PER_USER = 80;
const SERIES_PER_USER = 20;
const HOUR = 3_600_000;
const RECURRENCE = JSON.stringify({
  pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
  range: { type: 'numbered', startDate: '2027-03-01', numberOfOccurrences: 8, recurrenceTimeZone: 'UTC' },
});

/** Plan lines mentioning the events table, from SQLite's EXPLAIN QUERY PLAN or PostgreSQL's JSON plan. */
async function plan(rig: SyncRig, postgres: boolean, q: EventQuery): Promise<{ text: string; nodes: Array<Record<string, unknown>> }> {
  const { sql, params } = listStatement(q, postgres);
  if (!postgres) {
    const rows = (await rig.ds.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as Array<{ detail: string }>;
    return { text: rows.map((r) => r.detail).join('\n'), nodes: [] };
  }
  const [row] = (await rig.ds.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as Array<{ 'QUERY PLAN': Array<{ Plan: Record<string, unknown> }> }>;
  const nodes: Array<Record<string, unknown>> = [];
  const walk = (n: Record<string, unknown>): void => {
    nodes.push(n);
    for (const c of (n['Plans'] as Array<Record<string, unknown>> | undefined) ?? []) walk(c);
  };
  walk(row['QUERY PLAN'][0].Plan);
  return { text: JSON.stringify(nodes.map((n) => ({ type: n['Node Type'], rel: n['Relation Name'], index: n['Index Name'] }))), nodes };
}

describe.each(testDatabaseKinds())('read API plans (%s)', (kind) => {
  const postgres = kind === 'postgres';
  const sim = startInProcessSimulator({ users: 0, eventsPerUser: 0 });
  let rig: SyncRig;
  const now = new Date('2027-03-01T00:00:00.000Z').getTime();
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    rig = await startSync(kind, sim);
    const mark = (i: number) => (postgres ? `$${i}` : '?');
    for (let u = 0; u < USERS; u++) {
      const userId = `user-${String(u).padStart(3, '0')}`;
      await rig.ds.query(
        `INSERT INTO sync_users (id, user_principal_name, upn_lower, mail, mail_lower, display_name, updated_at) VALUES (${[1, 2, 3, 4, 5, 6, 7].map(mark).join(', ')})`,
        [userId, `${userId}@contoso.com`, `${userId}@contoso.com`, null, null, null, iso(now)],
      );
      const cols = ['user_id', 'id', 'series_master_id', 'type', 'subject', 'body_text', 'location', 'attendees', 'organizer_name', 'organizer_email', 'is_organizer', 'join_url', 'web_link', 'categories', 'start_time_zone', 'start_wall', 'end_time_zone', 'end_wall', 'start_utc', 'end_utc', 'is_all_day', 'is_cancelled', 'is_office_hours', 'change_key', 'search_text', 'updated_at'];
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let e = 0; e < EVENTS_PER_USER; e++) {
        const start = now + (e - 10) * 6 * HOUR;
        const row = [userId, `ev-${u}-${e}`, e % 4 === 0 ? `series-${u}` : null, e % 4 === 0 ? 'occurrence' : 'singleInstance', `Meeting ${e}`, 'body', 'Room', '[]', 'Org', 'org@contoso.com', true, null, null, '[]', 'UTC', iso(start).slice(0, 19), 'UTC', iso(start + HOUR).slice(0, 19), iso(start), iso(start + HOUR), false, false, false, `ck${e}`, `meeting ${e} body room org org@contoso.com`, iso(now)];
        tuples.push(`(${row.map((_, i) => mark(values.length + i + 1)).join(', ')})`);
        values.push(...row);
      }
      await rig.ds.query(`INSERT INTO sync_events (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      const seriesCols = ['user_id', 'id', 'subject', 'body_text', 'location', 'start_time_zone', 'start_wall', 'end_time_zone', 'end_wall', 'start_utc', 'end_utc', 'is_all_day', 'recurrence', 'is_office_hours', 'is_organizer', 'change_key', 'updated_at'];
      const seriesValues: unknown[] = [];
      const seriesTuples: string[] = [];
      for (let m = 0; m < SERIES_PER_USER; m++) {
        const row = [userId, m === 0 ? `series-${u}` : `other-series-${u}-${m}`, 'Weekly', '', null, 'UTC', iso(now).slice(0, 19), 'UTC', iso(now + HOUR).slice(0, 19), iso(now), iso(now + HOUR), false, RECURRENCE, m === 0 && u % 2 === 0, true, 'ck', iso(now)];
        seriesTuples.push(`(${row.map((_, i) => mark(seriesValues.length + i + 1)).join(', ')})`);
        seriesValues.push(...row);
      }
      await rig.ds.query(`INSERT INTO sync_series (${seriesCols.join(', ')}) VALUES ${seriesTuples.join(', ')}`, seriesValues);
    }
    // PostgreSQL plans from statistics (autovacuum gathers them); SQLite has none unless ANALYZE runs, which the service never does
    if (postgres) await rig.ds.query('ANALYZE');
  }, 60_000);
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  const base: EventQuery = { userId: 'user-007', from: iso(now), to: null, terms: [], after: null, limit: 21 };
  const cases: Array<[string, EventQuery]> = [
    ['the listing', base],
    ['the next page', { ...base, after: { startUtc: iso(now + 12 * HOUR), id: 'ev-7-12' } }],
    ['a window', { ...base, to: iso(now + 48 * HOUR) }],
    ['the search', { ...base, terms: ['meeting', 'room'] }],
  ];

  it.each(cases)('%s reads one user\'s rows through (user_id, start_utc, id), never the whole table', async (_name, q) => {
    const p = await plan(rig, postgres, q);
    if (!postgres) {
      expect(p.text).toMatch(/SEARCH e USING INDEX ix_sync_events_user_start \(user_id=\?/);
      expect(p.text).not.toMatch(/SCAN e\b/);
      // rows come in index order: no sort of the user's rows
      expect(p.text).not.toMatch(/TEMP B-TREE/);
      // the series master by its primary key, not a scan
      expect(p.text).toMatch(/SEARCH s USING (INDEX sqlite_autoindex_sync_series_1|PRIMARY KEY) \(user_id=\? AND id=\?\)/);
    } else {
      expect(p.nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
      const onEvents = p.nodes.filter((n) => n['Relation Name'] === 'sync_events');
      expect(onEvents.length).toBe(1);
      // by the user's key (the listing walks (user_id, start_utc, id); the planner may read the search's rows of that user through another user_id index)
      expect(String(onEvents[0]['Index Cond'] ?? (p.nodes.find((n) => n['Node Type'] === 'Bitmap Index Scan')?.['Index Cond'] ?? ''))).toMatch(/user_id/);
      if (q.terms.length === 0) expect(onEvents[0]['Index Name']).toBe('ix_sync_events_user_start');
      // an open-ended page stops after `limit` rows of the index walk (a window or a search may sort the few rows it found)
      if (q.terms.length === 0 && !q.to) expect(p.nodes.some((n) => n['Node Type'] === 'Sort')).toBe(false);
    }
  });

  it('the listing answers its rows in the order of the plan (start, then id) and joins the series master', async () => {
    const page = await rig.events.list(base);
    expect(page).toHaveLength(21);
    const keys = page.map((e) => `${e.startUtc}|${e.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(page.every((e) => e.endUtc > base.from)).toBe(true);
    // occurrences carry their master's recurrence and office-hours flag (user-007's master is not office hours)
    const occurrences = page.filter((e) => e.seriesMasterId);
    expect(occurrences.length).toBeGreaterThan(0);
    expect(occurrences.every((e) => e.seriesMasterId === 'series-7' && e.seriesRecurrence === RECURRENCE && e.seriesIsOfficeHours === false)).toBe(true);
    expect(page.filter((e) => !e.seriesMasterId).every((e) => e.seriesRecurrence === null && e.seriesIsOfficeHours === null)).toBe(true);
    const even = await rig.events.list({ ...base, userId: 'user-008' });
    expect(even.filter((e) => e.seriesMasterId).every((e) => e.seriesIsOfficeHours === true)).toBe(true);
  });
});
