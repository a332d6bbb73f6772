/**
 * `npm run bench`: every benchmark the project quotes, each as separate processes against the
 * standalone simulator, in one run; writes docs/BENCHMARKS.md (the page) and docs/benchmarks.json
 * (the raw figures, for comparing two runs).
 *
 *   npm run bench                          about 15 minutes on 2 cores
 *   npm run bench -- --quick               about 3 minutes (smaller tenants, shorter loads)
 *   npm run bench -- --compare old.json    run, then print every figure's ratio new ÷ old
 *   npm run bench -- --compare old.json --with new.json   compare two runs without running
 *   options: --database <postgres URL> (default postgres://postgres@127.0.0.1:5432/postgres when it
 *   answers; --no-postgres to skip), --out <dir> (default docs), --only p1,p4,stack,cn,replicas
 *
 * The page states the machine (cores, memory, Node, load) and a calibration figure — the time of a
 * fixed CPU workload, taken before and after the run — since the same machine runs the same work
 * up to twice as slowly in some phases: read every CPU-bound figure beside it.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { calibrate } from './calibrate';
import { flag as flagOf, ROOT } from './support';
import { compareFigures, readmeTable, renderPage, withReadmeTable, type BenchReport } from './report';

/** tools/stack/reachable.js (shared with `npm test`'s PostgreSQL probe), loaded from the repository at run time. */
const { reachable } = createRequire(__filename)(join(ROOT, 'tools/stack/reachable.js')) as { reachable: (host: string, port: number) => Promise<boolean> };

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => flagOf(args, name, def);
const QUICK = args.includes('--quick');
const OUT = resolve(flag('out', join(ROOT, 'docs')));
const ONLY = new Set(flag('only', 'p1,p4,stack,cn,replicas').split(','));

/** Runs one benchmark script (bundled by run-ts) with `--json`; its figures, or an error. */
function runBench(label: string, script: string, benchArgs: string[]): { figures?: Record<string, unknown>; error?: string; seconds: number } {
  const file = join(ROOT, 'tmp', `bench-${label}-${process.pid}.json`);
  const t0 = Date.now();
  console.log(`\n=== ${label}: ${script} ${benchArgs.join(' ')}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/run-ts.mjs'), script, ...benchArgs, '--no-build', '--json', file], { stdio: 'inherit', cwd: ROOT });
  const seconds = (Date.now() - t0) / 1000;
  if (r.status !== 0 || !existsSync(file)) return { error: `exited with ${r.status ?? r.signal}`, seconds };
  return { figures: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, seconds };
}

function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() ? ' (with uncommitted changes)' : '';
  return (r.stdout.trim() || 'unknown') + dirty;
}

async function main(): Promise<void> {
  const compareWith = args.includes('--with') ? flag('with', '') : undefined;
  if (args.includes('--compare') && compareWith) {
    printComparison(flag('compare', ''), compareWith);
    return;
  }
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const database = args.includes('--no-postgres')
    ? undefined
    : args.includes('--database')
      ? flag('database', '')
      : (await reachable('127.0.0.1', 5432))
        ? 'postgres://postgres@127.0.0.1:5432/postgres'
        : undefined;

  for (const app of ['graph-simulator', 'auth', 'sync', 'actions', 'notifications', 'web']) {
    const build = spawnSync(process.execPath, [join(ROOT, 'tools/build/build.mjs'), app], { stdio: 'inherit', cwd: ROOT });
    if (build.status !== 0) throw new Error(`build of ${app} failed`);
  }

  const startedAt = new Date();
  const calibrationBefore = calibrate();
  console.log(`calibration before: ${calibrationBefore.bestMs.toFixed(0)} ms`);
  const results: BenchReport['results'] = {};
  const size = QUICK
    ? { p1: ['--users', '300', '--events', '200'], p4: ['--users', '2000', '--events', '50'], stack: ['--events-total', '20000', '--users', '200', '--reminders', '200', '--spread', '20', '--duration', '10', '--quiet', '10', '--page-samples', '20'], cn: ['--changes', '100', '--mailboxes', '20'], replicas: ['--users', '300'] }
    : { p1: ['--users', '1000', '--events', '200'], p4: ['--users', '10000', '--events', '50'], stack: ['--events-total', '100000', '--users', '1000', '--reminders', '1000', '--spread', '60', '--duration', '60', '--quiet', '30'], cn: ['--changes', '500', '--mailboxes', '100'], replicas: ['--users', '1200'] };
  if (ONLY.has('p1')) results['p1'] = runBench('p1', 'tools/bench/sync.ts', [...size.p1, '--rps', '60']);
  if (ONLY.has('p4')) results['p4'] = runBench('p4', 'tools/bench/sync.ts', [...size.p4, '--rps', '60', '--sim-port', '4231', '--sync-port', '3232', '--auth-port', '3233']);
  if (ONLY.has('stack')) results['stack'] = runBench('stack', 'tools/bench/stack.ts', [...size.stack, ...(database ? ['--database', database] : [])]);
  if (ONLY.has('cn') && existsSync(join(ROOT, 'tools/bench/change-notifications.ts'))) results['cn'] = runBench('cn', 'tools/bench/change-notifications.ts', size.cn);
  if (ONLY.has('replicas')) {
    if (database && (await reachable('127.0.0.1', 6379))) results['replicas'] = runBench('replicas', 'tools/bench/replicas.ts', [...size.replicas, '--rps', '40', '--replicas', '1,2,3', '--database', database]);
    else console.log('\n=== replicas: skipped (needs PostgreSQL and Redis at 127.0.0.1:6379)');
  }
  const calibrationAfter = calibrate();
  console.log(`calibration after: ${calibrationAfter.bestMs.toFixed(0)} ms`);

  const report: BenchReport = {
    date: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(),
    mode: QUICK ? 'quick' : 'full',
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
      calibrationMs: { before: calibrationBefore.bestMs, after: calibrationAfter.bestMs },
    },
    postgres: database ? database.replace(/\/\/[^@]*@/, '//') : null,
    results,
  };
  mkdirSync(OUT, { recursive: true });
  const previous = join(OUT, 'benchmarks.json');
  writeFileSync(previous, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(OUT, 'BENCHMARKS.md'), renderPage(report));
  const readme = join(ROOT, 'README.md');
  if (OUT === join(ROOT, 'docs') && existsSync(readme)) writeFileSync(readme, withReadmeTable(readFileSync(readme, 'utf8'), readmeTable(report)));
  console.log(`\nwrote ${join(OUT, 'BENCHMARKS.md')} and ${previous}${OUT === join(ROOT, 'docs') ? ', and the README table' : ''}`);
  if (args.includes('--compare')) printComparison(flag('compare', ''), previous);
  const failed = Object.entries(results).filter(([, r]) => r.error);
  if (failed.length) {
    console.error(`failed: ${failed.map(([k, r]) => `${k} (${r.error})`).join(', ')}`);
    process.exitCode = 1;
  }
}

function printComparison(oldFile: string, newFile: string): void {
  const old = JSON.parse(readFileSync(oldFile, 'utf8')) as BenchReport;
  const now = JSON.parse(readFileSync(newFile, 'utf8')) as BenchReport;
  console.log(`\nnew ÷ old (${newFile} ${now.commit} ÷ ${oldFile} ${old.commit}); calibration ${now.machine.calibrationMs.before.toFixed(0)} ÷ ${old.machine.calibrationMs.before.toFixed(0)} ms`);
  for (const row of compareFigures(old, now)) console.log(`  ${row.path.padEnd(48)} ${String(row.old).padStart(12)} → ${String(row.new).padStart(12)}   ×${row.ratio}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
