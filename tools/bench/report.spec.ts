import { compareFigures, readmeTable, renderPage, rows, withReadmeTable, type BenchReport } from './report';

function report(p1: Record<string, unknown>, extra: BenchReport['results'] = {}): BenchReport {
  return {
    date: '2026-12-02T10:00:00.000Z',
    finishedAt: '2026-12-02T10:15:00.000Z',
    commit: 'abc1234',
    mode: 'full',
    machine: { cores: 2, cpuModel: 'test cpu', memoryGiB: 24, node: 'v20.20.2', loadAverageAtStart: [0.5, 0.4, 0.3], calibrationMs: { before: 1000, after: 1900 } },
    postgres: null,
    results: { p1: { seconds: 60, figures: p1 }, ...extra },
  };
}

const goodP1 = {
  users: 1000,
  eventsPerUser: 200,
  cap: 60,
  rateOverCap: 0.96,
  throttled: 0,
  originalOverOurs: 47.3,
  originalMethodRequests: 4827,
  httpRequests: 102,
  refreshGraphRequests: 1,
  refreshRowsWritten: 0,
  refreshDatabaseChanged: false,
};

describe('the benchmark page', () => {
  it('marks P1, P2 and P3 met when their figures reach the targets', () => {
    const r = rows(report(goodP1));
    expect(r.filter((x) => x.id !== 'P1' || x.met !== undefined).map((x) => [x.id, x.met])).toEqual([
      ['P1', true],
      ['P2', true],
      ['P3', true],
    ]);
  });

  it('says which figures miss their target: a 429, a rate under 0.95, a refresh that writes', () => {
    const page = renderPage(report({ ...goodP1, rateOverCap: 0.9, throttled: 20, refreshRowsWritten: 3 }));
    expect(page).toContain('| P1 | full sync of 1000 users × 200 events at the 60/s cap: Graph rate ÷ cap; 429s | 0.900; 20 × 429 | ≥ 0.95 with 0 × 429 | **not met** |');
    expect(page).toMatch(/Not met in this run: P1 .*P3/);
    expect(page).not.toContain('Every figure with a target met it');
  });

  it('checks P5 and P6 against their targets on each database', () => {
    const stack = {
      seconds: 300,
      figures: {
        sqlite: {
          cachedEvents: 100_000,
          idleRssMb: { 'graph-simulator': 300, auth: 90, sync: 100, actions: 95, notifications: 160 },
          p5: { reminders: 1000, delivered: 1000, duplicates: 0, latenessP50Ms: 200, latenessP99Ms: 1400, latenessMaxMs: 1600 },
          p6: { search: { rps: 200, p50Ms: 3, p99Ms: 12, requests: 12000, errors: 0, non2xx: 0, timeouts: 0 }, listing: { rps: 200, p50Ms: 2, p99Ms: 8, requests: 12000, errors: 0, non2xx: 1, timeouts: 0 }, syncPeakRssMb: 120 },
        },
        postgres: null,
      },
    };
    const r = rows(report(goodP1, { stack }));
    expect(r.find((x) => x.id === 'P5' && x.met !== undefined)?.met).toBe(false);
    const p6 = r.filter((x) => x.id === 'P6' && x.figure.startsWith('events'));
    expect(p6.map((x) => x.met)).toEqual([true, false]);
    expect(r.find((x) => x.id === 'P7' && x.figure.includes('idle'))?.met).toBe(false); // notifications idle at 160 MB
    expect(r.find((x) => x.id === 'P7' && x.figure.includes('P6 load'))?.met).toBe(true); // sync at 120 MB
    expect(r.map((x) => x.id)).toEqual([...r.map((x) => x.id)].sort());
  });

  it('reads P6 from the paced load, with autocannon\'s bursts beside it as a reference without a target', () => {
    const paced = (p99Ms: number) => ({ rps: 200, p50Ms: 2, p99Ms, requests: 12000, errors: 0, non2xx: 0, timeouts: 0, connections: 3, sendLagMaxMs: 1 });
    const burst = { rps: 200, p50Ms: 9, p99Ms: 60, requests: 4000, errors: 0, non2xx: 0, timeouts: 0 };
    const stack = { seconds: 60, figures: { sqlite: { cachedEvents: 100_000, p6: { search: paced(12), listing: paced(25), burst: { connections: 20, search: burst, listing: burst }, syncPeakRssMb: 120 } }, postgres: null } };
    const p6 = rows(report(goodP1, { stack })).filter((x) => x.id === 'P6');
    expect(p6.map((x) => x.met)).toEqual([true, false, undefined]);
    expect(p6[0].figure).toContain('200 requests/s paced');
    expect(p6[2]).toMatchObject({ value: '9.0 ms / 60.0 ms; 9.0 ms / 60.0 ms; 0', target: 'a reference (the most taken at once)' });
    expect(p6[2].figure).toContain("autocannon's bursts (20 connections");
  });

  it('checks CN: p99 within 2 s and nothing lost', () => {
    const cn = (figures: Record<string, unknown>) => rows(report(goodP1, { cn: { seconds: 60, figures: { changes: 500, mailboxes: 100, p50Ms: 420, p99Ms: 900, lost: 0, graphRequestsPerChange: 1, ...figures } } })).find((x) => x.id === 'CN');
    expect(cn({})).toMatchObject({ met: true, value: '420 ms / 900 ms; 0 lost; 1.00' });
    expect(cn({})?.figure).toContain('over 500 changes in 100 mailboxes');
    expect(cn({ p99Ms: 2100 })?.met).toBe(false);
    expect(cn({ lost: 2 })?.met).toBe(false);
  });

  it('checks the web pages: every page under 100 ms at p99, each page named with its figures', () => {
    const t = (p50Ms: number, p99Ms: number) => ({ path: '/x', samples: 50, p50Ms, p99Ms, maxMs: p99Ms, bytes: 1000 });
    const web = (pages: Record<string, unknown>) =>
      rows(report(goodP1, { stack: { seconds: 60, figures: { sqlite: { cachedEvents: 1000, pages }, postgres: null } } })).find((x) => x.id === 'WEB');
    const fast = web({ upcoming: t(12, 30), editEvent: t(9, 20) });
    expect(fast).toMatchObject({ met: true, value: 'Upcoming 12 / 30; Edit Event 9 / 20 ms' });
    expect(fast?.figure).toContain('50 each) on SQLite, 1,000 events cached');
    expect(web({ upcoming: t(12, 30), reminders: t(40, 140) })?.met).toBe(false);
  });

  it('checks the replicas: one budget (no 429), the cache equal to the truth, the cap reached with every count', () => {
    const one = (replicas: number, o: { rate?: number; missing?: number; throttled?: number } = {}) => ({
      replicas,
      run: { status: 'succeeded', usersTotal: 1200 },
      mailboxesPerS: 30 + replicas / 10,
      fetchPhaseRateOverCap: o.rate ?? 0.93,
      throttled: o.throttled ?? 0,
      truth: { missing: o.missing ?? 0, extra: 0, staleChangeKey: 0, duplicates: 0, expected: 6000, mailboxes: 1200 },
    });
    const rep = (results: unknown[]) => rows(report(goodP1, { replicas: { seconds: 200, figures: { users: 1200, rps: 40, results } } })).find((x) => x.id === 'REP');
    const good = rep([one(1), one(2), one(3)]);
    expect(good).toMatchObject({ met: true, value: '30.1 / 30.2 / 30.3; 0.93 / 0.93 / 0.93; 0 × 429; equal' });
    expect(good?.figure).toContain('1,200 mailboxes with 1 / 2 / 3 sync replicas');
    expect(good?.figure).toContain('at a 40/s cap');
    expect(rep([one(1), one(2, { missing: 3 }), one(3)])).toMatchObject({ met: false, value: expect.stringContaining('3 missing') });
    expect(rep([one(1), one(2), one(3, { throttled: 2 })])?.met).toBe(false);
    expect(rep([one(1), one(2, { rate: 0.8 }), one(3)])?.met).toBe(false);
  });

  it("says what a refresh of an unchanged mailbox commits: nothing, or only the mailbox's last-synced time", () => {
    const p3 = (f: Record<string, unknown>) => rows(report({ ...goodP1, ...f })).find((x) => x.id === 'P3');
    expect(p3({})?.value).toBe('1; 0 (SQLite: no commit at all)');
    expect(p3({ refreshDatabaseChanged: true, refreshStateStamped: true })).toMatchObject({ met: true, value: expect.stringContaining("one UPDATE of the mailbox's state row") });
    expect(p3({ refreshDatabaseChanged: true, refreshStateStamped: false })?.value).toBe('1; 0');
    expect(p3({ refreshRowsWritten: 2 })?.met).toBe(false);
  });

  it('states the machine and the calibration before and after', () => {
    const page = renderPage(report(goodP1));
    expect(page).toContain('**1000 ms** before the run, **1900 ms** after');
    expect(page).toContain('2 cores (test cpu), 24 GiB, Node v20.20.2');
    expect(page).toContain('Commit: abc1234');
  });

  it('compares two runs figure by figure', () => {
    const old = report(goodP1);
    const now = report({ ...goodP1, rateOverCap: 0.48, httpRequests: 204 });
    const c = compareFigures(old, now);
    expect(c.find((x) => x.path === 'p1.figures.rateOverCap')).toEqual({ path: 'p1.figures.rateOverCap', old: 0.96, new: 0.48, ratio: '0.50' });
    expect(c.find((x) => x.path === 'p1.figures.httpRequests')?.ratio).toBe('2.00');
    expect(c.find((x) => x.path === 'p1.seconds')).toBeUndefined();
  });

  it('puts the rows in the README between its markers, leaving the rest alone', () => {
    const readme = 'intro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter\n';
    const out = withReadmeTable(readme, readmeTable(report(goodP1)));
    expect(out).toMatch(/^intro\n<!-- bench:start -->\nRun of 2026-12-02 on commit abc1234, calibration 1000 ms/);
    expect(out).toContain('| P2 | HTTP requests for that sync');
    expect(out).not.toContain('old table');
    expect(out.endsWith('<!-- bench:end -->\nafter\n')).toBe(true);
  });
});
