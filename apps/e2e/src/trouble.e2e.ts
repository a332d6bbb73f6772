// Journey 6 — trouble: a full sync through 20 % throttling and 5 % server errors still leaves the
// cache equal to the mailboxes; a revoked user is asked to reconnect, reconnects and writes again.
import type { EventDetail } from '@ocb/service-clients';
import type { ContractError } from './support/platform';
import { Platform, occurrenceLines, syncWindow, uniqueWord, wallTime } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
const CHANGED = ['allan.deyoung@contoso.com', 'carla.bertrand@contoso.com'];
const REVOKED = 'enrico.rossi@contoso.com';

describe(`trouble: faults during a full sync, revoked consent (${info.database})`, () => {
  beforeAll(() => p.resetFaults());
  afterAll(() => p.resetFaults());

  it('a full sync under 20 % 429 and 5 % 503 leaves the cache equal to every mailbox', async () => {
    // out-of-band changes the sync has to pick up under faults
    const word = uniqueWord('Faulty');
    for (const user of CHANGED) {
      const u = encodeURIComponent(user);
      const r = await p.admin('POST', `/users/${u}/events`, {
        subject: `${word} planning`,
        start: { dateTime: wallTime(4, 9), timeZone: 'UTC' },
        end: { dateTime: wallTime(4, 10), timeZone: 'UTC' },
      });
      expect(r.status).toBe(201);
      const seeded = await p.adminOk<{ value: Array<{ id: string; type: string }> }>('GET', `/users/${u}/events`);
      const single = seeded.value.find((e) => e.type === 'singleInstance');
      if (single) expect((await p.admin('DELETE', `/users/${u}/events/${encodeURIComponent(single.id)}`)).status).toBe(204);
    }

    const before = await p.stats();
    await p.adminOk('PUT', '/faults', { throttleRate: 0.2, errorRate: 0.05 });
    const run = await p.fullSync(150_000);
    await p.resetFaults();
    const after = await p.stats();
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.usersDone).toBe(run.usersTotal);
    // the faults were really there
    expect(after.throttled).toBeGreaterThan(before.throttled);

    const { from, to } = syncWindow();
    const users = (await p.users()).filter((x) => x.hasMailbox);
    for (const user of users) {
      const truth = await p.mailboxTruth(user.userPrincipalName, from, to);
      const cached = await p.cachedEvents(user.userPrincipalName, { from, to, limit: 200 });
      expect({ user: user.userPrincipalName, events: occurrenceLines(cached) }).toEqual({ user: user.userPrincipalName, events: occurrenceLines(truth) });
    }
    for (const user of CHANGED) expect(await p.cachedEvents(user, { q: word })).toHaveLength(1);
  });

  it('a revoked user gets 409 CONSENT_REQUIRED with connectUrl on a write, reconnects, writes again', async () => {
    const u = encodeURIComponent(REVOKED);
    await p.connect(REVOKED);
    const title = `${uniqueWord('Revoked')} one on one`;
    const created = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/events`, {
      title,
      start: wallTime(9, 15),
      end: wallTime(9, 16),
      timeZone: 'Eastern Standard Time',
    });

    await p.adminOk('POST', '/tokens/revoke', { user: REVOKED });
    const writesBefore = (await p.stats()).writes;
    const denied = await p.call<ContractError>('actions', 'PATCH', `/api/users/${u}/events/${encodeURIComponent(created.id)}`, { title: `${title} (moved)` });
    expect(denied.status).toBe(409);
    expect(denied.body).toMatchObject({ statusCode: 409, code: 'CONSENT_REQUIRED', message: expect.any(String), connectUrl: expect.any(String) });
    expect((await p.stats()).writes).toEqual(writesBefore);
    const connectUrl = new URL(denied.body.connectUrl!, info.urls.auth).toString();
    expect(connectUrl.startsWith(`${info.urls.auth}/`)).toBe(true);

    await p.connect(REVOKED, connectUrl);
    const edited = await p.expect<EventDetail>(200, 'actions', 'PATCH', `/api/users/${u}/events/${encodeURIComponent(created.id)}`, { title: `${title} (moved)` });
    expect(edited.subject).toBe(`${title} (moved)`);
    const again = await p.expect<EventDetail>(201, 'actions', 'POST', `/api/users/${u}/events`, {
      title: `${title} follow-up`,
      start: wallTime(10, 15),
      end: wallTime(10, 16),
      timeZone: 'Eastern Standard Time',
    });
    expect(again.subject).toBe(`${title} follow-up`);
  });
});
