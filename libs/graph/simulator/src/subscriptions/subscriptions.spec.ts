import { call, people, testSimulator } from '../testing/simulator-test-kit';
import type { NotificationPost, NotificationTransport } from './transport';

const ADELE = people[0].id;
const HOOK = 'https://hooks.example.com/notify';
const LIFE = 'https://hooks.example.com/lifecycle';

interface Rig {
  posts: NotificationPost[];
  /** Status the endpoint answers notifications with. */
  answer: { status: number };
}

/** An endpoint that answers the handshake (unless told not to) and records every POST. */
function endpoint(opts: { echo?: boolean } = {}): { transport: NotificationTransport } & Rig {
  const posts: NotificationPost[] = [];
  const answer = { status: 202 };
  const transport: NotificationTransport = async (post) => {
    posts.push(post);
    const token = new URL(post.url).searchParams.get('validationToken');
    if (token !== null) return opts.echo === false ? { status: 200, text: 'nope', contentType: 'text/plain' } : { status: 200, text: token, contentType: 'text/plain; charset=utf-8' };
    return { status: answer.status, text: '' };
  };
  return { transport, posts, answer };
}

const notifications = (posts: NotificationPost[]) =>
  posts.filter((p) => !p.url.includes('validationToken')).map((p) => (JSON.parse(p.body) as { value: Array<Record<string, unknown>> }).value[0]);

function setup(echo = true) {
  const ep = endpoint({ echo });
  const { sim, clock } = testSimulator({ notificationTransport: ep.transport, notifications: { latencyMs: 100, retryBaseMs: 1000, maxAttempts: 3 } });
  const inMinutes = (m: number) => new Date(clock.now() + m * 60_000).toISOString();
  const create = (body: Record<string, unknown> = {}, token?: string) =>
    call(sim, 'POST', '/subscriptions', {
      token,
      body: { changeType: 'created,updated,deleted', notificationUrl: HOOK, lifecycleNotificationUrl: LIFE, resource: `users/${ADELE}/events`, expirationDateTime: inMinutes(60), clientState: 's3cret', ...body },
    });
  return { sim, clock, ep, create, inMinutes };
}

const lunch = { subject: 'Lunch', start: { dateTime: '2026-03-04T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-04T13:00:00', timeZone: 'UTC' } };

describe('subscriptions (change notifications)', () => {
  it('creates after the validation handshake on both URLs and answers the subscription resource', async () => {
    const { sim, ep, create } = setup();
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ resource: `users/${ADELE}/events`, changeType: 'created,updated,deleted', clientState: 's3cret', notificationUrl: HOOK, lifecycleNotificationUrl: LIFE, latestSupportedTlsVersion: 'v1_2' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const handshakes = ep.posts.filter((p) => p.url.includes('validationToken='));
    expect(handshakes.map((p) => p.url.split('?')[0])).toEqual([HOOK, LIFE]);
    expect(handshakes[0].contentType).toMatch(/^text\/plain/);
    expect(handshakes[0].timeoutMs).toBe(10_000);
    expect((await call(sim, 'GET', `/subscriptions/${res.body.id}`)).body.id).toBe(res.body.id);
    expect((await call(sim, 'GET', '/subscriptions')).body.value).toHaveLength(1);
  });

  it('refuses a create whose endpoint does not echo the token (400 ValidationError), storing nothing', async () => {
    const { sim, create } = setup(false);
    const res = await create();
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ValidationError');
    expect(sim.subscriptions.list()).toHaveLength(0);
  });

  it.each([
    [{ expirationDateTime: 'later' }, 'InvalidRequest', /expirationDateTime/],
    [{ clientState: 'x'.repeat(129) }, 'InvalidRequest', /clientState/],
    [{ changeType: 'created,moved' }, 'InvalidRequest', /changeType/],
    [{ resource: `users/${ADELE}/messages` }, 'InvalidRequest', /Resource/],
    [{ resource: 'me/events' }, 'InvalidRequest', /delegated/],
    [{ notificationUrl: 'http://hooks.example.com/x' }, 'InvalidRequest', /https/],
    [{ notificationUrl: undefined }, 'InvalidRequest', /notificationUrl/],
  ])('400 for %j', async (patch, code, message) => {
    const { create, sim } = setup();
    const res = await create(patch);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.innerError['request-id']).toBeDefined();
    expect(sim.subscriptions.list()).toHaveLength(0);
  });

  it('allows at most 10,080 minutes', async () => {
    const { create, inMinutes } = setup();
    expect((await create({ expirationDateTime: inMinutes(10_081) })).body.error.message).toMatch(/10080 minutes/);
    expect((await create({ expirationDateTime: inMinutes(10_080) })).status).toBe(201);
  });

  it('needs Calendars.Read for app-only; delegated tokens subscribe to me/events', async () => {
    const { sim, create } = setup();
    const res = await create({}, sim.appToken(['User.Read.All']));
    expect(res.status).toBe(403);
    const user = sim.userToken('adele@contoso.com', ['Calendars.Read']);
    expect((await create({ resource: 'me/events' }, user)).status).toBe(201);
    expect((await create({ resource: `users/${people[1].id}/events` }, user)).status).toBe(403);
  });

  it('notifies every change (Graph writes and /_sim out-of-band writes) after the latency', async () => {
    const { sim, clock, ep, create } = setup();
    const sub = (await create()).body;
    const made = await call(sim, 'POST', `/users/${ADELE}/events`, { body: lunch });
    await clock.advance(50);
    expect(notifications(ep.posts)).toHaveLength(0);
    await clock.advance(100);
    await sim.subscriptions.idle();
    const [first] = notifications(ep.posts);
    expect(first).toMatchObject({ subscriptionId: sub.id, changeType: 'created', clientState: 's3cret', tenantId: sim.tenantId, resource: `Users/${ADELE}/Events/${made.body.id}` });
    expect(first.resourceData).toMatchObject({ '@odata.type': '#Microsoft.Graph.Event', id: made.body.id });
    await call(sim, 'PATCH', `https://graph.microsoft.com/_sim/users/${ADELE}/events/${made.body.id}`, { body: { subject: 'Later lunch' } });
    await call(sim, 'DELETE', `https://graph.microsoft.com/_sim/users/${ADELE}/events/${made.body.id}`);
    await clock.advance(200);
    await sim.subscriptions.idle();
    expect(notifications(ep.posts).map((n) => n.changeType)).toEqual(['created', 'updated', 'deleted']);
    // another mailbox's change is not this subscription's
    await call(sim, 'POST', `/users/${people[1].id}/events`, { body: lunch });
    await clock.advance(200);
    expect(notifications(ep.posts)).toHaveLength(3);
  });

  it('retries with backoff while the endpoint fails, then gives up', async () => {
    const { sim, clock, ep, create } = setup();
    await create();
    ep.answer.status = 500;
    await call(sim, 'POST', `https://graph.microsoft.com/_sim/users/${ADELE}/events`, { body: lunch });
    await clock.advance(100);
    expect(notifications(ep.posts)).toHaveLength(1);
    await clock.advance(999);
    expect(notifications(ep.posts)).toHaveLength(1);
    await clock.advance(1);
    expect(notifications(ep.posts)).toHaveLength(2);
    ep.answer.status = 202;
    await clock.advance(2000);
    expect(notifications(ep.posts)).toHaveLength(3);
    expect(sim.subscriptions.stats()).toMatchObject({ notificationsDelivered: 1, attemptsFailed: 2 });
  });

  it('drops notifications by the drop fault and counts them', async () => {
    const { sim, clock, ep, create } = setup();
    await create();
    expect((await call(sim, 'PUT', 'https://graph.microsoft.com/_sim/subscriptions/settings', { body: { dropRate: 1 } })).status).toBe(200);
    await call(sim, 'POST', `https://graph.microsoft.com/_sim/users/${ADELE}/events`, { body: lunch });
    await clock.advance(1000);
    expect(notifications(ep.posts)).toHaveLength(0);
    expect((await call(sim, 'GET', 'https://graph.microsoft.com/_sim/subscriptions/stats')).body).toMatchObject({ notificationsDropped: 1 });
    expect((await call(sim, 'PUT', 'https://graph.microsoft.com/_sim/subscriptions/settings', { body: { dropRate: 2 } })).status).toBe(400);
  });

  it('removes a subscription at its expiry; PATCH renews it', async () => {
    const { sim, clock, create, inMinutes } = setup();
    const sub = (await create({ expirationDateTime: inMinutes(10) })).body;
    const renewed = await call(sim, 'PATCH', `/subscriptions/${sub.id}`, { body: { expirationDateTime: inMinutes(20) } });
    expect(renewed.status).toBe(200);
    await clock.advance(15 * 60_000);
    expect((await call(sim, 'GET', `/subscriptions/${sub.id}`)).status).toBe(200);
    await clock.advance(6 * 60_000);
    expect((await call(sim, 'GET', `/subscriptions/${sub.id}`)).status).toBe(404);
    expect(sim.subscriptions.stats()).toMatchObject({ renewed: 1, expired: 1, active: 0 });
    expect((await call(sim, 'PATCH', `/subscriptions/${sub.id}`, { body: { clientState: 'x' } })).status).toBe(404);
  });

  it('DELETE removes; others cannot be patched but by expirationDateTime/notificationUrl', async () => {
    const { sim, create } = setup();
    const sub = (await create()).body;
    expect((await call(sim, 'PATCH', `/subscriptions/${sub.id}`, { body: { resource: 'me/events' } })).status).toBe(400);
    expect((await call(sim, 'DELETE', `/subscriptions/${sub.id}`)).status).toBe(204);
    expect((await call(sim, 'DELETE', `/subscriptions/${sub.id}`)).status).toBe(404);
  });

  it('sends injected lifecycle notifications to the lifecycle URL; subscriptionRemoved removes', async () => {
    const { sim, clock, ep, create } = setup();
    const sub = (await create()).body;
    for (const lifecycleEvent of ['reauthorizationRequired', 'missed', 'subscriptionRemoved']) {
      expect((await call(sim, 'POST', `https://graph.microsoft.com/_sim/subscriptions/${sub.id}/lifecycle`, { body: { lifecycleEvent } })).status).toBe(202);
    }
    await clock.advance(200);
    await sim.subscriptions.idle();
    const life = ep.posts.filter((p) => p.url === LIFE).map((p) => JSON.parse(p.body).value[0]);
    expect(life.map((l) => l.lifecycleEvent)).toEqual(['reauthorizationRequired', 'missed', 'subscriptionRemoved']);
    expect(life[0]).toMatchObject({ subscriptionId: sub.id, clientState: 's3cret', tenantId: sim.tenantId });
    expect(sim.subscriptions.list()).toHaveLength(0);
    expect((await call(sim, 'POST', `https://graph.microsoft.com/_sim/subscriptions/${sub.id}/lifecycle`, { body: { lifecycleEvent: 'missed' } })).status).toBe(404);
  });
});
