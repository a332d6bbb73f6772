/**
 * Graph simulator benchmark (in process, one core):
 * - seeding 10,000 users x 100 events (target < 10 s), heap after seeding;
 * - calendarView pages through the core dispatcher (no msw, no Fetch objects), as a sync reads them:
 *   every mailbox from its first page to its last (`@odata.nextLink`), with $top=10 and $top=100;
 *   pages/s on the wall clock and pages per CPU-second of this process (the honest figure on a
 *   shared machine; target >= 2,000 pages/s);
 * - for comparison, the same pages through msw's getResponse with the full handler list.
 * Run: node tools/run-ts.mjs tools/bench/simulator.ts [users] [eventsPerUser] [secondsPerPhase]
 */
import { FakeClock } from '@ocb/clock';
import { createSimulator, type SimRequest, type Simulator } from '@ocb/graph-simulator';
import { getResponse } from 'msw';

const START = '2026-03-01T00:00:00Z';
const END = '2026-04-01T00:00:00Z';

interface Phase {
  pages: number;
  events: number;
  wallS: number;
  cpuS: number;
}

type Fetcher = (url: string) => Promise<{ status: number; text: string }>;

async function pages(sim: Simulator, top: number, seconds: number, fetcher: Fetcher): Promise<Phase> {
  const mailboxes = sim.state.mailboxes;
  let pagesDone = 0;
  let events = 0;
  let next: string | undefined;
  let mb = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 50; i++) {
      const url = next ?? `https://graph.microsoft.com/v1.0/users/${mailboxes[mb++ % mailboxes.length].userId}/calendarView?startDateTime=${START}&endDateTime=${END}&$top=${top}`;
      const res = await fetcher(url);
      if (res.status !== 200) throw new Error(`unexpected ${res.status} for ${url}: ${res.text.slice(0, 200)}`);
      // No JSON.parse: this process's CPU should be the server's. nextLink comes before value.
      const head = res.text.slice(0, res.text.indexOf('"value":['));
      const m = /"@odata\.nextLink":"([^"]+)"/.exec(head);
      pagesDone++;
      events += res.text.split('"@odata.etag"').length - 1;
      next = m ? JSON.parse(`"${m[1]}"`) as string : undefined;
    }
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { pages: pagesDone, events, wallS, cpuS: (cpu.user + cpu.system) / 1e6 };
}

function report(label: string, top: number, p: Phase): void {
  console.log(
    `${label} $top=${top}: ${p.pages} pages (${p.events} events) in ${p.wallS.toFixed(2)} s = ${(p.pages / p.wallS).toFixed(0)} pages/s wall, ` +
      `${(p.pages / p.cpuS).toFixed(0)} pages per CPU-second (${((p.cpuS / p.pages) * 1e6).toFixed(0)} µs CPU/page)`,
  );
}

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const eventsPerUser = Number(process.argv[3] ?? 100);
  const seconds = Number(process.argv[4] ?? 5);
  const clock = new FakeClock('2026-03-02T09:00:00.000Z');
  const sim = createSimulator({ seed: 1, clock });

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const seeded = sim.seed({ users, eventsPerUser, seed: 1 });
  const seedMs = performance.now() - t0;
  const seedCpu = process.cpuUsage(cpu0);
  const items = sim.state.mailboxes.reduce((n, m) => n + m.items.length, 0);
  console.log(
    `seed: ${seeded.users} users, ${seeded.events} events (${items} mailbox items incl. attendee copies) in ${(seedMs / 1000).toFixed(2)} s ` +
      `(${((seedCpu.user + seedCpu.system) / 1e6).toFixed(2)} s CPU; target < 10 s)`,
  );
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`heap used after seeding: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB${(globalThis as { gc?: unknown }).gc ? ' (after gc)' : ''}`);

  const token = sim.appToken();
  const headers = new Map([
    ['authorization', `Bearer ${token}`],
    ['prefer', 'outlook.timezone="UTC"'],
  ]);
  const direct: Fetcher = async (url) => {
    const req: SimRequest = { method: 'GET', url: new URL(url), headers, body: undefined };
    const res = await sim.dispatch(req);
    if (!res) throw new Error('not dispatched');
    return { status: res.status, text: res.text ?? JSON.stringify(res.body) };
  };
  const fetchHeaders = { Authorization: `Bearer ${token}`, Prefer: 'outlook.timezone="UTC"' };
  const viaMsw: Fetcher = async (url) => {
    const res = await getResponse(sim.handlers, new Request(url, { headers: fetchHeaders }));
    if (!res) throw new Error('unhandled');
    return { status: res.status, text: await res.text() };
  };
  for (const top of [10, 100]) report('calendarView, core dispatcher,', top, await pages(sim, top, seconds, direct));
  report('calendarView, msw getResponse,', 10, await pages(sim, 10, Math.min(seconds, 2), viaMsw));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
