import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import { api, cachedIds, fullSync, startInProcessSimulator, startSync, waitRun, type SyncRig } from '../testing/sync-test-kit';
import { CHANGE_QUEUE, type ChangeQueue } from './change-queue';
import { NotificationInbox } from './notification-inbox.service';
import type { SubscriptionsState, SubscriptionView } from '@ocb/service-clients';
import { SubscriptionsService } from './subscriptions.service';

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 2000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const inDays = (d: number, h = 10) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(h, 0, 0, 0);
  return t.toISOString().slice(0, 19);
};
const event = (subject: string, d = 2) => ({ subject, start: { dateTime: inDays(d), timeZone: 'UTC' }, end: { dateTime: inDays(d, 11), timeZone: 'UTC' } });

/** Delta requests the simulator has answered (top-level and `$batch` items). */
function deltaRequests(sim: InProcessSimulator): number {
  let n = 0;
  for (const [key, byStatus] of Object.entries(sim.simulator.stats().requests)) if (/delta/i.test(key)) for (const c of Object.values(byStatus)) n += c;
  return n;
}

describe.each(testDatabaseKinds())('change notifications against the simulator (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;
  let subs: SubscriptionsService;
  let queue: ChangeQueue;
  let inbox: NotificationInbox;
  const user = () => sim.simulator.state.users.filter((u) => u.hasMailbox)[0];
  const view = async () => (await api.get<SubscriptionsState>(rig, 'sync/subscriptions')).body;
  const mine = async (userId: string) => (await view()).subscriptions.find((s) => s.userId === userId);
  const settle = async () => {
    await sim.simulator.subscriptions.idle();
    await inbox.idle();
    await queue.idle();
  };

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 4, eventsPerUser: 5, seed: 19 });
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, latencyMs: 50 };
    rig = await startSync(kind, sim, { NOTIFICATIONS_PUBLIC_URL: 'http://127.0.0.1:9', SYNC_NOTIFICATION_COALESCE_MS: '100' });
    // the app's port is known once it listens: the public URL is this test's loopback address
    rig.config.NOTIFICATIONS_PUBLIC_URL = rig.url;
    subs = rig.app.app.get(SubscriptionsService);
    queue = rig.app.app.get(CHANGE_QUEUE);
    inbox = rig.app.app.get(NotificationInbox);
    expect((await fullSync(rig)).status).toBe('succeeded');
    // the end of the run subscribes the mailboxes it fetched (no cron here: SYNC_CRON_ENABLED is off)
    const mailboxes = sim.simulator.state.users.filter((u) => u.hasMailbox).length;
    await until('subscribed after the full sync', async () => (await view()).subscriptions.length === mailboxes, 5000);
  });
  afterAll(async () => {
    await rig?.close();
    sim?.close();
  });

  it('subscribes every synced mailbox after its full fetch; state in the API and /metrics', async () => {
    const state = await view();
    expect(state.enabled).toBe(true);
    const mailboxes = sim.simulator.state.users.filter((u) => u.hasMailbox).map((u) => u.id).sort();
    expect(state.subscriptions.map((s) => s.userId).sort()).toEqual(mailboxes);
    const simSubs = sim.simulator.subscriptions.list();
    expect(simSubs.map((s) => s.notificationUrl)).toEqual(mailboxes.map(() => `${rig.url}/api/notifications/graph`));
    // the secret is Graph's and ours; only its hash is stored
    const stored = JSON.stringify(await rig.ds.query('SELECT * FROM sync_subscriptions'));
    for (const s of simSubs) expect(stored).not.toContain(s.clientState as string);
    expect(JSON.stringify(state)).not.toMatch(/clientState/i);
    const metrics = await (await fetch(`${rig.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`sync_subscriptions ${mailboxes.length}`));
  });

  it('answers the validation handshake with the token as text/plain', async () => {
    const res = await fetch(`${rig.url}/api/notifications/graph?validationToken=${encodeURIComponent('Validation: a+b <c>')}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('Validation: a+b <c>');
  });

  it('an out-of-band create, edit and delete reach the cache within 2 s each', async () => {
    const u = user();
    const created = await sim.admin(`users/${u.id}/events`, { method: 'POST', body: event('Made in Outlook') });
    const id = ((await created.json()) as { id: string }).id;
    const tookCreate = await until('create', async () => (await cachedIds(rig, u.id)).includes(id));
    await sim.admin(`users/${u.id}/events/${id}`, { method: 'PATCH', body: { subject: 'Renamed in Outlook' } });
    const subject = async () => ((await rig.ds.query(`SELECT subject FROM sync_events WHERE id = ${kind === 'postgres' ? '$1' : '?'}`, [id])) as Array<{ subject: string }>)[0]?.subject;
    const tookEdit = await until('edit', async () => (await subject()) === 'Renamed in Outlook');
    await sim.admin(`users/${u.id}/events/${id}`, { method: 'DELETE' });
    const tookDelete = await until('delete', async () => !(await cachedIds(rig, u.id)).includes(id));
    expect(Math.max(tookCreate, tookEdit, tookDelete)).toBeLessThan(2000);
    expect((await mine(u.id))?.lastNotificationAt).not.toBeNull();
  });

  it('a notification with a forged clientState changes nothing and costs no Graph request', async () => {
    const u = user();
    const sub = (await mine(u.id)) as SubscriptionView;
    await settle();
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, dropRate: 1 };
    await sim.admin(`users/${u.id}/events`, { method: 'POST', body: event('Not yet known') });
    const before = { cached: await cachedIds(rig, u.id), graph: sim.simulator.stats().total };
    const forged = { value: [{ subscriptionId: sub.subscriptionId, clientState: 'guessed', changeType: 'created', resource: `Users/${u.id}/Events/x`, tenantId: sim.simulator.tenantId }] };
    const started = Date.now();
    const res = await fetch(`${rig.url}/api/notifications/graph`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(forged) });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(1000);
    const noState = { value: [{ subscriptionId: sub.subscriptionId, changeType: 'created' }] };
    expect((await fetch(`${rig.url}/api/notifications/graph`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(noState) })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    await settle();
    expect(await cachedIds(rig, u.id)).toEqual(before.cached);
    expect(sim.simulator.stats().total).toBe(before.graph);
    expect(await (await fetch(`${rig.url}/metrics`)).text()).toMatch(/sync_notifications_total\{kind="change",result="rejected"\} [2-9]/);
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, dropRate: 0 };
  });

  it('with every notification dropped, the change still arrives by the next delta poll', async () => {
    const u = user();
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, dropRate: 1 };
    const created = await sim.admin(`users/${u.id}/events`, { method: 'POST', body: event('Lost notification') });
    const id = ((await created.json()) as { id: string }).id;
    await new Promise((r) => setTimeout(r, 400));
    await settle();
    expect(await cachedIds(rig, u.id)).not.toContain(id);
    const run = await api.post<{ runId: string }>(rig, 'sync/delta');
    expect((await waitRun(rig, run.body.runId)).status).toBe('succeeded');
    expect(await cachedIds(rig, u.id)).toContain(id);
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, dropRate: 0 };
  });

  it('missed → a delta of that mailbox', async () => {
    const u = user();
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, dropRate: 1 };
    const created = await sim.admin(`users/${u.id}/events`, { method: 'POST', body: event('Missed one') });
    const id = ((await created.json()) as { id: string }).id;
    sim.simulator.subscriptions.settings = { ...sim.simulator.subscriptions.settings, dropRate: 0 };
    const sub = (await mine(u.id)) as SubscriptionView;
    expect((await sim.admin(`subscriptions/${sub.subscriptionId}/lifecycle`, { method: 'POST', body: { lifecycleEvent: 'missed' } })).status).toBe(202);
    await until('missed → delta', async () => (await cachedIds(rig, u.id)).includes(id));
    expect((await mine(u.id))?.lastLifecycleEvent).toBe('missed');
  });

  it('subscriptionRemoved → a new subscription (and a delta); reauthorizationRequired → renewed', async () => {
    const u = sim.simulator.state.users.filter((x) => x.hasMailbox)[1];
    const old = (await mine(u.id)) as SubscriptionView;
    await sim.admin(`subscriptions/${old.subscriptionId}/lifecycle`, { method: 'POST', body: { lifecycleEvent: 'subscriptionRemoved' } });
    await until('recreated', async () => {
      const now = await mine(u.id);
      return !!now && now.subscriptionId !== old.subscriptionId;
    });
    const fresh = (await mine(u.id)) as SubscriptionView;
    expect(sim.simulator.subscriptions.get(old.subscriptionId)).toBeUndefined();
    expect(sim.simulator.subscriptions.get(fresh.subscriptionId)?.userId).toBe(u.id);
    const renewedBefore = sim.simulator.subscriptions.stats().renewed;
    await sim.admin(`subscriptions/${fresh.subscriptionId}/lifecycle`, { method: 'POST', body: { lifecycleEvent: 'reauthorizationRequired' } });
    await until('renewed', () => sim.simulator.subscriptions.stats().renewed === renewedBefore + 1);
  });

  it('a subscription with less than half its lifetime left is renewed', async () => {
    const u = sim.simulator.state.users.filter((x) => x.hasMailbox)[2];
    const sub = (await mine(u.id)) as SubscriptionView;
    const soon = new Date(Date.now() + 10 * 60_000).toISOString();
    await sim.admin(`subscriptions/${sub.subscriptionId}`, { method: 'PATCH', body: { expirationDateTime: soon } });
    await rig.ds.query(`UPDATE sync_subscriptions SET expires_at = ${kind === 'postgres' ? '$1' : '?'} WHERE user_id = ${kind === 'postgres' ? '$2' : '?'}`, [soon, u.id]);
    await subs.reconcile();
    const after = (await mine(u.id)) as SubscriptionView;
    expect(after.subscriptionId).toBe(sub.subscriptionId);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(sim.simulator.subscriptions.get(sub.subscriptionId)?.expirationMs).toBe(Date.parse(after.expiresAt));
    expect(after.renewedAt).not.toBeNull();
  });

  it('a storm of 1,000 changes in one mailbox costs a handful of delta requests', async () => {
    const u = sim.simulator.state.users.filter((x) => x.hasMailbox)[3];
    await settle();
    const created = await sim.admin(`users/${u.id}/events`, { method: 'POST', body: event('Storm') });
    const id = ((await created.json()) as { id: string }).id;
    await until('storm seed', async () => (await cachedIds(rig, u.id)).includes(id));
    await settle();
    const before = deltaRequests(sim);
    // a burst: 1,000 out-of-band edits sent at once (the last one settles the subject)
    const started = Date.now();
    await Promise.all(Array.from({ length: 999 }, (_, i) => sim.admin(`users/${u.id}/events/${id}`, { method: 'PATCH', body: { subject: `Storm ${i + 1}` } })));
    await sim.admin(`users/${u.id}/events/${id}`, { method: 'PATCH', body: { subject: 'Storm 1000' } });
    expect(Date.now() - started).toBeLessThan(20_000);
    const subject = async () => ((await rig.ds.query(`SELECT subject FROM sync_events WHERE id = ${kind === 'postgres' ? '$1' : '?'}`, [id])) as Array<{ subject: string }>)[0]?.subject;
    await until('last change', async () => (await subject()) === 'Storm 1000', 10_000);
    await settle();
    const spent = deltaRequests(sim) - before;
    expect(sim.simulator.subscriptions.stats().notificationsDelivered).toBeGreaterThanOrEqual(1000);
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(10);
  }, 30_000);

  it('removes the subscription of a user who left', async () => {
    const u = sim.simulator.state.users.filter((x) => x.hasMailbox)[3];
    const sub = (await mine(u.id)) as SubscriptionView;
    await rig.ds.query(`DELETE FROM sync_users WHERE id = ${kind === 'postgres' ? '$1' : '?'}`, [u.id]);
    await subs.reconcile();
    expect(await mine(u.id)).toBeUndefined();
    expect(sim.simulator.subscriptions.get(sub.subscriptionId)).toBeUndefined();
  });
});
