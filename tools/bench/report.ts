/**
 * docs/BENCHMARKS.md from one `npm run bench` run's figures, and the comparison of two runs.
 * Each figure is checked against its target here, so the page says which are met and which not.
 */

export interface BenchResult {
  figures?: Record<string, unknown>;
  error?: string;
  seconds: number;
}

export interface BenchReport {
  date: string;
  finishedAt: string;
  commit: string;
  mode: 'quick' | 'full';
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    loadAverageAtStart: number[];
    calibrationMs: { before: number; after: number };
  };
  postgres: string | null;
  results: Record<string, BenchResult>;
}

/** A value at a dotted path of a figures object (undefined when absent). */
export function at(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function fmt(v: number | undefined, digits = 1, unit = ''): string {
  if (v === undefined) return '—';
  const text = Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits);
  return unit ? `${text} ${unit}` : text;
}

interface Row {
  id: string;
  figure: string;
  value: string;
  target: string;
  /** true met, false not met, undefined no target or no figure */
  met?: boolean;
}

/** The pages' names on the page (the figures' keys are tools/bench/web-pages.ts's). */
const PAGE_NAMES: Record<string, string> = {
  upcoming: 'Upcoming',
  search: 'search',
  detail: 'Event Detail',
  createEvent: 'Create Event',
  editEvent: 'Edit Event',
  officeHours: 'My Office Hours',
  createOfficeHours: 'Create Office Hours',
  reminders: 'Reminders',
};

/** What tools/bench/replicas.ts writes per replica count (the fields the page reads). */
interface ReplicaFigures {
  replicas: number;
  run: { status: string; usersTotal: number };
  mailboxesPerS: number;
  fetchPhaseRateOverCap: number;
  throttled: number;
  truth: { missing: number; extra: number; staleChangeKey: number; duplicates: number };
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? '' : met ? 'met' : '**not met**';
}

/** The rows of the page's table, each with its target and whether this run met it. */
export function rows(report: BenchReport): Row[] {
  const out: Row[] = [];
  const p1 = report.results['p1']?.figures;
  const p4 = report.results['p4']?.figures;
  const stack = report.results['stack']?.figures;
  const cn = report.results['cn']?.figures;
  if (p1) {
    const rate = num(p1['rateOverCap']);
    const throttled = num(p1['throttled']);
    out.push({
      id: 'P1',
      figure: `full sync of ${p1['users']} users × ${p1['eventsPerUser']} events at the ${p1['cap']}/s cap: Graph rate ÷ cap; 429s`,
      value: `${fmt(rate, 3)}; ${fmt(throttled, 0)} × 429`,
      target: '≥ 0.95 with 0 × 429',
      met: rate !== undefined && throttled !== undefined ? rate >= 0.95 && throttled === 0 : undefined,
    });
    out.push({
      id: 'P1',
      figure: 'wall; CPU of sync / simulator; sync CPU per 100,000 cached events',
      value: `${fmt(num(p1['wallSeconds']), 1, 's')}; ${fmt(num(p1['syncCpuSeconds']), 1, 's')} / ${fmt(num(p1['simulatorCpuSeconds']), 1, 's')}; ${fmt(num(p1['syncCpuSecondsPer100kEvents']), 2, 'CPU-s')} (${fmt(num(p1['eventsUpserted']), 0)} events)`,
      target: 'read beside the calibration',
    });
    const ratio = num(p1['originalOverOurs']);
    out.push({
      id: 'P2',
      figure: "HTTP requests for that sync: the original integration's method ÷ ours",
      value: `${fmt(ratio, 1)}× (${fmt(num(p1['originalMethodRequests']), 0)} ÷ ${fmt(num(p1['httpRequests']), 0)})`,
      target: '≥ 10×',
      met: ratio === undefined ? undefined : ratio >= 10,
    });
    const requests = num(p1['refreshGraphRequests']);
    const rowsWritten = num(p1['refreshRowsWritten']);
    out.push({
      id: 'P3',
      figure: 'Refresh of an unchanged mailbox: Graph requests (token requests included); event and series rows written',
      value: `${fmt(requests, 0)}; ${fmt(rowsWritten, 0)}${p1['refreshDatabaseChanged'] === false ? ' (SQLite: no commit at all)' : p1['refreshStateStamped'] === true ? " (one UPDATE of the mailbox's state row: its last-synced time, which the Upcoming page shows)" : ''}`,
      target: '1 request, 0 rows',
      met: requests !== undefined && rowsWritten !== undefined ? requests === 1 && rowsWritten === 0 : undefined,
    });
  }
  if (p4) {
    const ratio = num(p4['wallOverBudgetTime']);
    out.push({
      id: 'P4',
      figure: `full sync of ${p4['users']} users × ${p4['eventsPerUser']} events: wall ÷ (requests ÷ cap); peak RSS of sync`,
      value: `${fmt(ratio, 3)} (${fmt(num(p4['wallSeconds']), 1, 's')} for ${fmt(num(p4['graphRequestsCounted']), 0)} requests); ${fmt(num(p4['syncPeakRssMb']), 0, 'MB')}`,
      target: '≤ 1.1',
      met: ratio === undefined ? undefined : ratio <= 1.1,
    });
  }
  for (const db of ['sqlite', 'postgres'] as const) {
    const s = stack?.[db] as Record<string, unknown> | null | undefined;
    if (!s) continue;
    const p5 = s['p5'] as Record<string, number> | undefined;
    if (p5) {
      const p99 = num(p5['latenessP99Ms']);
      out.push({
        id: 'P5',
        figure: `reminder lateness (delivery − due) over ${p5['reminders']} reminders, ${fmt(num(s['cachedEvents']), 0)} events cached: p50 / p99 / max; delivered, duplicates`,
        value: `${fmt(num(p5['latenessP50Ms']), 0, 'ms')} / ${fmt(p99, 0, 'ms')} / ${fmt(num(p5['latenessMaxMs']), 0, 'ms')}; ${p5['delivered']}, ${p5['duplicates']}`,
        target: 'p99 ≤ 1 s, all delivered once',
        met: p99 === undefined ? undefined : p99 <= 1000 && p5['delivered'] === p5['reminders'] && p5['duplicates'] === 0,
      });
      out.push({
        id: 'P5',
        figure: "the planner's CPU per poll (notifications; sync answering it)",
        value: `${fmt(num(p5['notificationsCpuMsPerPoll']), 1, 'ms')}; ${fmt(num(p5['syncCpuMsPerPoll']), 1, 'ms')}`,
        target: 'read beside the calibration',
      });
    }
    const p6 = s['p6'] as Record<string, Record<string, number> | number> | undefined;
    if (p6) {
      for (const kind of ['search', 'listing'] as const) {
        const l = p6[kind] as Record<string, number>;
        const p99 = num(l['p99Ms']);
        const errors = (l['errors'] ?? 0) + (l['non2xx'] ?? 0) + (l['timeouts'] ?? 0);
        out.push({
          id: 'P6',
          figure: `events ${kind === 'search' ? 'search (`q`)' : 'plain listing'} on ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${fmt(num(s['cachedEvents']), 0)} events, ${fmt(l['rps'], 0)} requests/s${l['connections'] !== undefined ? ' paced' : ''}: p50 / p99; errors`,
          value: `${fmt(num(l['p50Ms']), 1, 'ms')} / ${fmt(p99, 1, 'ms')}; ${errors} of ${fmt(l['requests'], 0)}`,
          target: 'p99 < 20 ms, 0 errors',
          met: p99 === undefined ? undefined : p99 < 20 && errors === 0,
        });
      }
      const burst = p6['burst'] as unknown as { connections: number; search: Record<string, number>; listing: Record<string, number> } | undefined;
      if (burst) {
        const errs = (l: Record<string, number>): number => (l['errors'] ?? 0) + (l['non2xx'] ?? 0) + (l['timeouts'] ?? 0);
        out.push({
          id: 'P6',
          figure: `the same two on ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} in autocannon's bursts (${burst.connections} connections, each second's allowance sent at once): p50 / p99 search; listing; errors`,
          value: `${fmt(num(burst.search['p50Ms']), 1, 'ms')} / ${fmt(num(burst.search['p99Ms']), 1, 'ms')}; ${fmt(num(burst.listing['p50Ms']), 1, 'ms')} / ${fmt(num(burst.listing['p99Ms']), 1, 'ms')}; ${errs(burst.search) + errs(burst.listing)}`,
          target: 'a reference (the most taken at once)',
        });
      }
      out.push({ id: 'P7', figure: `RSS of sync at its peak during the P6 load (${db})`, value: fmt(num(p6['syncPeakRssMb']), 0, 'MB'), target: '< 150 MB', met: (num(p6['syncPeakRssMb']) ?? 0) < 150 });
    }
    const pages = s['pages'] as Record<string, { p50Ms: number; p99Ms: number; samples: number }> | undefined;
    if (pages) {
      const worst = Math.max(...Object.values(pages).map((t) => t.p99Ms));
      out.push({
        id: 'WEB',
        figure: `the web pages' server time (request → last byte, one after the other, ${Object.values(pages)[0]?.samples ?? '?'} each) on ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${fmt(num(s['cachedEvents']), 0)} events cached: p50 / p99 per page`,
        value: Object.entries(pages)
          .map(([page, t]) => `${PAGE_NAMES[page] ?? page} ${fmt(t.p50Ms, 0)} / ${fmt(t.p99Ms, 0)}`)
          .join('; ') + ' ms',
        target: 'p99 < 100 ms each (set by this page; #21 names none)',
        met: Number.isFinite(worst) ? worst < 100 : undefined,
      });
    }
    const idle = s['idleRssMb'] as Record<string, number> | undefined;
    if (idle && db === 'sqlite') {
      const services = Object.entries(idle).filter(([k]) => k !== 'graph-simulator');
      out.push({
        id: 'P7',
        figure: 'RSS of each service idle (started, no data yet)',
        value: services.map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ') + ' MB',
        target: '< 150 MB each',
        met: services.every(([, v]) => v < 150),
      });
    }
  }
  if (p4) {
    const idle = num(p4['syncIdleRssMb']);
    const peak = num(p4['syncPeakRssMb']);
    out.push({
      id: 'P7',
      figure: `RSS of sync idle → peak during P4 (the only service P4 runs; the others' are under P6)`,
      value: `${fmt(idle, 0)} → ${fmt(peak, 0)} MB`,
      target: '< 150 MB and flat',
      met: peak === undefined ? undefined : peak < 150,
    });
  }
  const replicas = report.results['replicas']?.figures?.['results'] as ReplicaFigures[] | undefined;
  if (replicas?.length) {
    const r0 = replicas[0];
    const truthOk = replicas.every((r) => r.truth.missing + r.truth.extra + r.truth.staleChangeKey + r.truth.duplicates === 0 && r.run.status === 'succeeded');
    const throttled = replicas.reduce((n, r) => n + r.throttled, 0);
    out.push({
      id: 'REP',
      figure: `full sync of ${fmt(r0.run.usersTotal, 0)} mailboxes with ${replicas.map((r) => r.replicas).join(' / ')} sync replicas (BullMQ on Redis, one PostgreSQL) at a ${fmt(num(report.results['replicas']?.figures?.['rps']), 0)}/s cap: mailboxes/s; Graph rate ÷ cap (10–90 % done); 429s; cache vs the simulator's truth`,
      value: `${replicas.map((r) => fmt(r.mailboxesPerS, 1)).join(' / ')}; ${replicas.map((r) => fmt(r.fetchPhaseRateOverCap, 2)).join(' / ')}; ${throttled} × 429; ${truthOk ? 'equal' : replicas.map((r) => `${r.truth.missing} missing, ${r.truth.extra} extra, ${r.truth.staleChangeKey} stale, ${r.truth.duplicates} duplicated`).join(' / ')}`,
      target: '0 × 429, cache = truth, ≥ 0.9 of the cap with every count',
      met: truthOk && throttled === 0 && replicas.every((r) => r.fetchPhaseRateOverCap >= 0.9),
    });
  }
  if (cn) {
    out.push({
      id: 'CN',
      figure: `change-notification latency (out-of-band change → cache) p50 / p99 over ${fmt(num(cn['changes']), 0)} changes in ${fmt(num(cn['mailboxes']), 0)} mailboxes; not arrived; Graph requests per change`,
      value: `${fmt(num(cn['p50Ms']), 0, 'ms')} / ${fmt(num(cn['p99Ms']), 0, 'ms')}; ${fmt(num(cn['lost']), 0)} lost; ${fmt(num(cn['graphRequestsPerChange']), 2)}`,
      target: 'p99 ≤ 2 s, none lost',
      met: num(cn['p99Ms']) === undefined ? undefined : (num(cn['p99Ms']) as number) <= 2000 && num(cn['lost']) === 0,
    });
  }
  // P1, P2, ... in order; the rows of one benchmark keep theirs
  return out.map((r, i) => ({ r, i })).sort((a, b) => a.r.id.localeCompare(b.r.id) || a.i - b.i).map(({ r }) => r);
}

/** The whole page. */
export function renderPage(report: BenchReport): string {
  const m = report.machine;
  const table = rows(report)
    .map((r) => `| ${r.id} | ${r.figure} | ${r.value} | ${r.target} | ${verdict(r.met)} |`)
    .join('\n');
  const failures = Object.entries(report.results).filter(([, r]) => r.error);
  const notMet = rows(report).filter((r) => r.met === false);
  return `# Benchmarks

Written by \`npm run bench\` (${report.mode} run; \`tools/bench/run-all.ts\`); the raw figures are in
[benchmarks.json](benchmarks.json) — compare two runs with \`npm run bench -- --compare old.json --with new.json\`.

- Date: ${report.date} → ${report.finishedAt}
- Commit: ${report.commit}
- Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, load average at start ${m.loadAverageAtStart.join(' ')}
- **Calibration** (a fixed single-threaded CPU workload, \`tools/bench/calibrate.ts\`; about 1,000 ms in a fast phase of these machines): **${m.calibrationMs.before.toFixed(0)} ms** before the run, **${m.calibrationMs.after.toFixed(0)} ms** after. Every CPU-bound figure below scales with it: the same machine runs the same work up to twice as slowly in some phases.
- Every service runs as its own process against the standalone simulator over HTTPS; PostgreSQL: ${report.postgres ?? 'not reachable, skipped'}.

| | figure | this run | target | |
|---|---|---|---|---|
${table}

${notMet.length ? `Not met in this run: ${notMet.map((r) => `${r.id} (${r.figure.split(':')[0]})`).join('; ')}. See "Reading the figures".` : 'Every figure with a target met it in this run.'}
${failures.length ? `\nBenchmarks that failed to run: ${failures.map(([k, r]) => `${k} (${r.error})`).join(', ')}.\n` : ''}
## What each benchmark does

- **P1–P3** \`tools/bench/sync.ts\`: the built simulator seeded with the tenant and capped at 60
  requests/s, the built sync on a temporary SQLite file, a stand-in for auth's app-token route.
  Graph requests and 429s are counted by the simulator; the original integration's method (one
  calendarView per user, pages of 100) on a same-seed replica of the tenant; P3 refreshes one
  mailbox after the sync.
- **P4** the same script with 10,000 users × 50 events (2,000 in a quick run).
- **P5–P7** \`tools/bench/stack.ts\`: the whole stack as \`npm start\` runs it (tools/stack), idle RSS
  first, then ~100,000 cached events; 1,000 events created out-of-band whose reminders fall due
  within 60 s, delivered to a local receiver; the planner's CPU over quiet polls; the events API
  at a steady 200 requests/s for 60 s (then autocannon's bursts for a third of that), on SQLite
  and on PostgreSQL.
${report.results['replicas'] ? '- **REP** `tools/bench/replicas.ts`: the built sync as 1, then 2, then 3 processes on one PostgreSQL and one Redis (BullMQ), each count a fresh database and a full run of an explicit tenant; the cache is then compared with the running simulator\'s own records (ids and changeKeys of every mailbox).\n' : ''}${report.results['stack'] ? '- **WEB** `tools/bench/web-pages.ts` (inside the stack benchmark, after P6): one user signed in through the simulated identity platform, each page fetched one request after another; a page counts only as a 200 with its own heading.\n' : ''}${report.results['cn'] ? '- **CN** `tools/bench/change-notifications.ts`: out-of-band changes across mailboxes, time until the cache shows them through Graph change notifications.\n' : ''}
## Reading the figures

- Ratios (P1's rate ÷ cap, P2, P4's wall ÷ budget time) depend on the cap more than on the machine;
  CPU seconds and latencies move with the calibration figure.
- P1's rate is bounded by the rate limiter's 25 ms window margin (at most ~0.976); on a slow phase
  of the machine sync's single thread becomes the limit (sync's README, "Benchmark").
- Load figures (P6) come from the bench's own process, on the same two cores as the services and
  PostgreSQL. The target's rows are an open-loop load at a steady 200 requests/s
  (\`tools/bench/paced-load.ts\`: each request sent when due, its latency counted from then).
  autocannon's \`overallRate\` is an allowance per connection per second, so with 20 connections
  each second opens with 20 requests in flight until the allowance is spent: its row is a
  reference for bursts, not the steady rate the target names.
- REP: at the cap, the cap is the bound, so 1, 2 and 3 replicas reach the same rate; what the figure
  shows is that replicas share one budget (0 × 429) and one cache (equal to the truth) without
  loss. Replicas add throughput where one sync's CPU is the limit, on separate machines: here they
  share the same two cores.
- WEB: a page's time includes the web app's calls to sync (and actions or auth) behind it.
`;
}

export interface Comparison {
  path: string;
  old: number;
  new: number;
  ratio: string;
}

function leaves(o: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof o === 'number' && Number.isFinite(o)) out.set(prefix, o);
  else if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
}

/** Every numeric figure present in both runs, with new ÷ old. */
export function compareFigures(old: BenchReport, now: BenchReport): Comparison[] {
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  leaves(old.results, '', a);
  leaves(now.results, '', b);
  const out: Comparison[] = [];
  for (const [path, v] of b) {
    const was = a.get(path);
    if (was === undefined || path.endsWith('.seconds')) continue;
    out.push({ path, old: round(was), new: round(v), ratio: was === 0 ? (v === 0 ? '1.00' : '∞') : (v / was).toFixed(2) });
  }
  return out;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

/** The README's benchmark table (between its bench markers): the latest page's rows. */
export function readmeTable(report: BenchReport): string {
  const body = rows(report)
    .map((r) => `| ${r.id} | ${r.figure} | ${r.value} | ${r.target} | ${verdict(r.met)} |`)
    .join('\n');
  return [
    `${report.mode === 'quick' ? 'Quick run' : 'Run'} of ${report.date.slice(0, 10)} on commit ${report.commit}, calibration ${report.machine.calibrationMs.before.toFixed(0)} ms (see the page):`,
    '',
    '| | figure | this run | target | |',
    '|---|---|---|---|---|',
    body,
  ].join('\n');
}

/** `readme` with the text between `<!-- bench:start -->` and `<!-- bench:end -->` replaced. */
export function withReadmeTable(readme: string, table: string): string {
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) return readme;
  return `${readme.slice(0, i + start.length)}\n${table}\n${readme.slice(j)}`;
}
