import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { CLOCK, type Clock, FakeClock } from '@ocb/clock';
import type { EventDetail, StartingEvent, UserRef } from '@ocb/service-clients';
import type { DatabaseKind } from '@ocb/persistence';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '@ocb/testing';
import { AppModule } from '../app.module';
import { loadNotificationsConfig } from '../config/notifications.config';
import { DELIVERY_POLICY, defaultDeliveryPolicy, WEBHOOK_SENDER, type DeliveryPolicy, type WebhookSender } from '../delivery/webhook.sender';
import { DUE_EVENTS_SOURCE, type DueEventsSource } from '../reminders/due-events.source';
import { ReminderScheduler } from '../reminders/reminder.scheduler';

export const T0 = Date.parse('2026-03-02T08:00:00.000Z');
export const MIN = 60_000;
export const SECRET = 'test-webhook-secret';

export const ALICE = { id: 'u-alice', email: 'alice@contoso.com', userPrincipalName: 'alice@contoso.com' };
export const BOB = { id: 'u-bob', email: 'bob@contoso.com', userPrincipalName: 'Bob@Contoso.com' };

/** An occurrence as sync's internal route returns it. */
export function occurrence(id: string, startMs: number, opts: Partial<StartingEvent> = {}): StartingEvent {
  const startUtc = new Date(startMs).toISOString();
  const endUtc = new Date(startMs + 30 * MIN).toISOString();
  return {
    id,
    subject: `Meeting ${id}`,
    start: { dateTime: startUtc.slice(0, 19) + '.0000000', timeZone: 'UTC' },
    end: { dateTime: endUtc.slice(0, 19) + '.0000000', timeZone: 'UTC' },
    startUtc,
    endUtc,
    isAllDay: false,
    location: 'Room 4',
    description: '',
    attendees: [],
    organizer: { name: 'Alice', email: ALICE.email },
    isOrganizer: true,
    canEdit: true,
    joinUrl: 'https://teams.example/join/1',
    webLink: `https://outlook.example/${id}`,
    type: 'singleInstance',
    seriesMasterId: null,
    recurrence: null,
    isOfficeHours: false,
    isCancelled: false,
    user: ALICE,
    ...opts,
  };
}

/** The sync cache, in memory: what the planner and the re-check see. */
export class FakeSync implements DueEventsSource {
  readonly events = new Map<string, StartingEvent>();
  readonly users: UserRef[] = [ALICE, BOB].map((u) => ({ ...u, mail: u.email, displayName: null }));
  down = false;
  calls = { starting: 0, event: 0 };

  add(...events: StartingEvent[]): this {
    for (const e of events) this.events.set(e.id, e);
    return this;
  }

  move(id: string, startMs: number): void {
    const e = this.events.get(id)!;
    this.events.set(id, { ...occurrence(id, startMs), subject: e.subject, user: e.user, isOrganizer: e.isOrganizer });
  }

  async startingBetween(from: Date, to: Date): Promise<StartingEvent[]> {
    this.calls.starting++;
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:3002');
    // deliberately returns attendee copies and cancelled events too: the planner must re-check
    return [...this.events.values()].filter((e) => Date.parse(e.startUtc) >= from.getTime() && Date.parse(e.startUtc) < to.getTime());
  }

  async event(_user: string, eventId: string): Promise<EventDetail | null> {
    this.calls.event++;
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:3002');
    const e = this.events.get(eventId);
    if (!e) return null;
    const { user: _u, ...detail } = e;
    return detail;
  }

  async user(user: string): Promise<UserRef | null> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:3002');
    return this.users.find((u) => u.id === user || u.userPrincipalName.toLowerCase() === user.toLowerCase()) ?? null;
  }
}

export interface Received {
  id: string;
  raw: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  body: Record<string, unknown> & { id: string; dueAt: string };
  signature: string | undefined;
  status: number;
  /** The test clock's time when the request arrived. */
  at: number;
}

export type Reply = number | { status: number; headers?: Record<string, string> };

/** A real local webhook receiver; `respond` picks the status (and headers) of each request (1-based count). */
export class WebhookReceiver {
  readonly requests: Received[] = [];
  respond: (n: number, body: Record<string, unknown>) => Reply = () => 204;
  private server?: Server;
  url = '';

  constructor(private readonly clock: Clock) {}

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(raw) as Received['body'];
        const reply = this.respond(this.requests.length + 1, body);
        const { status, headers = {} } = typeof reply === 'number' ? { status: reply } : reply;
        const sig = req.headers['x-signature'];
        const flat = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
        this.requests.push({ id: body.id, raw, headers: flat, body, signature: typeof sig === 'string' ? sig : undefined, status, at: this.clock.now() });
        res.writeHead(status, headers);
        res.end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/reminders`;
    return this;
  }

  /** Accepted (2xx) deliveries per notification id: what a receiver deduping on id would count. */
  successes(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.requests) if (r.status >= 200 && r.status < 300) m.set(r.id, (m.get(r.id) ?? 0) + 1);
    return m;
  }

  accepted(): Received[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export function verifySignature(raw: string, header: string | undefined, secret = SECRET): boolean {
  return header === `sha256=${createHmac('sha256', secret).update(raw, 'utf8').digest('hex')}`;
}

/**
 * What a receiver using the `standardwebhooks` package does with a delivery, its own clock
 * reading `receivedAt` (the library checks the timestamp against Date.now()): the parsed body,
 * or the library's error. A plain secret is the raw key, as NOTIFY_WEBHOOK_SECRET treats it.
 */
export function verifyStandard(r: Pick<Received, 'raw' | 'headers'>, secret: string, receivedAt: number): { ok: true; body: unknown } | { ok: false; error: string } {
  const hook = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(new Uint8Array(Buffer.from(secret, 'utf8')), { format: 'raw' });
  const spy = jest.spyOn(Date, 'now').mockReturnValue(receivedAt);
  try {
    return { ok: true, body: hook.verify(r.raw, r.headers) };
  } catch (e) {
    return { ok: false, error: e instanceof WebhookVerificationError ? e.message : String(e) };
  } finally {
    spy.mockRestore();
  }
}

/**
 * One process's view of a shared FakeClock that can be "killed": its timers stop firing and no
 * new ones are armed, as when the process dies (the shared clock goes on for the others).
 */
export class ProcessClock implements Clock {
  private readonly cancels = new Set<() => void>();
  private dead = false;

  constructor(private readonly clock: FakeClock) {}

  now(): number {
    return this.clock.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  setTimer(fn: () => void, ms: number): () => void {
    if (this.dead) return () => undefined;
    const cancel = this.clock.setTimer(() => {
      this.cancels.delete(cancel);
      if (!this.dead) fn();
    }, ms);
    this.cancels.add(cancel);
    return () => {
      this.cancels.delete(cancel);
      cancel();
    };
  }

  kill(): void {
    this.dead = true;
    for (const c of this.cancels) c();
    this.cancels.clear();
  }
}

export interface AppOptions {
  databaseUrl: string;
  clock?: Clock;
  sync?: DueEventsSource;
  webhookUrl?: string;
  sender?: WebhookSender;
  policy?: Partial<DeliveryPolicy>;
  env?: Record<string, string>;
}

export interface NotificationsApp extends TestApp {
  scheduler: ReminderScheduler;
  settle(): Promise<void>;
}

let instances = 0;

export async function startApp(o: AppOptions): Promise<NotificationsApp> {
  const config = loadNotificationsConfig({
    DATABASE_URL: o.databaseUrl,
    NOTIFY_INSTANCE_ID: `test-${++instances}`,
    LOG_LEVEL: 'silent',
    NOTIFY_WEBHOOK_SECRET: SECRET,
    REMINDER_PLAN_INTERVAL_SECONDS: '60',
    SYNC_URL: 'http://127.0.0.1:9',
    ...(o.webhookUrl ? { NOTIFY_WEBHOOK_URL: o.webhookUrl } : {}),
    ...o.env,
  });
  const override = (b: TestingModuleBuilder) => {
    // no jitter unless a test asks for it: retries land exactly on the schedule
    let builder = b.overrideProvider(DELIVERY_POLICY).useValue({ ...defaultDeliveryPolicy, random: () => 0.5, ...o.policy });
    if (o.clock) builder = builder.overrideProvider(CLOCK).useValue(o.clock);
    if (o.sync) builder = builder.overrideProvider(DUE_EVENTS_SOURCE).useValue(o.sync);
    if (o.sender) builder = builder.overrideProvider(WEBHOOK_SENDER).useValue(o.sender);
    return builder;
  };
  const test = await createTestApp(AppModule.forRoot(config), {}, override);
  const scheduler = test.app.get(ReminderScheduler);
  const app: NotificationsApp = { ...test, scheduler, settle: () => scheduler.idle() };
  await app.settle();
  return app;
}

/** Moves the fake clock to `target` in steps of at most `stepMs`, letting every app settle in between. */
export async function advanceTo(clock: FakeClock, target: number, apps: NotificationsApp[], stepMs = MIN): Promise<void> {
  while (clock.now() < target) {
    await clock.advance(Math.min(stepMs, target - clock.now()));
    for (const a of apps) await a.settle();
  }
  for (const a of apps) await a.settle();
}

/** One test's world: a fresh database, a fake clock at T0, a fake sync and a webhook receiver. */
export interface NotificationsSuite {
  db: TestDatabase;
  clock: FakeClock;
  sync: FakeSync;
  receiver: WebhookReceiver;
  /** Apps closed after the test (those started with `startApp` directly go here too). */
  apps: NotificationsApp[];
  /** Starts the app on that world (closed after the test); `webhook: false`: no webhook URL. */
  start(opts?: { webhook?: boolean; env?: Record<string, string>; policy?: AppOptions['policy'] }): Promise<NotificationsApp>;
}

/** Registers a describe block's per-test set-up and tear-down (beforeEach / afterEach). */
export function notificationsSuite(kind: DatabaseKind, label: string): NotificationsSuite {
  const apps: NotificationsApp[] = [];
  const suite = {
    apps,
    start: async (opts: { webhook?: boolean; env?: Record<string, string>; policy?: AppOptions['policy'] } = {}) => {
      const app = await startApp({ databaseUrl: suite.db.url, clock: suite.clock, sync: suite.sync, webhookUrl: opts.webhook === false ? undefined : suite.receiver.url, env: opts.env, policy: opts.policy });
      apps.push(app);
      return app;
    },
  } as NotificationsSuite;
  beforeEach(async () => {
    suite.db = await createTestDatabase(kind, label);
    suite.clock = new FakeClock(T0);
    suite.sync = new FakeSync();
    suite.receiver = await new WebhookReceiver(suite.clock).start();
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    await suite.receiver.close();
    await suite.db.drop();
  });
  return suite;
}
