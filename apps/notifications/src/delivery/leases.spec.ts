import request from 'supertest';
import { FakeClock } from '@ocb/clock';
import { createTestDatabase, PLATFORM_AUTH, testDatabaseKinds, type TestDatabase } from '@ocb/testing';
import { advanceTo, FakeSync, MIN, occurrence, ProcessClock, startApp, T0, WebhookReceiver, type NotificationsApp } from '../testing/notifications-test-kit';
import type { WebhookRequest, WebhookResponse, WebhookSender } from './webhook.sender';

jest.setTimeout(30_000);

/** A sender whose request "never returns" until the test says so (a process dying mid-delivery). */
class HangingSender implements WebhookSender {
  readonly sent: WebhookRequest[] = [];
  private release?: (r: WebhookResponse | Error) => void;

  send(req: WebhookRequest): Promise<WebhookResponse> {
    this.sent.push(req);
    return new Promise((resolve, reject) => {
      this.release = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
  }

  finish(r: WebhookResponse | Error): void {
    this.release?.(r);
  }
}

// Processes as Nest apps sharing one database and one fake clock; "kill" stops a process's timers
// (no heartbeat, no wake-ups) while its request hangs, as when it dies before the answer.
describe.each(testDatabaseKinds())('delivery leases across a restart on %s', (kind) => {
  let db: TestDatabase;
  let clock: FakeClock;
  let sync: FakeSync;
  let receiver: WebhookReceiver;
  let hanging: HangingSender;
  const apps: NotificationsApp[] = [];
  const due = T0 + MIN;

  const start = async (instance: string, o: { clock?: ProcessClock; sender?: WebhookSender } = {}) => {
    const app = await startApp({
      databaseUrl: db.url,
      clock: o.clock ?? clock,
      sync,
      webhookUrl: receiver.url,
      sender: o.sender,
      env: { NOTIFY_INSTANCE_ID: instance },
    });
    apps.push(app);
    return app;
  };
  const deliveries = async (app: NotificationsApp) =>
    (await request(app.url).get('/api/notifications/deliveries').set(PLATFORM_AUTH)).body.items as Array<{ id: string; status: string; attempts: number }>;

  /** Process `instance` claims the due reminder and is inside its (hanging) request. */
  const claimedBy = async (instance: string, pc: ProcessClock, sender: WebhookSender) => {
    const app = await start(instance, { clock: pc, sender });
    await clock.advance(due - clock.now());
    for (let i = 0; i < 200 && !hanging.sent.length; i++) await new Promise((r) => setTimeout(r, 5));
    expect(hanging.sent).toHaveLength(1);
    return app;
  };

  beforeEach(async () => {
    db = await createTestDatabase(kind, 'notif_leases');
    clock = new FakeClock(T0);
    sync = new FakeSync().add(occurrence('ev-1', due + 60 * MIN));
    receiver = await new WebhookReceiver(clock).start();
    hanging = new HangingSender();
  });

  afterEach(async () => {
    hanging.finish(new Error('the process was killed'));
    for (const a of apps.splice(0)) await a.close();
    await receiver.close();
    await db.drop();
  });

  /** advanceTo for the live apps only (a hung app never settles). */
  const advanceLive = (target: number, live: NotificationsApp[], step = 250) => advanceTo(clock, target, live, step);

  it('a restarted process (same NOTIFY_INSTANCE_ID) delivers its own unfinished claim at once', async () => {
    const first = new ProcessClock(clock);
    await claimedBy('notif-a', first, hanging);
    first.kill();

    await clock.advance(200); // the restart takes 200 ms
    const restarted = await start('notif-a');
    await advanceLive(due + 10_000, [restarted]);

    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.at - due).toBeLessThan(1_000);
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(hanging.sent[0]!.headers['webhook-id']);
    expect(await deliveries(restarted)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });

  it('another replica takes over after the short lease (NOTIFY_LEASE_SECONDS), not before', async () => {
    const first = new ProcessClock(clock);
    await claimedBy('notif-a', first, hanging);
    const b = await start('notif-b');
    first.kill();

    await advanceLive(due + 4_900, [b]);
    expect(receiver.requests).toHaveLength(0);
    await advanceLive(due + 10_000, [b]);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.at - due).toBeGreaterThanOrEqual(5_000);
    expect(receiver.requests[0]!.at - due).toBeLessThan(6_000);
    expect(await deliveries(b)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });

  it('never delivers twice while the first process is alive and delivering (the heartbeat renews the lease)', async () => {
    const first = new ProcessClock(clock);
    const slow: WebhookSender = {
      send: async (req) => {
        hanging.sent.push(req);
        await first.sleep(12_000); // a receiver that takes 12 s to answer (under the 15 s timeout)
        return { status: 200 };
      },
    };
    const a = await claimedBy('notif-a', first, slow);
    const b = await start('notif-b');

    await advanceLive(due + 30_000, [b]);
    await a.settle();
    expect(receiver.requests).toHaveLength(0); // B never sent it
    expect(hanging.sent).toHaveLength(1);
    expect(await deliveries(b)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });

});
