#!/usr/bin/env node
// `npm test`: every unit and integration suite (one Jest run over all projects), then the
// full-stack e2e suite against built processes, on SQLite and, when reachable, PostgreSQL; then
// the scale test (PostgreSQL and Redis). `node tools/test/run-all.mjs unit|e2e|scale` runs one phase.
// PostgreSQL is used when TEST_DATABASE_URL is set or a server answers on 127.0.0.1:5432.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const { reachable } = createRequire(import.meta.url)('../stack/reachable.js');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const only = (name) => args.length === 0 || args.includes(name);

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
if (!env.TEST_DATABASE_URL && (await reachable('127.0.0.1', 5432))) {
  env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
}
console.log(`PostgreSQL tests: ${env.TEST_DATABASE_URL ? env.TEST_DATABASE_URL : 'off (no server)'}`);

mkdirSync(join(root, 'tmp'), { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function jest(label, configArgs, outFile) {
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/jest/bin/jest.js'), ...configArgs, '--json', `--outputFile=${outFile}`],
    { cwd: root, stdio: 'inherit', env },
  );
  if (existsSync(outFile)) {
    const j = JSON.parse(readFileSync(outFile, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
    console.log(`${label}: ${j.numPassedTests} passed, ${j.numFailedTests} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (j.numFailedTests > 0 || j.numFailedTestSuites > 0 || j.numTotalTests === 0) ok = false;
  }
  if (r.status !== 0) ok = false;
}

if (only('unit')) jest('unit and integration', ['-c', 'jest.config.js', '--maxWorkers=2'], join(root, 'tmp/jest-unit.json'));

if (only('e2e') && existsSync(join(root, 'apps/e2e/jest.config.js'))) {
  const kinds = ['sqlite', ...(env.TEST_DATABASE_URL ? ['postgres'] : [])];
  for (const kind of kinds) {
    env.E2E_DATABASE = kind;
    jest(`e2e on ${kind}`, ['-c', 'apps/e2e/jest.config.js', '--runInBand'], join(root, `tmp/jest-e2e-${kind}.json`));
  }
}

// The scale test (tools/bench/scale): replicas of every service on PostgreSQL and Redis, once.
// Without both it cannot run: skipped with a notice locally, a failure on CI (CI is set).
if (only('scale')) {
  const redis = await reachable('127.0.0.1', 6379);
  if (env.TEST_DATABASE_URL && redis) {
    jest('scale', ['-c', 'tools/bench/jest.scale.config.js', '--runInBand'], join(root, 'tmp/jest-scale.json'));
  } else {
    const missing = [env.TEST_DATABASE_URL ? '' : 'PostgreSQL', redis ? '' : 'Redis (127.0.0.1:6379)'].filter(Boolean).join(' and ');
    console.log(`scale test: not run, no ${missing}${env.CI ? ' — required on CI' : ''}`);
    if (env.CI) ok = false;
    else totals.skipped += 1;
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed` + (totals.skipped ? `, ${totals.skipped} skipped` : ''));
process.exit(ok ? 0 : 1);
