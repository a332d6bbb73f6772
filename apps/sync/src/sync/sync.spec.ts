import { testDatabaseKinds } from '@ocb/testing';
import { api, cachedIds, defaultWindow, fullSync, startInProcessSimulator, startSync, type SyncRig, truth, waitRun } from '../testing/sync-test-kit';
import type { InProcessSimulator } from '@ocb/testing';

const DAY = 86_400_000;

describe.each(testDatabaseKinds())('sync against the simulator (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;
  const users = () => sim.simulator.state.users.filter((u) => u.hasMailbox);

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 12, eventsPerUser: 25, seed: 7 });
    rig = await startSync(kind, sim, {}, { pageSize: 40 });
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });

  it('full sync: 202 with a runId, 409 while running, every mailbox cached completely', async () => {
    const started = await api.post<{ runId: string }>(rig, 'sync/full');
    expect(started.status).toBe(202);
    const second = await api.post<{ runId: string; code: string }>(rig, 'sync/full');
    expect(second.status).toBe(409);
    expect(second.body.runId).toBe(started.body.runId);
    const run = await waitRun(rig, started.body.runId);
    expect(run).toMatchObject({ kind: 'full', status: 'succeeded', usersTotal: 12, usersDone: 12, mailboxesSkipped: 1, mailboxesFailed: 0, eventsRemoved: 0 });
    expect(run.graphRequests).toBeGreaterThan(0);
    // several mailboxes per $batch: far fewer requests than mailboxes x pages
    expect(run.graphRequests).toBeLessThan(12);
    const w = defaultWindow();
    let total = 0;
    for (const u of users()) {
      const expected = truth(sim, u.id, w.from, w.to).sort();
      expect(await cachedIds(rig, u.id)).toEqual(expected);
      total += expected.length;
    }
    expect(run.eventsUpserted).toBe(total);
  });

  it('SQLite: WAL checkpoints run on the checkpoint worker, not inside the commits of a sync (PostgreSQL: none)', async () => {
    const stats = rig.events.checkpointStats();
    if (kind === 'postgres') {
      expect(stats).toBeNull();
      return;
    }
    expect(stats).not.toBeNull();
    const [{ wal_autocheckpoint: auto }] = (await rig.ds.query('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>;
    expect(auto).toBe(0);
    // the full sync above committed its mailboxes; the worker copies them into the database file
    for (let i = 0; i < 200 && (rig.events.checkpointStats()?.framesCopied ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(rig.events.checkpointStats()?.framesCopied).toBeGreaterThan(0);
  });

  it('recurring series appear as occurrences, with the series form from their master', async () => {
    const rows = (await rig.ds.query("SELECT user_id, id, series_master_id FROM sync_events WHERE type = 'occurrence'")) as Array<{
      user_id: string;
      id: string;
      series_master_id: string;
    }>;
    expect(rows.length).toBeGreaterThan(5);
    const bySeries = new Map<string, number>();
    for (const r of rows) bySeries.set(r.series_master_id, (bySeries.get(r.series_master_id) ?? 0) + 1);
    expect(Math.max(...bySeries.values())).toBeGreaterThan(1);
    const detail = await api.get(rig, `users/${rows[0].user_id}/events/${encodeURIComponent(rows[0].id)}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ type: 'occurrence', seriesMasterId: rows[0].series_master_id });
    expect(detail.body['recurrence']).toMatchObject({ type: expect.stringMatching(/^(daily|weekly|monthly)$/) });
  });

  it('orphan series: a master none of whose occurrences is cached any more is found (one read of the mailbox, no series index on SQLite)', async () => {
    const pg = kind === 'postgres';
    const [row] = (await rig.ds.query(
      "SELECT user_id, series_master_id FROM sync_events WHERE series_master_id IS NOT NULL ORDER BY user_id, series_master_id LIMIT 1",
    )) as Array<{ user_id: string; series_master_id: string }>;
    expect(row).toBeDefined();
    expect(await rig.events.orphanSeriesIds(rig.ds.manager, row.user_id)).toEqual([]);
    const indexes = pg
      ? ((await rig.ds.query("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'sync_events'")) as Array<{ name: string }>)
      : ((await rig.ds.query("SELECT name FROM pragma_index_list('sync_events')")) as Array<{ name: string }>);
    expect(indexes.map((i) => i.name).includes('ix_sync_events_series')).toBe(pg);
    await rig.ds.transaction(async (m) => {
      await m.query(`DELETE FROM sync_events WHERE user_id = ${pg ? '$1' : '?'} AND series_master_id = ${pg ? '$2' : '?'}`, [row.user_id, row.series_master_id]);
      expect(await rig.events.orphanSeriesIds(m, row.user_id)).toEqual([row.series_master_id]);
      // leave the cache as it was for the tests that follow
      throw new Error('rollback');
    }).catch((e: Error) => expect(e.message).toBe('rollback'));
    expect(await rig.events.orphanSeriesIds(rig.ds.manager, row.user_id)).toEqual([]);
  });

  it('refresh of an unchanged mailbox: one Graph request, no rows written', async () => {
    const u = users()[0];
    const requests = rig.stats.requests;
    const written = rig.events.rowsWritten;
    const r = await api.post(rig, `users/${u.userPrincipalName}/refresh`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ eventsUpserted: 0, eventsRemoved: 0 });
    expect(rig.stats.requests - requests).toBe(1);
    expect(rig.events.rowsWritten - written).toBe(0);
  });

  it('events changed, added, cancelled or deleted out of band show after Refresh (delta)', async () => {
    const u = users()[1];
    const w = defaultWindow();
    const ids = truth(sim, u.id, w.from, w.to);
    const single = sim.simulator.state.view(sim.simulator.state.mailboxOf(u.id)!, w.from.getTime(), w.to.getTime()).find((i) => i.type === 'singleInstance' && i.record.isOrganizer)!;
    const patched = await sim.admin(`users/${u.id}/events/${encodeURIComponent(single.id)}`, { method: 'PATCH', body: { subject: 'Quarterly zebra review' } });
    expect(patched.status).toBe(200);
    const start = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 19);
    const end = new Date(Date.now() + 3 * DAY + 3_600_000).toISOString().slice(0, 19);
    const created = await sim.admin(`users/${u.id}/events`, {
      method: 'POST',
      body: { subject: 'Out of band lunch', start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' } },
    });
    expect(created.status).toBe(201);
    const newId = ((await created.json()) as { id: string }).id;
    const victim = ids.find((id) => id !== single.id && !truth(sim, u.id, w.from, w.to).includes(newId + 'x') && id !== newId)!;
    const victimInstance = sim.simulator.state.view(sim.simulator.state.mailboxOf(u.id)!, w.from.getTime(), w.to.getTime()).find((i) => i.id === victim)!;
    const deleteId = victimInstance.type === 'singleInstance' ? victim : victimInstance.record.id;
    expect((await sim.admin(`users/${u.id}/events/${encodeURIComponent(deleteId)}`, { method: 'DELETE' })).status).toBe(204);

    const r = await api.post<{ eventsUpserted: number; eventsRemoved: number }>(rig, `users/${u.id}/refresh`);
    expect(r.status).toBe(200);
    expect(r.body.eventsUpserted).toBeGreaterThanOrEqual(2);
    expect(r.body.eventsRemoved).toBeGreaterThanOrEqual(1);
    expect(await cachedIds(rig, u.id)).toEqual(truth(sim, u.id, w.from, w.to).sort());
    const detail = await api.get(rig, `users/${u.id}/events/${encodeURIComponent(single.id)}`);
    expect(detail.body['subject']).toBe('Quarterly zebra review');
    const found = await api.get<{ items: Array<{ id: string }> }>(rig, `users/${u.id}/events?q=ZEBRA`);
    expect(found.body.items.map((i) => i.id)).toEqual([single.id]);
    expect((await api.get(rig, `users/${u.id}/events/${encodeURIComponent(newId)}`)).status).toBe(200);
    expect((await api.get(rig, `users/${u.id}/events/${encodeURIComponent(victim)}`)).status).toBe(404);
  });

  it('cancelled and deleted events leave at the next full sync and at the next delta run', async () => {
    const [a, b] = [users()[2], users()[3]];
    const w = defaultWindow();
    const state = sim.simulator.state;
    const pick = (userId: string) => state.view(state.mailboxOf(userId)!, w.from.getTime(), w.to.getTime()).find((i) => i.type === 'singleInstance' && i.record.isOrganizer)!;
    const ea = pick(a.id);
    const eb = pick(b.id);
    expect((await sim.admin(`users/${a.id}/events/${encodeURIComponent(ea.id)}`, { method: 'DELETE' })).status).toBe(204);
    const run = await fullSync(rig);
    expect(run.status).toBe('succeeded');
    expect(run.eventsRemoved).toBeGreaterThanOrEqual(1);
    expect(await cachedIds(rig, a.id)).not.toContain(ea.id);

    expect((await sim.admin(`users/${b.id}/events/${encodeURIComponent(eb.id)}`, { method: 'DELETE' })).status).toBe(204);
    const started = await api.post<{ runId: string }>(rig, 'sync/delta');
    expect(started.status).toBe(202);
    const delta = await waitRun(rig, started.body.runId);
    expect(delta).toMatchObject({ kind: 'delta', status: 'succeeded', mailboxesFailed: 0 });
    expect(delta.eventsRemoved).toBeGreaterThanOrEqual(1);
    // one $batch per 20 mailboxes: unchanged mailboxes cost nothing more
    expect(delta.graphRequests).toBe(1);
    expect(await cachedIds(rig, b.id)).toEqual(truth(sim, b.id, w.from, w.to).sort());
  });

  it('refresh adds a tenant user not yet cached and answers 404 for an unknown one', async () => {
    expect((await api.post(rig, 'users/nobody@contoso.com/refresh')).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await api.internalPost(rig, 'users/nobody@contoso.com/refresh')).status).toBe(404);
    expect((await api.get(rig, 'users/nobody@contoso.com/events')).status).toBe(404);
  });
});
