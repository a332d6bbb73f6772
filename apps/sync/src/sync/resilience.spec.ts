import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import type { InstanceFields } from '@ocb/graph-simulator';
import { cachedIds, defaultWindow, fullSync, startInProcessSimulator, startSync, type SyncRig, truth } from '../testing/sync-test-kit';

const DAY = 86_400_000;

jest.setTimeout(30_000);

describe.each(testDatabaseKinds())('resilience and scale (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 11, eventsPerUser: 20, seed: 11 });
    // no retries: a faulty answer fails its mailbox at once; small pages: failures land mid-fetch
    rig = await startSync(kind, sim, { GRAPH_MAX_RETRIES: '0' }, { pageSize: 15 });
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  it('a mailbox failing mid-run keeps its previous cache; the run goes on and reports it', async () => {
    expect((await fullSync(rig)).mailboxesFailed).toBe(0);
    const state = sim.simulator.state;
    const w = defaultWindow();
    const mailboxes = state.users.filter((u) => u.hasMailbox);
    const deleted = new Map<string, string>();
    for (const u of mailboxes) {
      const single = state.view(state.mailboxOf(u.id)!, w.from.getTime(), w.to.getTime()).find((i) => i.type === 'singleInstance' && i.record.isOrganizer);
      if (!single) continue;
      expect((await sim.admin(`users/${u.id}/events/${encodeURIComponent(single.id)}`, { method: 'DELETE' })).status).toBe(204);
      deleted.set(u.id, single.id);
    }
    const before = new Map<string, string[]>();
    for (const u of mailboxes) before.set(u.id, await cachedIds(rig, u.id));
    await sim.admin('faults', { method: 'PUT', body: { routes: { '*calendarView/delta*': { errorRate: 0.12 } } } });
    let run;
    try {
      run = await fullSync(rig);
    } finally {
      await sim.admin('faults', { method: 'PUT', body: { routes: null } });
    }
    expect(run.status).toBe('partial');
    expect(run.mailboxesFailed).toBeGreaterThan(0);
    expect(run.mailboxesFailed).toBeLessThan(mailboxes.length);
    expect(run.usersDone).toBe(run.usersTotal);
    const failed = new Set(run.failures.map((f) => f.userId));
    expect(failed.size).toBe(run.mailboxesFailed);
    for (const u of mailboxes) {
      const now = await cachedIds(rig, u.id);
      if (failed.has(u.id)) expect(now).toEqual(before.get(u.id));
      else expect(now).toEqual(truth(sim, u.id, w.from, w.to).sort());
    }
    // the next run catches up
    const again = await fullSync(rig);
    expect(again.mailboxesFailed).toBe(0);
    for (const u of mailboxes) expect(await cachedIds(rig, u.id)).toEqual(truth(sim, u.id, w.from, w.to).sort());
  });

  it('users gone from the tenant leave the cache with their events', async () => {
    const state = sim.simulator.state;
    const gone = state.users.find((u) => u.hasMailbox && u.id !== state.users[0].id)!;
    expect((await cachedIds(rig, gone.id)).length).toBeGreaterThan(0);
    state.users.splice(state.users.indexOf(gone), 1);
    const run = await fullSync(rig);
    expect(run.status).toBe('succeeded');
    expect(await cachedIds(rig, gone.id)).toEqual([]);
    const [row] = (await rig.ds.query(`SELECT COUNT(*) AS n FROM sync_users WHERE id = ${kind === 'postgres' ? '$1' : '?'}`, [gone.id])) as Array<{ n: string | number }>;
    expect(Number(row.n)).toBe(0);
  });
  it('a mailbox with 2,500 events in the window is synced completely', async () => {
    const state = sim.simulator.state;
    const user = state.users.find((u) => u.hasMailbox)!;
    const mb = state.mailboxOf(user.id)!;
    const template = mb.items.find((r) => r && r.isOrganizer && !r.content.recurrence)!.content;
    const base = Math.floor(Date.now() / DAY) * DAY + DAY;
    for (let k = 0; k < 2500; k++) {
      const startMs = base + (k % 80) * DAY + Math.floor(k / 80) * 1_800_000;
      const fields: InstanceFields = {
        ...template,
        subject: `Bulk ${k}`,
        startWall: new Date(startMs).toISOString().slice(0, 19),
        endWall: new Date(startMs + 1_800_000).toISOString().slice(0, 19),
        timeZone: 'UTC',
        endTimeZone: 'UTC',
        iana: 'UTC',
        endIana: 'UTC',
        startMs,
        endMs: startMs + 1_800_000,
        isAllDay: false,
        attendees: [],
      };
      state.createEvent(mb, { fields, recurrence: null });
    }
    const w = defaultWindow();
    const expected = truth(sim, user.id, w.from, w.to);
    expect(expected.length).toBeGreaterThan(2500);
    // default tuning: pages of 1,000 events
    const big = await startSync(kind, sim);
    try {
      const run = await fullSync(big);
      expect(run.mailboxesFailed).toBe(0);
      expect(await cachedIds(big, user.id)).toEqual(expected.sort());
      expect(run.graphRequests).toBeLessThan(12);
    } finally {
      await big.close();
    }
  }, 30_000);

});
