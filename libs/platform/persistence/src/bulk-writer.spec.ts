import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { BulkWriter } from './bulk-writer';
import { tuneSqlite } from './sqlite-tuning';
import { serializedWrite, writeTransaction } from './write-lock';

@Entity('bw_items')
class Item {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 16 }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) id!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'boolean' }) done!: boolean;
  @Column({ name: 'updated_at', type: 'varchar', length: 32 }) updatedAt!: string;
}

const PG = process.env['TEST_DATABASE_URL'];

/** Runs `sql` on the server's maintenance database. */
async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: PG });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe.each(['SQLite', ...(PG ? ['PostgreSQL'] : [])])('BulkWriter on %s', (kind) => {
  let ds: DataSource;
  const bulk = new BulkWriter();
  const pgName = `ocb_bulk_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    if (kind === 'SQLite') {
      ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Item], synchronize: true }).initialize();
      return;
    }
    await admin(`CREATE DATABASE "${pgName}"`);
    const url = new URL(PG ?? '');
    url.pathname = `/${pgName}`;
    ds = await new DataSource({ type: 'postgres', url: url.toString(), entities: [Item], synchronize: true }).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    if (kind === 'PostgreSQL') await admin(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  });

  it('inserts, then updates on the primary key, filling left-out columns from `common`, and deletes by owner and id', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({ userId: 'u1', id: `e${i}`, title: `t${i}`, done: i % 2 === 0 }));
    await writeTransaction(ds, (m) => bulk.upsert(m, Item, rows, { updatedAt: 'first' }));
    expect(await ds.getRepository(Item).count()).toBe(1500);
    await writeTransaction(ds, (m) => bulk.upsert(m, Item, [{ userId: 'u1', id: 'e1', title: 'changed', done: true }], { updatedAt: 'second' }));
    expect(await ds.getRepository(Item).findOneByOrFail({ userId: 'u1', id: 'e1' })).toEqual(Object.assign(new Item(), { userId: 'u1', id: 'e1', title: 'changed', done: true, updatedAt: 'second' }));
    expect((await ds.getRepository(Item).findOneByOrFail({ userId: 'u1', id: 'e2' })).updatedAt).toBe('first');
    const removed = await writeTransaction(ds, (m) => bulk.deleteByIds(m, Item, 'u1', ['e0', 'e1', 'missing']));
    expect(removed).toBe(2);
    expect(await ds.getRepository(Item).count()).toBe(1498);
    expect(await writeTransaction(ds, (m) => bulk.deleteByIds(m, Item, 'other-user', ['e2']))).toBe(0);
  });

  it('rolls back every row of a transaction that fails', async () => {
    const before = await ds.getRepository(Item).count();
    await expect(
      writeTransaction(ds, async (m) => {
        await bulk.upsert(m, Item, [{ userId: 'u2', id: 'x', title: 'x', done: false }], { updatedAt: 'n' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await ds.getRepository(Item).count()).toBe(before);
  });
});

describe('serialized writes on SQLite', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Item], synchronize: true }).initialize();
  });
  afterAll(() => ds.destroy());

  it('runs concurrent transactions and writes one after another: none nests, none joins another one, a failure releases the queue', async () => {
    const order: string[] = [];
    const tx = (name: string, fail = false) =>
      writeTransaction(ds, async (m) => {
        order.push(`${name}:start`);
        await m.getRepository(Item).insert({ userId: name, id: '1', title: name, done: false, updatedAt: 'now' });
        await new Promise((r) => setTimeout(r, 20));
        order.push(`${name}:end`);
        if (fail) throw new Error(`${name} failed`);
      });
    const results = await Promise.allSettled([
      tx('a'),
      tx('b', true),
      serializedWrite(ds, async () => {
        order.push('w:start');
        await ds.getRepository(Item).insert({ userId: 'w', id: '1', title: 'w', done: true, updatedAt: 'now' });
        order.push('w:end');
      }),
      tx('c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'w:start', 'w:end', 'c:start', 'c:end']);
    // b rolled back alone; the write queued behind it was not swallowed by its transaction
    expect((await ds.getRepository(Item).find({ order: { userId: 'ASC' } })).map((i) => i.userId)).toEqual(['a', 'c', 'w']);
  });
});

describe('tuneSqlite', () => {
  it('sets the page cache and autocheckpoint and runs the checkpoint worker for a file database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tune-'));
    const ds = await new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite'), entities: [Item], synchronize: true, prepareDatabase: (db: { pragma(s: string): unknown }) => void db.pragma('journal_mode = WAL') }).initialize();
    try {
      const checkpointer = await tuneSqlite(ds, { cacheKib: 4096, walAutocheckpointPages: 5000, checkpointIntervalMs: 50, onError: () => undefined });
      expect(await ds.query('PRAGMA cache_size')).toEqual([{ cache_size: -4096 }]);
      expect(checkpointer?.running).toBe(true);
      await checkpointer?.stop();
    } finally {
      await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does nothing for an in-memory database but the pragmas', async () => {
    const ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Item], synchronize: true }).initialize();
    expect(await tuneSqlite(ds, { cacheKib: 2048, walAutocheckpointPages: 100, checkpointIntervalMs: 50, onError: () => undefined })).toBeNull();
    expect(await ds.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 100 }]);
    await ds.destroy();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a page cache of %s KiB before any PRAGMA', async (cacheKib) => {
    const ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Item], synchronize: true }).initialize();
    try {
      const before = await ds.query('PRAGMA cache_size');
      await expect(tuneSqlite(ds, { cacheKib, walAutocheckpointPages: 100, checkpointIntervalMs: 50, onError: () => undefined })).rejects.toThrow(/^cacheKib must be a positive integer/);
      // the driver's default is still in place
      expect(await ds.query('PRAGMA cache_size')).toEqual(before);
    } finally {
      await ds.destroy();
    }
  });
});
