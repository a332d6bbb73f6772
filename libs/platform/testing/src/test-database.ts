import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseKind } from '@ocb/persistence';
import { testConfig } from './test-config';

/**
 * The database kinds a suite should run on: SQLite always, PostgreSQL when TEST_DATABASE_URL
 * names a server (CI sets it). Use with `describe.each(testDatabaseKinds())`.
 */
export function testDatabaseKinds(): DatabaseKind[] {
  const wanted = testConfig.kinds ? testConfig.kinds.split(',').map((s) => s.trim()) : ['sqlite', 'postgres'];
  return (['sqlite', 'postgres'] as DatabaseKind[]).filter(
    (k) => wanted.includes(k) && (k === 'sqlite' || testConfig.postgresUrl !== ''),
  );
}

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  /** The SQLite file, for tests that inspect raw bytes. */
  file?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one suite: a temp SQLite file or a new PostgreSQL database. */
export async function createTestDatabase(kind: DatabaseKind, label = 'test'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `ocb-${label}-`));
    const file = join(dir, 'db.sqlite');
    return { kind, url: `sqlite:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!testConfig.postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ocb_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: testConfig.postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testConfig.postgresUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: testConfig.postgresUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
