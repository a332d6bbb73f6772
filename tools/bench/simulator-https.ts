/**
 * HTTPS throughput of the standalone Graph simulator: calendarView pages per second with a
 * keep-alive agent and N concurrent requesters.
 *
 *   node tools/run-ts.mjs tools/bench/simulator-https.ts [--concurrency 16] [--seconds 10] [--top 50]
 *   node tools/run-ts.mjs tools/bench/simulator-https.ts --origin https://localhost:4000 --cert data/graph-simulator/localhost-cert.pem
 *
 * Without --origin it builds (if needed) and starts dist/apps/graph-simulator/main.js on a free
 * port with a temporary certificate directory, and stops it afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, def?: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const concurrency = Number(flag('concurrency', '16'));
const seconds = Number(flag('seconds', '10'));
const top = Number(flag('top', '50'));
const tenantId = flag('tenant', '72f988bf-86f1-41af-91ab-2d7cd011db47')!;
const clientId = flag('client-id', '11111111-2222-3333-4444-555555555555')!;
const clientSecret = flag('client-secret', 'sim-dev-secret')!;
const root = resolve(__dirname.includes('tmp') ? join(__dirname, '..', '..') : process.cwd());

interface Target {
  origin: string;
  certPath: string;
  stop: () => void;
}

async function startSimulator(): Promise<Target> {
  const main = join(root, 'dist/apps/graph-simulator/main.js');
  if (!existsSync(main)) {
    const b = spawnSync(process.execPath, [join(root, 'tools/build/build.mjs'), 'graph-simulator'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const certDir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, SIM_PORT: '0', SIM_CERT_DIR: certDir, SIM_SEED_USERS: '25', SIM_SEED_EVENTS: '40' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise<string>((resolveOrigin, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (https:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
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

async function main(): Promise<void> {
  const given = flag('origin');
  const target: Target = given ? { origin: given, certPath: flag('cert', 'data/graph-simulator/localhost-cert.pem')!, stop: () => undefined } : await startSimulator();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(target.certPath) });
  try {
    const token = await call(agent, `${target.origin}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
    });
    if (token.status !== 200) throw new Error(`token: ${token.status} ${token.body}`);
    const auth = { authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}` };
    const users = await call(agent, `${target.origin}/v1.0/users?$top=25`, { headers: auth });
    if (users.status !== 200) throw new Error(`users: ${users.status} ${users.body.slice(0, 300)}`);
    const start = '2026-01-01T00:00:00Z';
    const end = '2027-01-01T00:00:00Z';
    const view = (id: string) =>
      call(agent, `${target.origin}/v1.0/users/${id}/calendarView?startDateTime=${start}&endDateTime=${end}&$top=${top}`, {
        headers: { ...auth, prefer: 'outlook.timezone="UTC"' },
      });
    // Users without a mailbox answer 404; the warm-up pass leaves them out.
    const ids: string[] = [];
    for (const u of (JSON.parse(users.body) as { value: { id: string }[] }).value) if ((await view(u.id)).status === 200) ids.push(u.id);

    const latencies: number[] = [];
    let events = 0;
    let errors = 0;
    const statuses = new Map<number, number>();
    const deadline = Date.now() + seconds * 1000;
    const t0 = process.hrtime.bigint();
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          const id = ids[n++ % ids.length];
          const t = process.hrtime.bigint();
          const res = await view(id);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          if (res.status === 200) events += (JSON.parse(res.body) as { value: unknown[] }).value.length;
          else {
            errors++;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    latencies.sort((a, b) => a - b);
    const pct = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
    console.log(
      `simulator HTTPS calendarView: ${(latencies.length / elapsed).toFixed(0)} pages/s (${latencies.length} pages, ${events} events, ${errors} non-200${errors ? ` ${JSON.stringify(Object.fromEntries(statuses))}` : ''}) ` +
        `with ${concurrency} concurrent keep-alive requests for ${elapsed.toFixed(1)} s; latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms; $top=${top}, ${ids.length} mailboxes`,
    );
  } finally {
    agent.destroy();
    target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
