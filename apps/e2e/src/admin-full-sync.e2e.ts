// Journey 1 — the admin: a full sync of the seeded tenant, then the upcoming-events API of a user
// equals the simulator's mailbox over the synced window, occurrence for occurrence.
import { Platform, occurrenceLines, syncWindow } from './support/platform';
import { stackInfo } from './support/stack';

const info = stackInfo();
const p = new Platform(info);
// seeded users no other journey writes to
const USERS = ['adele.vance@contoso.com', 'alex.wilber@contoso.com'];

describe(`admin: full sync of the tenant (${info.database})`, () => {
  beforeAll(() => p.resetFaults());

  it('runs to succeeded with every mailbox user done', async () => {
    const run = await p.fullSync();
    expect(run).toMatchObject({ status: 'succeeded', kind: expect.stringMatching(/full/i), error: null });
    const withMailbox = (await p.users()).filter((u) => u.hasMailbox).length;
    expect(run.usersTotal).toBeGreaterThanOrEqual(withMailbox);
    expect(run.usersDone).toBe(run.usersTotal);
    // figures (eventsUpserted is 0 when an earlier journey's sync already brought the cache up to date)
    expect(run.eventsUpserted).toEqual(expect.any(Number));
    expect(run.eventsRemoved).toEqual(expect.any(Number));
    expect(run.graphRequests).toBeGreaterThan(0);
    expect(run.finishedAt).toEqual(expect.any(String));
  });

  it.each(USERS)('the events API of %s equals the mailbox over the window (paged)', async (user) => {
    const { from, to } = syncWindow();
    const truth = await p.mailboxTruth(user, from, to);
    expect(truth.length).toBeGreaterThan(5);
    // small pages so that the cursor is exercised
    const cached = await p.cachedEvents(user, { from, to, limit: 7 });
    expect(occurrenceLines(cached)).toEqual(occurrenceLines(truth));
    expect(new Set(cached.map((e) => e.id)).size).toBe(cached.length);
    // sorted by start
    const starts = cached.map((e) => e.startUtc);
    expect([...starts].sort()).toEqual(starts);
    // the contract's date-time shape
    for (const e of cached) {
      expect(e.startUtc).toMatch(/Z$/);
      expect(e.start).toEqual({ dateTime: expect.any(String), timeZone: expect.any(String) });
      expect(e.type).toMatch(/^(singleInstance|occurrence|exception)$/);
    }
  });

  it('an unknown user is 404 NOT_FOUND in the error shape', async () => {
    const r = await p.call('sync', 'GET', '/api/users/nobody.here@contoso.com/events');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
  });
});
