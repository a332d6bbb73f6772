import { call, GRAPH, lunch, people, testSimulator, text } from '../testing/simulator-test-kit';

const [adele, alex] = people;
const MAX2 = { Prefer: 'odata.maxpagesize=2' };

async function drain(sim: Parameters<typeof call>[0], url: string, token?: string) {
  const items: Array<Record<string, unknown>> = [];
  let next: string | undefined = url;
  let deltaLink: string | undefined;
  let pages = 0;
  while (next) {
    const res = await call(sim, 'GET', next, { headers: MAX2, token });
    expect(res.status).toBe(200);
    expect(res.body.value.length).toBeLessThanOrEqual(2);
    items.push(...res.body.value);
    pages++;
    next = text(res.body['@odata.nextLink']);
    if (next) expect(next).toContain('$skiptoken=');
    deltaLink = text(res.body['@odata.deltaLink']);
  }
  return { items, deltaLink: deltaLink as string, pages };
}

describe('calendarView/delta', () => {
  it('pages the initial sync, then returns only changes, removals and moves out of the window', async () => {
    const { sim } = testSimulator();
    const ids: string[] = [];
    for (let d = 0; d < 5; d++) {
      const day = String(3 + d).padStart(2, '0');
      const ev = await call(sim, 'POST', `/users/${alex.id}/events`, {
        body: { subject: `S${d}`, start: { dateTime: `2026-03-${day}T10:00:00`, timeZone: 'UTC' }, end: { dateTime: `2026-03-${day}T11:00:00`, timeZone: 'UTC' } },
      });
      ids.push(String(ev.body.id));
    }
    const first = await drain(sim, `/users/${alex.id}/calendarView/delta?startdatetime=2026-03-01T00:00:00Z&enddatetime=2026-03-31T00:00:00Z`);
    expect(first.pages).toBe(3);
    expect(first.items.map((i) => i.subject)).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
    expect(first.items[0]['@odata.type']).toBe('#microsoft.graph.event');
    expect(first.deltaLink).toContain('$deltatoken=');

    const empty = await drain(sim, first.deltaLink);
    expect(empty.items).toEqual([]);

    await call(sim, 'PATCH', `/users/${alex.id}/events/${ids[1]}`, { body: { subject: 'S1 renamed' } });
    await call(sim, 'DELETE', `/users/${alex.id}/events/${ids[2]}`);
    await call(sim, 'PATCH', `/users/${alex.id}/events/${ids[3]}`, {
      body: { start: { dateTime: '2026-05-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-05-01T11:00:00', timeZone: 'UTC' } },
    });
    const created = await call(sim, 'POST', `/users/${alex.id}/events`, {
      body: { subject: 'New', start: { dateTime: '2026-03-20T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-20T11:00:00', timeZone: 'UTC' } },
    });
    const changes = await drain(sim, empty.deltaLink);
    const removed = changes.items.filter((i) => i['@removed']).map((i) => i.id);
    const upserted = changes.items.filter((i) => !i['@removed']).map((i) => i.id);
    expect(removed.sort()).toEqual([ids[2], ids[3]].sort());
    expect(upserted.sort()).toEqual([ids[1], created.body.id].sort());
    expect(changes.items.find((i) => i['@removed'])).toEqual({ '@odata.type': '#microsoft.graph.event', id: expect.any(String), '@removed': { reason: 'deleted' } });
  });

  it('reports cancelled attendee copies as removed, and 410 for unknown or stale tokens', async () => {
    const { sim } = testSimulator();
    const ev = (await call(sim, 'POST', `/users/${adele.id}/events`, { body: lunch })).body;
    const first = await drain(sim, `/users/${alex.id}/calendarView/delta?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`);
    expect(first.items).toHaveLength(1);
    await call(sim, 'DELETE', `/users/${adele.id}/events/${ev.id}`);
    const changes = await drain(sim, first.deltaLink);
    expect(changes.items).toEqual([{ '@odata.type': '#microsoft.graph.event', id: first.items[0].id, '@removed': { reason: 'deleted' } }]);

    const bogus = await call(sim, 'GET', `/users/${alex.id}/calendarView/delta?$deltatoken=garbage`);
    expect(bogus.status).toBe(410);
    expect(bogus.body.error.code).toBe('SyncStateNotFound');
    sim.seed({ tenant: { users: people } });
    const stale = await call(sim, 'GET', changes.deltaLink);
    expect(stale.status).toBe(410);
    const noWindow = await call(sim, 'GET', `/me/calendarView/delta`, { token: sim.userToken(alex.id, ['Calendars.Read']) });
    expect(noWindow.status).toBe(400);
  });

  it('renders a large delta page over several event-loop turns: a request arriving meanwhile is answered first', async () => {
    const { sim } = testSimulator({ tenant: { users: 3, eventsPerUser: 400, seed: 9 } });
    const user = sim.state.users.find((u) => u.hasMailbox)!;
    const request = (path: string, headers: Array<[string, string]> = []) => ({
      method: 'GET',
      url: new URL(`${GRAPH}${path}`),
      headers: new Map<string, string>([['authorization', `Bearer ${sim.appToken()}`], ...headers]),
      body: undefined,
    });
    const order: string[] = [];
    const page = sim.dispatch(
      request(`/users/${user.id}/calendarView/delta?startDateTime=2026-01-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z`, [['prefer', 'odata.maxpagesize=1000']]),
    )!.then((r) => {
      order.push('delta');
      return r;
    });
    const users = sim.dispatch(request('/users?$top=1'))!.then(() => order.push('users'));
    await Promise.all([page, users]);
    const body = JSON.parse((await page).text ?? '{}') as { value: unknown[] };
    expect(body.value.length).toBeGreaterThan(100);
    expect(order).toEqual(['users', 'delta']);
  });

  it('works on a seeded tenant: initial pages, then only the changes', async () => {
    const { sim } = testSimulator({ tenant: { users: 12, eventsPerUser: 30, seed: 5 } });
    const user = sim.state.mailboxes[0].user;
    const first = await drain(sim, `/users/${user.id}/calendarView/delta?startDateTime=2026-02-20T00:00:00Z&endDateTime=2026-07-01T00:00:00Z`);
    expect(first.items.length).toBeGreaterThan(10);
    expect(first.items.every((i) => i.isCancelled === false)).toBe(true);
    expect((await drain(sim, first.deltaLink)).items).toEqual([]);
    const victim = first.items.find((i) => i.type === 'singleInstance' && i.isOrganizer) as { id: string };
    await call(sim, 'DELETE', `/users/${user.id}/events/${victim.id}`);
    expect((await drain(sim, first.deltaLink)).items).toEqual([{ '@odata.type': '#microsoft.graph.event', id: victim.id, '@removed': { reason: 'deleted' } }]);
  });
});

describe('$batch', () => {
  it('runs up to 20 relative requests with per-item status, dependsOn and 424', async () => {
    const { sim } = testSimulator();
    const res = await call(sim, 'POST', '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: `/users/${adele.id}/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z` },
          { id: '2', method: 'POST', url: `/users/${adele.id}/events`, body: lunch, headers: { 'Content-Type': 'application/json' }, dependsOn: ['1'] },
          { id: '3', method: 'GET', url: `users/ghost@contoso.com/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z` },
          { id: '4', method: 'GET', url: '/users?$top=1', dependsOn: ['3'] },
        ],
      },
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries([...res.body.responses].map((r) => [String(r.id), r]));
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].body.value).toEqual([]);
    expect(byId['2'].status).toBe(201);
    expect(byId['2'].body.subject).toBe(lunch.subject);
    expect(byId['3'].status).toBe(404);
    expect(byId['3'].body.error.innerError['request-id']).toEqual(expect.any(String));
    expect(byId['4'].status).toBe(424);
    const stats = sim.stats();
    expect(stats.requests['POST /$batch']).toEqual({ '200': 1 });
    expect(stats.requests['POST /users/{id}/events']).toEqual({ '201': 1 });
    expect(stats.writes['POST /users/{id}/events']).toBe(1);
  });

  it('rejects more than 20 requests, duplicate ids and missing auth', async () => {
    const { sim } = testSimulator();
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' }));
    expect((await call(sim, 'POST', '/$batch', { body: { requests: many } })).status).toBe(400);
    const dup = await call(sim, 'POST', '/$batch', { body: { requests: [{ id: '1', method: 'GET', url: '/users' }, { id: '1', method: 'GET', url: '/users' }] } });
    expect(dup.status).toBe(400);
    expect((await call(sim, 'POST', '/$batch', { token: null, body: { requests: [{ id: '1', method: 'GET', url: '/users' }] } })).status).toBe(401);
  });

  it('throttles items per mailbox with 429 and Retry-After', async () => {
    const { sim, clock } = testSimulator();
    sim.faults = { latencyMs: 50 };
    const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z';
    const requests = Array.from({ length: 6 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${adele.id}/calendarView?${window}` }));
    let settled = false;
    const pending = call(sim, 'POST', '/$batch', { body: { requests } }).finally(() => (settled = true));
    // the items start one event-loop turn apart, each then waits its latency: drive both clocks
    while (!settled) {
      await new Promise((r) => setImmediate(r));
      await clock.advance(10);
    }
    const res = await pending;
    const statuses = res.body.responses.map((r: { status: number }) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const throttled = res.body.responses.find((r: { status: number }) => r.status === 429);
    expect(throttled.headers['Retry-After']).toBe('1');
    expect(throttled.body.error.code).toBe('ApplicationThrottled');
    expect(sim.stats().peakConcurrencyByMailbox[adele.id]).toBe(4);
  });
});

describe('throttling, faults, stats and admin', () => {
  it('counts a request when it arrived (receivedAt), not when a busy event loop got round to it', async () => {
    const { sim } = testSimulator();
    sim.faults = { maxRequestsPerSecond: 1 };
    const request = (receivedAt?: number) => ({
      method: 'GET',
      url: new URL(`https://graph.microsoft.com/v1.0/users/${alex.id}`),
      headers: new Map([['authorization', `Bearer ${sim.appToken()}`]]),
      body: undefined,
      receivedAt,
    });
    // arrived 900 ms ago (waited in the server): counted then, so the next one is only 100 ms early
    expect((await sim.dispatch(request(performance.now() - 900))!).status).toBe(200);
    const over = await sim.dispatch(request())!;
    expect(over.status).toBe(429);
    // about 0.1 s (less when this process is slow to send the second request); ~1 s if counted on dispatch
    const wait = Number(over.headers['Retry-After']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(0.1);
  });

  it("counts a batch's items when the batch arrives, and answers requests arriving meanwhile between its items", async () => {
    const { sim } = testSimulator();
    sim.faults = { maxRequestsPerSecond: 12 };
    const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z';
    const requests = Array.from({ length: 10 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${adele.id}/calendarView?${window}` }));
    const batch = call(sim, 'POST', '/$batch', { body: { requests } });
    const views = () => Object.values(sim.stats().requests[`GET /users/{id}/calendarView`] ?? {}).reduce((a, b) => a + b, 0);
    // two requests fit next to the batch's ten; the third is over the budget although most of the batch is not rendered yet
    expect((await call(sim, 'GET', `/users/${alex.id}`)).status).toBe(200);
    expect((await call(sim, 'GET', `/users/${alex.id}`)).status).toBe(200);
    const over = await call(sim, 'GET', `/users/${alex.id}`);
    expect(over.status).toBe(429);
    expect(views()).toBeLessThan(10);
    const res = await batch;
    expect(res.body.responses.map((r: { status: number }) => r.status)).toEqual(Array(10).fill(200));
    expect(views()).toBe(10);
  });

  it('caps requests per second with a fractional Retry-After, and re-throttles early retries', async () => {
    const { sim, clock } = testSimulator();
    sim.faults = { maxRequestsPerSecond: 3 };
    const url = `/users/${adele.id}`;
    for (let i = 0; i < 3; i++) expect((await call(sim, 'GET', url)).status).toBe(200);
    await clock.advance(650);
    const over = await call(sim, 'GET', url);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('TooManyRequests');
    expect(over.headers.get('Retry-After')).toBe('0.35');
    await clock.advance(100);
    expect((await call(sim, 'GET', url)).status).toBe(429);
    await clock.advance(300);
    expect((await call(sim, 'GET', url)).status).toBe(200);
    expect(sim.stats().throttled).toBe(2);
  });

  it('injects deterministic throttling, errors and resets from the seed', async () => {
    const run = async () => {
      const { sim, clock } = testSimulator({ seed: 7 });
      sim.seed({ tenant: { users: people } });
      sim.faults = { throttleRate: 0.2, errorRate: 0.2, resetRate: 0.1 };
      const out: number[] = [];
      for (let i = 0; i < 40; i++) {
        out.push((await call(sim, 'GET', `/users/${alex.id}/events`)).status);
        await clock.advance(6000);
      }
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(0);
    expect(a).toContain(429);
    expect(a.some((s) => s >= 500)).toBe(true);
    expect(a).toContain(200);
  });

  it('applies per-route faults and merges settings (left-out fields keep their value)', async () => {
    const { sim } = testSimulator();
    sim.faults = { errorRate: 0, routes: { '*calendarView*': { errorRate: 1 } } };
    sim.faults = { latencyMs: 0 };
    expect(sim.faults.routes['*calendarView*']).toEqual({ errorRate: 1 });
    const cv = await call(sim, 'GET', `/users/${adele.id}/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`);
    expect(cv.status).toBeGreaterThanOrEqual(500);
    expect(cv.body.error.innerError).toBeDefined();
    expect((await call(sim, 'GET', `/users/${adele.id}`)).status).toBe(200);
  });

  it('serves the admin API on any origin without a token', async () => {
    const { sim } = testSimulator();
    const admin = (method: string, path: string, body?: unknown) => call(sim, method, `https://localhost:4000/_sim/${path}`, { token: null, body });
    expect((await admin('PUT', 'faults', { throttleRate: 0.5 })).body.throttleRate).toBe(0.5);
    expect((await admin('PUT', 'faults', { errorRate: 0.1 })).body).toMatchObject({ throttleRate: 0.5, errorRate: 0.1 });
    expect((await admin('PUT', 'faults', { errorRate: 2 })).status).toBe(400);
    await admin('PUT', 'faults', { throttleRate: 0, errorRate: 0 });
    const created = await admin('POST', `users/${adele.userPrincipalName}/events`, lunch);
    expect(created.status).toBe(201);
    const patched = await admin('PATCH', `users/${adele.id}/events/${created.body.id}`, { subject: 'Out of band' });
    expect(patched.body.subject).toBe('Out of band');
    const truth = await admin('GET', `users/${adele.id}/events`);
    expect(truth.body.value.map((e: { subject: string }) => e.subject)).toEqual(['Out of band']);
    expect(sim.stats().total).toBe(0);
    const seeded = await admin('POST', 'seed', { users: 12, eventsPerUser: 5, seed: 2 });
    expect(seeded.body).toMatchObject({ users: 12, mailboxes: 11, events: 55 });
    expect((await admin('GET', 'users')).body.value).toHaveLength(12);
    const user = sim.state.users[0];
    const token = sim.userToken(user.id, ['Calendars.ReadWrite']);
    expect((await call(sim, 'GET', `${GRAPH}/me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`, { token })).status).toBe(200);
    expect((await admin('POST', 'tokens/revoke', { user: user.userPrincipalName })).status).toBe(200);
    expect((await call(sim, 'GET', `${GRAPH}/me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`, { token })).status).toBe(401);
    expect((await admin('GET', 'stats')).body.requests['GET /me/calendarView']).toEqual({ '200': 1, '401': 1 });
    await admin('POST', 'stats/reset');
    expect((await admin('GET', 'stats')).body.total).toBe(0);
    await admin('POST', 'reset');
    expect(sim.state.users).toHaveLength(0);
  });
});

describe('$batch envelope', () => {
  it('splices item bodies as rendered: delta pages, 204s and errors read back as the direct answers', async () => {
    const { sim } = testSimulator({ tenant: { users: 12, eventsPerUser: 30, seed: 5 } });
    const users = sim.state.mailboxes.slice(0, 3).map((m) => m.userId);
    const win = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
    const prefer = { Prefer: 'outlook.timezone="UTC", outlook.body-content-type="text", odata.maxpagesize=1000' };
    const victim = sim.state.records(sim.state.mailboxes[4])[0];
    const res = await call(sim, 'POST', '/$batch', {
      body: {
        requests: [
          ...users.map((u, i) => ({ id: String(i), method: 'GET', url: `/users/${u}/calendarView/delta?${win}`, headers: prefer })),
          { id: 'del', method: 'DELETE', url: `/users/${sim.state.mailboxes[4].userId}/events/${victim.id}` },
          { id: 'bad', method: 'GET', url: '/users/nobody@contoso.com/calendarView/delta' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const byId = new Map<string, { status: number; body: unknown }>((res.body.responses as unknown as Array<{ id: string; status: number; body: unknown }>).map((r) => [r.id, r]));
    expect(byId.get('del')).toMatchObject({ status: 204, body: null });
    expect(byId.get('bad')).toMatchObject({ status: 404 });
    for (const [i, u] of users.entries()) {
      const direct = await call(sim, 'GET', `/users/${u}/calendarView/delta?${win}`, { headers: prefer });
      const item = byId.get(String(i)) as { status: number; body: { value: unknown[] } };
      expect(item.status).toBe(200);
      expect(item.body.value.length).toBeGreaterThan(0);
      expect(item.body.value).toEqual(direct.body.value);
    }
  });
});
