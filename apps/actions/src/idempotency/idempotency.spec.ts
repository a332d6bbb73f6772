import { DataSource } from 'typeorm';
import { ApiError } from '@ocb/http';
import { dataSourceOptions } from '@ocb/persistence';
import { createTestDatabase, FakeClock, testDatabaseKinds, type TestDatabase } from '@ocb/testing';
import { loadActionsConfig } from '../config/actions.config';
import { migrations } from '../migrations';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { canonicalJson, keyRecordId, requestHash, transactionIdFor } from './transaction-id';

describe('transaction ids', () => {
  it('are stable GUIDs per user and key', () => {
    const a = transactionIdFor('user-1', 'key-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(transactionIdFor('USER-1', 'key-1')).toBe(a);
    expect(transactionIdFor('user-2', 'key-1')).not.toBe(a);
    expect(transactionIdFor('user-1', 'key-2')).not.toBe(a);
    expect(keyRecordId('user-1', 'key-1')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hash requests whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(requestHash('events', { title: 'x', start: 's' })).toBe(requestHash('events', { start: 's', title: 'x' }));
    expect(requestHash('events', { title: 'x' })).not.toBe(requestHash('office-hours', { title: 'x' }));
  });

  it('refuses malformed keys naming the header', () => {
    expect(IdempotencyService.checkKey(undefined)).toBeUndefined();
    expect(IdempotencyService.checkKey('3f1c-ok')).toBe('3f1c-ok');
    for (const bad of ['', 'with space', 'x'.repeat(256), 'ünï']) expect(() => IdempotencyService.checkKey(bad)).toThrow(/^Idempotency-Key: /);
  });
});

describe.each(testDatabaseKinds())('idempotency store on %s', (kind) => {
  let db: TestDatabase;
  let ds: DataSource;
  let clock: FakeClock;
  let service: IdempotencyService;

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'actions-idem');
    ds = new DataSource(dataSourceOptions({ url: db.url, entities: [IdempotencyKeyEntity], migrations }));
    await ds.initialize();
    clock = new FakeClock('2027-01-05T09:00:00.000Z');
    service = new IdempotencyService(new IdempotencyRepository(ds), loadActionsConfig({ IDEMPOTENCY_TTL_HOURS: '24' }), clock);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('migrates up and down', async () => {
    expect(await ds.query('SELECT COUNT(*) AS n FROM actions_idempotency_keys')).toHaveLength(1);
    await ds.undoLastMigration();
    await expect(ds.query('SELECT 1 FROM actions_idempotency_keys')).rejects.toThrow();
    await ds.runMigrations();
  });

  it('first attempt proceeds; a retry proceeds with the same transactionId until completed, then replays', async () => {
    const first = await service.begin('u1', 'k1', 'h1');
    expect(first).toEqual({ kind: 'proceed', recordId: keyRecordId('u1', 'k1'), transactionId: transactionIdFor('u1', 'k1') });
    // Lost answer: the same create is sent again with the same transactionId.
    expect(await service.begin('u1', 'k1', 'h1')).toEqual(first);
    if (first.kind !== 'proceed') throw new Error('unreachable');
    await service.complete(first.recordId, 201, { id: 'evt-1', subject: 'ü' }, 'evt-1');
    expect(await service.begin('u1', 'k1', 'h1')).toEqual({ kind: 'replay', status: 201, body: { id: 'evt-1', subject: 'ü' } });
    // Keys belong to a user.
    expect((await service.begin('u2', 'k1', 'h1')).kind).toBe('proceed');
  });

  it('refuses the same key for another request', async () => {
    await service.begin('u1', 'k2', 'h1');
    const err = await service.begin('u1', 'k2', 'other').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).getStatus()).toBe(422);
    expect((err as ApiError).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('concurrent first attempts share one row', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => service.begin('u3', 'k-race', 'h')));
    expect(new Set(all.map((a) => (a.kind === 'proceed' ? a.transactionId : '')))).toEqual(new Set([transactionIdFor('u3', 'k-race')]));
    expect(await ds.getRepository(IdempotencyKeyEntity).countBy({ userId: 'u3' })).toBe(1);
  });

  it('forgets keys after IDEMPOTENCY_TTL_HOURS', async () => {
    const first = await service.begin('u4', 'k-ttl', 'h');
    if (first.kind !== 'proceed') throw new Error('unreachable');
    await service.complete(first.recordId, 201, { id: 'old' }, 'old');
    await clock.advance(23 * 3_600_000);
    expect((await service.begin('u4', 'k-ttl', 'h')).kind).toBe('replay');
    await clock.advance(3_600_000);
    // Expired: a new body is fine, and the row is a fresh pending one.
    expect((await service.begin('u4', 'k-ttl', 'another')).kind).toBe('proceed');
    const row = await ds.getRepository(IdempotencyKeyEntity).findOneByOrFail({ id: first.recordId });
    expect(row).toMatchObject({ state: 'pending', requestHash: 'another', expiresAt: '2027-01-07T09:00:00.000Z' });
  });
});
