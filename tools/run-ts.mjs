#!/usr/bin/env node
// Runs a TypeScript tool or benchmark: `node tools/run-ts.mjs tools/bench/x.ts [args...]`.
// The entry is bundled with the same build as the apps (path aliases, decorator metadata) into
// tmp/run-ts/ and executed with the remaining arguments.
import { spawnSync } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const out = join(root, 'tmp', 'run-ts', basename(entry).replace(/\.ts$/, '') + '-' + process.pid + '.js');
const b = spawnSync(process.execPath, [join(root, 'tools/build/build.mjs'), '--entry', entry, '--out', out, '--quiet'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);
const r = spawnSync(process.execPath, [...process.execArgv, out, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
