/**
 * Graph simulator benchmark: seeding time for 10,000 users x 100 events (target < 10 s), then
 * calendarView pages per second through msw's getResponse on one core (target >= 2,000).
 * Run: node tools/run-ts.mjs tools/bench/simulator.ts [users] [eventsPerUser] [seconds]
 */
import { FakeClock } from '@ocb/clock';
import { createSimulator } from '@ocb/graph-simulator';
import { getResponse } from 'msw';

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const eventsPerUser = Number(process.argv[3] ?? 100);
  const seconds = Number(process.argv[4] ?? 5);
  const clock = new FakeClock('2026-03-02T09:00:00.000Z');
  const sim = createSimulator({ seed: 1, clock });

  const t0 = performance.now();
  const seeded = sim.seed({ users, eventsPerUser, seed: 1 });
  const seedMs = performance.now() - t0;
  const items = sim.state.mailboxes.reduce((n, m) => n + m.items.length, 0);
  console.log(`seed: ${seeded.users} users, ${seeded.events} events (${items} mailbox items incl. attendee copies) in ${(seedMs / 1000).toFixed(2)} s (target < 10 s)`);
  console.log(`heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);

  const token = sim.appToken();
  const mailboxes = sim.state.mailboxes;
  const headers = { Authorization: `Bearer ${token}`, Prefer: 'outlook.timezone="UTC"' };
  const start = '2026-03-01T00:00:00Z';
  const end = '2026-04-01T00:00:00Z';
  let pages = 0;
  let events = 0;
  let next: string | undefined;
  let mb = 0;
  const deadline = performance.now() + seconds * 1000;
  const t1 = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 50; i++) {
      const url = next ?? `https://graph.microsoft.com/v1.0/users/${mailboxes[mb++ % mailboxes.length].userId}/calendarView?startDateTime=${start}&endDateTime=${end}&$top=50`;
      const res = await getResponse(sim.handlers, new Request(url, { headers }));
      if (!res || res.status !== 200) throw new Error(`unexpected ${res?.status} for ${url}`);
      const body = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
      pages++;
      events += body.value.length;
      next = body['@odata.nextLink'];
    }
  }
  const elapsed = (performance.now() - t1) / 1000;
  console.log(`calendarView: ${pages} pages (${events} events, $top=50, one-month window) in ${elapsed.toFixed(2)} s = ${(pages / elapsed).toFixed(0)} pages/s (target >= 2000)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
