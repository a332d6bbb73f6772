import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCheckpointer } from './sqlite-checkpointer';

interface Db {
  pragma(source: string, options?: { simple: boolean }): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(__filename)('better-sqlite3') as new (file: string) => Db;

const PAGE = 4096;

describe('SqliteCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: Db;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    file = join(dir, 'test.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    db.pragma('wal_checkpoint(TRUNCATE)');
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Commits ~2 MB of rows (about 500 pages) through the writer connection. */
  function write(): void {
    const ins = db.prepare('INSERT INTO t (payload) VALUES (?)');
    db.exec('BEGIN');
    for (let i = 0; i < 1000; i++) ins.run('x'.repeat(2000));
    db.exec('COMMIT');
  }

  const dbPages = (): number => statSync(file).size / PAGE;

  async function until(check: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('switches the writer’s own checkpoints off and copies committed frames into the database file on its worker', async () => {
    db.pragma('wal_autocheckpoint = 100');
    const c = SqliteCheckpointer.start({ file, writer: db, intervalMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = dbPages();
    write();
    // the commit itself did not checkpoint (autocheckpoint 0): the database file grows only through the worker
    await until(() => dbPages() > before + 400);
    await until(() => c.stats.framesCopied >= 400);
    expect(c.stats.runs).toBeGreaterThan(0);
    await c.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(c.running).toBe(false);
  });

  it('leaves the WAL alone without it (control for the test above)', async () => {
    db.pragma('wal_autocheckpoint = 0');
    const before = dbPages();
    write();
    await new Promise((r) => setTimeout(r, 200));
    expect(dbPages()).toBe(before);
  });

  it('lets the writer restart the WAL once a checkpoint caught up, so the log does not grow run after run', async () => {
    const c = SqliteCheckpointer.start({ file, writer: db, intervalMs: 10 });
    const wal = `${file}-wal`;
    write();
    await until(() => c.stats.framesCopied >= 400);
    const size = statSync(wal).size;
    for (let i = 0; i < 5; i++) {
      const copied = c.stats.framesCopied;
      await until(() => c.stats.framesCopied > copied || c.stats.framesCopied >= 400 * (i + 1));
      await new Promise((r) => setTimeout(r, 40));
      write();
    }
    await c.stop();
    // six commits of ~500 pages each, but the log was reused from its start: far below 6 x the first size
    expect(statSync(wal).size).toBeLessThan(size * 3);
  });

  it('falls back to the writer’s own checkpoints when the worker fails, and says so', async () => {
    const errors: string[] = [];
    const c = SqliteCheckpointer.start({ file, writer: db, driver: join(dir, 'no-such-driver.js'), fallbackPages: 777, onError: (m) => errors.push(m) });
    await until(() => errors.length > 0);
    expect(errors[0]).toMatch(/no-such-driver/);
    expect(c.running).toBe(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(777);
    await c.stop();
  });
});
