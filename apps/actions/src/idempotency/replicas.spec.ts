/**
 * actions as stateless replicas: two instances on one database (PostgreSQL too when
 * TEST_DATABASE_URL is set) and one Graph; an Idempotency-Key belongs to the database, not to the
 * instance that first saw it.
 */
import { testDatabaseKinds } from '@ocb/testing';
import { startActions, type ActionsHarness } from '../testing/actions-test-kit';

describe.each(testDatabaseKinds())('two actions replicas on one %s database', (kind) => {
  let a: ActionsHarness;
  let b: ActionsHarness;
  let organizer: string;
  const form = (title: string) => ({ title, start: '2027-03-10T10:00:00', end: '2027-03-10T11:00:00', timeZone: 'Pacific Standard Time' });
  const count = async (subject: string) => (await a.mailbox(organizer)).filter((e) => String(e['subject']) === subject).length;

  beforeAll(async () => {
    a = await startActions({ kind });
    b = await startActions({ kind, replicaOf: a });
    organizer = a.users[0].id;
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('an Idempotency-Key used on replica A, then on B, creates one event and B replays A’s answer', async () => {
    expect(b.url).not.toBe(a.url);
    const key = `replicas-${kind}-1`;
    const onA = await a.api('POST', `/users/${organizer}/events`, form('Replica idem'), { 'Idempotency-Key': key });
    const onB = await b.api('POST', `/users/${organizer}/events`, form('Replica idem'), { 'Idempotency-Key': key });
    expect(onA.status).toBe(201);
    expect(onB.status).toBe(201);
    expect(onB.body).toEqual(onA.body);
    expect(await count('Replica idem')).toBe(1);
  });

  it('the same key with another body on the other replica is refused, nothing written', async () => {
    const key = `replicas-${kind}-2`;
    expect((await b.api('POST', `/users/${organizer}/events`, form('Replica idem 2'), { 'Idempotency-Key': key })).status).toBe(201);
    const writes = await a.writes();
    const reused = await a.api('POST', `/users/${organizer}/events`, form('Replica idem 2b'), { 'Idempotency-Key': key });
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await a.writes()).toBe(writes);
    expect(await count('Replica idem 2b')).toBe(0);
  });
});
