import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import { api, cachedIds, defaultWindow, fullSync, refuseRows, startInProcessSimulator, startSync, truth, type SyncRig } from '../testing/sync-test-kit';

jest.setTimeout(60_000);

interface Person {
  id: string;
  upn: string;
}

const DAY = 86_400_000;
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Replaces the simulator's tenant (as `POST /_sim/reset` + a reseed would) by these users, each
 * organizing three events whose subjects name the holder's id, so that whose events the read API
 * serves under a UPN can be told.
 */
async function tenant(sim: InProcessSimulator, people: Person[]): Promise<void> {
  const base = Math.floor(Date.now() / DAY) * DAY + 2 * DAY;
  const events = people.flatMap((p, n) =>
    [0, 1, 2].map((k) => {
      const start = new Date(base + k * DAY + n * 3_600_000);
      const end = new Date(start.getTime() + 1_800_000);
      return {
        user: p.id,
        subject: `held by ${p.id} #${k}`,
        start: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' },
        end: { dateTime: end.toISOString().slice(0, 19), timeZone: 'UTC' },
      };
    }),
  );
  const users = people.map((p) => ({ id: p.id, userPrincipalName: p.upn, mail: p.upn, displayName: p.upn.split('@')[0] }));
  const res = await sim.admin('seed', { method: 'POST', body: { tenant: { users, events } } });
  expect(res.status).toBe(200);
}

async function count(rig: SyncRig, table: string, userId: string): Promise<number> {
  const column = table === 'sync_users' ? 'id' : 'user_id';
  const [row] = (await rig.ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ${rig.ds.options.type === 'postgres' ? '$1' : '?'}`, [userId])) as Array<{ n: string | number }>;
  return Number(row.n);
}

/** The cache equals the directory: one row per id with its UPN, each mailbox's window, and the read API by UPN serves the holder's events. */
async function expectCacheFollows(sim: InProcessSimulator, rig: SyncRig, people: Person[], departed: string[] = []): Promise<void> {
  const rows = (await rig.ds.query('SELECT id, user_principal_name AS upn, upn_lower FROM sync_users ORDER BY id')) as Array<{ id: string; upn: string; upn_lower: string }>;
  expect(rows).toEqual([...people].sort((a, b) => a.id.localeCompare(b.id)).map((p) => ({ id: p.id, upn: p.upn, upn_lower: p.upn.toLowerCase() })));
  const w = defaultWindow();
  for (const p of people) {
    expect(await cachedIds(rig, p.id)).toEqual(truth(sim, p.id, w.from, w.to).sort());
    const page = await api.get<{ items: Array<{ subject: string }> }>(rig, `users/${encodeURIComponent(p.upn)}/events?limit=50`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    expect(page.body.items.map((i) => i.subject).filter((s) => !s.startsWith(`held by ${p.id} `))).toEqual([]);
  }
  for (const id of departed) {
    for (const table of ['sync_users', 'sync_events', 'sync_series', 'sync_mailbox_state']) expect({ table, id, n: await count(rig, table, id) }).toEqual({ table, id, n: 0 });
  }
}

describe.each(testDatabaseKinds())('directory churn: the cache follows the Graph ids (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;
  const [A, B, C, D, E] = [1, 2, 3, 4, 5].map(guid);

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 0 });
    rig = await startSync(kind, sim);
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  async function syncOk(people: Person[], departed: string[] = []): Promise<void> {
    const run = await fullSync(rig);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0, failures: [], usersTotal: people.length, usersDone: people.length, error: null });
    await expectCacheFollows(sim, rig, people, departed);
  }

  it('a first tenant', async () => {
    const people = [
      { id: A, upn: 'ana@contoso.com' },
      { id: B, upn: 'bo@contoso.com' },
      { id: C, upn: 'cy@contoso.com' },
      { id: D, upn: 'di@contoso.com' },
    ];
    await tenant(sim, people);
    await syncOk(people);
  });

  it('a rename: the row keeps its id and takes the new UPN (the old one finds nobody)', async () => {
    const people = [
      { id: A, upn: 'ana.new@contoso.com' },
      { id: B, upn: 'bo@contoso.com' },
      { id: C, upn: 'cy@contoso.com' },
      { id: D, upn: 'di@contoso.com' },
    ];
    await tenant(sim, people);
    await syncOk(people);
    expect((await api.get(rig, 'users/ana@contoso.com/events')).status).toBe(404);
  });

  it('two users swap their UPNs (which a row-by-row upsert breaks on the unique index)', async () => {
    const people = [
      { id: A, upn: 'ana.new@contoso.com' },
      { id: B, upn: 'cy@contoso.com' },
      { id: C, upn: 'bo@contoso.com' },
      { id: D, upn: 'di@contoso.com' },
    ];
    await tenant(sim, people);
    await syncOk(people);
  });

  it('a deletion: the user leaves with their events, series and delta state', async () => {
    const people = [
      { id: A, upn: 'ana.new@contoso.com' },
      { id: B, upn: 'cy@contoso.com' },
      { id: C, upn: 'bo@contoso.com' },
    ];
    expect(await count(rig, 'sync_mailbox_state', D)).toBe(1);
    await tenant(sim, people);
    await syncOk(people, [D]);
  });

  it('a UPN reused under a new id in the same run that removes its old holder (alias reuse)', async () => {
    const people = [
      { id: A, upn: 'ana.new@contoso.com' },
      { id: E, upn: 'bo@contoso.com' },
      { id: B, upn: 'cy@contoso.com' },
    ];
    await tenant(sim, people);
    await syncOk(people, [C]);
  });

  it('the tenant re-created (reset, then reseeded under new ids): Refresh by UPN before the next run already serves the new holder', async () => {
    const ids = [6, 7, 8].map(guid);
    const people = [
      { id: ids[0], upn: 'ana.new@contoso.com' },
      { id: ids[1], upn: 'bo@contoso.com' },
      { id: ids[2], upn: 'cy@contoso.com' },
    ];
    expect((await sim.admin('reset', { method: 'POST' })).status).toBeLessThan(300);
    await tenant(sim, people);
    const refreshed = await api.post<{ eventsUpserted: number }>(rig, 'users/bo@contoso.com/refresh');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.eventsUpserted).toBe(3);
    const page = await api.get<{ items: Array<{ subject: string }> }>(rig, 'users/bo@contoso.com/events');
    expect(page.body.items.map((i) => i.subject)).toEqual([0, 1, 2].map((k) => `held by ${ids[1]} #${k}`));
    expect(await count(rig, 'sync_users', E)).toBe(0);
    await syncOk(people, [A, B, E]);
  });

  it('one user row the database refuses fails that user only; the run goes on, reports it, and the next run heals', async () => {
    const ids = [6, 7, 8].map(guid);
    const people = [
      { id: ids[0], upn: 'ana.new@contoso.com' },
      { id: ids[1], upn: 'bo@contoso.com' },
      { id: ids[2], upn: 'cy@contoso.com' },
      { id: guid(9), upn: 'bad@contoso.com' },
    ];
    await tenant(sim, people);
    const lift = await refuseRows(rig, 'sync_users', 'upn_lower', 'bad@contoso.com');
    let run;
    try {
      run = await fullSync(rig);
    } finally {
      await lift();
    }
    expect(run).toMatchObject({ status: 'partial', mailboxesFailed: 1, usersTotal: 4, usersDone: 4, error: null });
    expect(run.failures).toEqual([{ userId: guid(9), userPrincipalName: 'bad@contoso.com', error: expect.stringContaining('user row not written') }]);
    await expectCacheFollows(sim, rig, people.slice(0, 3));
    await syncOk(people);
  });
});
