import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '../../..');

/** The npm packages sync has loaded once started with `env` (bundled and run as a separate process, as in production). */
async function loadedPackages(env: Record<string, string>): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'tools/run-ts.mjs'), 'apps/sync/src/testing/module-graph.probe.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: 'sqlite::memory:', SYNC_CRON_ENABLED: 'false', LOG_LEVEL: 'silent', REDIS_URL: '', ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
}

describe("sync's module graph (memory: what a configuration does not use is not loaded)", () => {
  it('on SQLite without REDIS_URL: no pg, bullmq or ioredis', async () => {
    const packages = await loadedPackages({});
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'typeorm']));
    expect(packages).not.toContain('pg');
    expect(packages).not.toContain('bullmq');
    expect(packages).not.toContain('ioredis');
  }, 90_000);

  it('with REDIS_URL: bullmq and ioredis (the queue and the shared Graph budget)', async () => {
    const packages = await loadedPackages({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `module-graph-${process.pid}` });
    expect(packages).toEqual(expect.arrayContaining(['bullmq', 'ioredis']));
    expect(packages).not.toContain('pg');
  }, 90_000);
});
