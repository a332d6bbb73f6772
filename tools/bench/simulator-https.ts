/**
 * HTTPS throughput of the standalone Graph simulator, measured honestly on a shared machine: the
 * server runs in its own process (dist/apps/graph-simulator/main.js, rebuilt first), the client in
 * another (child_process.fork of this script), so they do not share a core. The client walks
 * mailboxes as a sync does (first calendarView page, then every `@odata.nextLink`) with N
 * concurrent keep-alive requests, for $top=10 and $top=100, and reads the server's own CPU time
 * (`GET /_sim/process`) before and after each phase: "pages per server CPU-second" is the one-core
 * figure (target >= 2,000). Then what the sync benchmark exercises: `calendarView/delta` first pages of 20
 * mailboxes per `$batch` (`Prefer: odata.maxpagesize=1000`, UTC, text bodies), with
 * --batch-concurrency batches in flight, reported as events per server CPU-second.
 *
 *   node tools/run-ts.mjs tools/bench/simulator-https.ts [--users 1000] [--events 100] [--concurrency 8] [--batch-concurrency 2] [--seconds 8] [--port 4310]
 *   node tools/run-ts.mjs tools/bench/simulator-https.ts --origin https://localhost:4000 --cert data/graph-simulator/localhost-cert.pem
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, def?: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const root = resolve(__dirname.includes('tmp') ? join(__dirname, '..', '..') : process.cwd());
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_SECRET = 'sim-dev-secret';

function call(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolveCall, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveCall({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

async function client(origin: string, certPath: string): Promise<void> {
  const concurrency = Number(flag('concurrency', '8'));
  const seconds = Number(flag('seconds', '8'));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(certPath) });
  const token = await call(agent, `${origin}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default' }).toString(),
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${token.body}`);
  const headers = { authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}`, prefer: 'outlook.timezone="UTC"' };
  const users = JSON.parse((await call(agent, `${origin}/_sim/users`)).body) as { value: Array<{ id: string; hasMailbox: boolean }> };
  const ids = users.value.filter((u) => u.hasMailbox).map((u) => u.id);
  const serverCpu = async (): Promise<number> => {
    const p = JSON.parse((await call(agent, `${origin}/_sim/process`)).body) as { cpuUserMicros: number; cpuSystemMicros: number };
    return (p.cpuUserMicros + p.cpuSystemMicros) / 1e6;
  };
  // The standalone server seeds around its system clock: a month from yesterday.
  const day = 86_400_000;
  const today = Math.floor(Date.now() / day) * day;
  const start = new Date(today - day).toISOString();
  const end = new Date(today + 30 * day).toISOString();
  for (const top of [10, 100]) {
    let next = 0;
    let pages = 0;
    let events = 0;
    const errors = new Map<number, number>();
    const latencies: number[] = [];
    const cpu0 = await serverCpu();
    const clientCpu0 = process.cpuUsage();
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          // One mailbox, first page to last, as a sync reads it.
          let url: string | undefined = `${origin}/v1.0/users/${ids[next++ % ids.length]}/calendarView?startDateTime=${start}&endDateTime=${end}&$top=${top}`;
          while (url && performance.now() < deadline) {
            const t = performance.now();
            const res = await call(agent, url, { headers });
            latencies.push(performance.now() - t);
            if (res.status !== 200) {
              errors.set(res.status, (errors.get(res.status) ?? 0) + 1);
              break;
            }
            const body = JSON.parse(res.body) as { value: unknown[]; '@odata.nextLink'?: string };
            pages++;
            events += body.value.length;
            url = body['@odata.nextLink'];
          }
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    const clientCpu = process.cpuUsage(clientCpu0);
    const cpu = (await serverCpu()) - cpu0;
    latencies.sort((a, b) => a - b);
    const pct = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
    console.log(
      `HTTPS calendarView $top=${top}: ${pages} pages (${events} events, ${[...errors.values()].reduce((a, b) => a + b, 0)} non-200${errors.size ? ` ${JSON.stringify(Object.fromEntries(errors))}` : ''}) in ${wall.toFixed(1)} s ` +
        `with ${concurrency} keep-alive connections = ${(pages / wall).toFixed(0)} pages/s wall; server CPU ${cpu.toFixed(2)} s = ${((cpu / pages) * 1e6).toFixed(0)} µs/page = ` +
        `${(pages / cpu).toFixed(0)} pages per server CPU-second (client CPU ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)} s); latency p50 ${pct(50)} ms, p99 ${pct(99)} ms`,
    );
  }
  await deltaBatches(agent, origin, headers.authorization, ids, start, end, seconds, serverCpu);
  agent.destroy();
}

/** `$batch`es of 20 mailboxes' first calendarView/delta pages (maxpagesize 1000), as the sync reads a tenant. */
async function deltaBatches(
  agent: Agent,
  origin: string,
  authorization: string,
  ids: string[],
  start: string,
  end: string,
  seconds: number,
  serverCpu: () => Promise<number>,
): Promise<void> {
  const inFlight = Number(flag('batch-concurrency', '2'));
  const prefer = 'outlook.timezone="UTC", outlook.body-content-type="text", odata.maxpagesize=1000';
  const window = `startDateTime=${encodeURIComponent(start)}&endDateTime=${encodeURIComponent(end)}`;
  let next = 0;
  let batches = 0;
  let items = 0;
  let events = 0;
  let bytes = 0;
  const errors = new Map<number, number>();
  const latencies: number[] = [];
  const cpu0 = await serverCpu();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        const requests = Array.from({ length: 20 }, (_, i) => ({
          id: String(i),
          method: 'GET',
          url: `/users/${ids[next++ % ids.length]}/calendarView/delta?${window}`,
          headers: { Prefer: prefer },
        }));
        const t = performance.now();
        const res = await call(agent, `${origin}/v1.0/$batch`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ requests }),
        });
        latencies.push(performance.now() - t);
        if (res.status !== 200) {
          errors.set(res.status, (errors.get(res.status) ?? 0) + 1);
          continue;
        }
        bytes += Buffer.byteLength(res.body);
        const body = JSON.parse(res.body) as { responses: Array<{ status: number; body: { value?: unknown[] } }> };
        batches++;
        for (const r of body.responses) {
          items++;
          if (r.status !== 200) errors.set(r.status, (errors.get(r.status) ?? 0) + 1);
          else events += r.body.value?.length ?? 0;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = (await serverCpu()) - cpu0;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
  console.log(
    `HTTPS $batch of 20 calendarView/delta first pages (maxpagesize=1000): ${batches} batches, ${items} items, ${events} events ` +
      `(${(bytes / 1e6).toFixed(1)} MB, ${[...errors.values()].reduce((a, b) => a + b, 0)} non-200${errors.size ? ` ${JSON.stringify(Object.fromEntries(errors))}` : ''}) in ${wall.toFixed(1)} s ` +
      `with ${inFlight} in flight = ${(events / wall).toFixed(0)} events/s wall; server CPU ${cpu.toFixed(2)} s = ${((cpu / Math.max(1, events)) * 1e6).toFixed(1)} µs/event = ` +
      `${(events / cpu).toFixed(0)} events per server CPU-second (${(items / cpu).toFixed(0)} mailbox pages per server CPU-second); batch latency p50 ${pct(50)} ms, p99 ${pct(99)} ms`,
  );
}

async function startServer(): Promise<{ origin: string; certPath: string; stop: () => void }> {
  const b = spawnSync(process.execPath, [join(root, 'tools/build/build.mjs'), 'graph-simulator', '--quiet'], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('build failed');
  const certDir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  const users = flag('users', '1000')!;
  const events = flag('events', '100')!;
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/apps/graph-simulator/main.js')], {
    env: { ...process.env, SIM_PORT: flag('port', '4310')!, SIM_CERT_DIR: certDir, SIM_SEED_USERS: users, SIM_SEED_EVENTS: events },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise<string>((resolveOrigin, reject) => {
    let out = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (https:\/\/\S+) \((\d+) ms\)/.exec(out);
      if (m && !started) {
        started = true;
        clearTimeout(timer);
        console.log(`server pid ${child.pid}: ${users} users x ${events} events, started in ${m[2]} ms`);
        resolveOrigin(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
  });
  return {
    origin,
    certPath: join(certDir, 'localhost-cert.pem'),
    stop: () => {
      child.kill('SIGTERM');
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  if (args.includes('--client')) return client(flag('origin')!, flag('cert')!);
  const given = flag('origin');
  const target = given ? { origin: given, certPath: flag('cert', 'data/graph-simulator/localhost-cert.pem')!, stop: () => undefined } : await startServer();
  try {
    // The client in its own process, so it does not share the server's core.
    const passOn = ['concurrency', 'batch-concurrency', 'seconds'].flatMap((n) => (flag(n) ? [`--${n}`, flag(n)!] : []));
    const c = fork(__filename, ['--client', '--origin', target.origin, '--cert', target.certPath, ...passOn], { stdio: 'inherit', execArgv: [] });
    const code = await new Promise<number | null>((r) => c.once('exit', r));
    if (code !== 0) throw new Error(`client exited with ${code}`);
  } finally {
    target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
