/**
 * What the benchmarks share: building and starting the built apps as processes, reading their CPU
 * time and memory from /proc, talking to the standalone simulator over HTTPS (trusting its
 * certificate), a stand-in for auth's app-token route, and writing a benchmark's figures as JSON
 * for `tools/bench/run-all.ts`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID } from '@ocb/graph-simulator';

export const ROOT = process.cwd();
export const PLATFORM = { Authorization: 'Bearer dev-platform-key' };
export const INTERNAL = { Authorization: 'Bearer dev-internal-key' };
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** `--name value` from the command line, else `def`. */
export function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

/** Builds an app with the repository's build (skipped with `--no-build`) and returns its bundle. */
export function build(app: string, args: string[]): string {
  const out = join(ROOT, 'dist', 'apps', app, 'main.js');
  if (args.includes('--no-build')) return out;
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/build/build.mjs'), app], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build of ${app} failed`);
  return out;
}

/** Every process a benchmark started, so that one cleanup ends them all. */
export const children: ChildProcess[] = [];

/** Starts a node process and resolves once its output matches `ready` (at once without). */
export function start(name: string, file: string, env: Record<string, string>, ready: RegExp | null, execArgv: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...execArgv, file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  return new Promise((res, rej) => {
    if (!ready) res(child);
    let seen = '';
    const onData = (d: Buffer): void => {
      const text = d.toString();
      if (process.env['BENCH_VERBOSE']) process.stderr.write(`[${name}] ${text}`);
      if (ready) {
        seen += text;
        if (seen.length > 20_000) seen = seen.slice(-10_000);
        if (ready.test(seen)) res(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      process.stderr.write(`[${name}] ${d.toString()}`);
    });
    child.on('exit', (code) => rej(new Error(`${name} exited (${code}) before it was ready: ${seen.slice(-2000)}`)));
  });
}

/** Polls `url` until it answers 2xx (a service is up). */
export async function waitFor(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** CPU seconds (user + system) of a process so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size now (`VmRSS`) and its peak so far (`VmHWM`) of a process, in MB. */
export function memory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** CPU seconds so far of every PostgreSQL server process on this machine, by pid (from /proc). */
export function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      out.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** PostgreSQL CPU seconds spent since `before` (a `postgresCpu()` reading). */
export function postgresCpuSince(before: Map<number, number>): number {
  let s = 0;
  for (const [pid, cpu] of postgresCpu()) s += cpu - (before.get(pid) ?? 0);
  return s;
}

/** JSON over HTTPS to the standalone simulator, trusting its certificate. */
export class SimClient {
  constructor(
    readonly origin: string,
    private readonly ca: string,
  ) {}

  call<T>(method: string, path: string, body?: unknown, form?: URLSearchParams): Promise<T> {
    return new Promise((res, rej) => {
      const payload = form ? form.toString() : body === undefined ? undefined : JSON.stringify(body);
      const req = httpsRequest(
        `${this.origin}${path}`,
        {
          method,
          ca: this.ca,
          headers: payload === undefined ? {} : { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if ((r.statusCode ?? 500) >= 400) rej(new Error(`${method} ${path} answered ${r.statusCode}: ${text.slice(0, 500)}`));
            else res((text ? JSON.parse(text) : undefined) as T);
          });
        },
      );
      req.on('error', rej);
      req.end(payload);
    });
  }

  /** CPU seconds of the simulator's process so far (`GET /_sim/process`). */
  async cpuSeconds(): Promise<number> {
    const p = await this.call<{ cpuUserMicros: number; cpuSystemMicros: number }>('GET', '/_sim/process');
    return (p.cpuUserMicros + p.cpuSystemMicros) / 1e6;
  }
}

/** Starts the built simulator with an empty tenant on `port`; its certificate goes to `certDir`. */
export async function startSimulator(
  main: string,
  port: number,
  certDir: string,
  execArgv: string[] = [],
): Promise<{ proc: ChildProcess; sim: SimClient; certPath: string }> {
  const proc = await start(
    'simulator',
    main,
    { SIM_PORT: String(port), SIM_HOST: '127.0.0.1', SIM_CERT_DIR: certDir, SIM_SEED_USERS: '0', SIM_SEED_EVENTS: '0' },
    /listening on (https:\/\/\S+)/,
    execArgv,
  );
  const certPath = join(certDir, 'localhost-cert.pem');
  // the certificate names localhost: talk to it by that name
  return { proc, sim: new SimClient(`https://localhost:${port}`, readFileSync(certPath, 'utf8')), certPath };
}

/** Stand-in for the auth service's app token route: client credentials against the simulator. */
export function startAuthStandIn(sim: SimClient, port: number): Promise<{ server: Server; calls: () => number }> {
  let calls = 0;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/api/internal/tokens/app' || req.headers.authorization !== INTERNAL.Authorization) {
      res.writeHead(404).end();
      return;
    }
    calls++;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
      scope: `${sim.origin}/.default`,
    });
    sim.call<{ access_token: string; expires_in: number }>('POST', `/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`, undefined, form).then(
      (t) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ accessToken: t.access_token, expiresOn: new Date(Date.now() + t.expires_in * 1000).toISOString() }));
      },
      (e: Error) => {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 'UPSTREAM_ERROR', message: e.message }));
      },
    );
  });
  return new Promise((res) => server.listen(port, '127.0.0.1', () => res({ server, calls: () => calls })));
}

/** The environment of a built sync service against the simulator, with no crons. */
export function syncEnv(o: { port: number; simOrigin: string; certPath: string; authPort: number; databaseUrl: string; rps: number }): Record<string, string> {
  return {
    NODE_ENV: 'development',
    NODE_EXTRA_CA_CERTS: o.certPath,
    DATABASE_URL: o.databaseUrl,
    GRAPH_BASE_URL: o.simOrigin,
    AUTHORITY_HOST: o.simOrigin,
    AUTH_URL: `http://127.0.0.1:${o.authPort}`,
    SYNC_PORT: String(o.port),
    HOST: '127.0.0.1',
    SYNC_CRON_ENABLED: 'false',
    GRAPH_MAX_REQUESTS_PER_SECOND: String(o.rps),
    SYNC_LOG_EVERY: '100000',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    SWAGGER_ENABLED: 'false',
  };
}

/** JSON from a service over plain HTTP; a non-2xx answer throws with its body. */
export async function serviceCall<T>(base: string, method: string, path: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(`${base}/${path}`, { method, headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Starts a full sync and waits for its run to end; the run's view. */
export async function fullSync<T extends { status: string }>(syncBase: string): Promise<T> {
  const { runId } = await serviceCall<{ runId: string }>(syncBase, 'POST', 'api/sync/full', PLATFORM);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const run = await serviceCall<T>(syncBase, 'GET', `api/sync/runs/${runId}`, PLATFORM);
    if (run.status !== 'running') return run;
  }
}

/** Ends a process through its IPC channel (process.exit writes a CPU profile), else SIGTERM. */
export async function stop(child: ChildProcess, viaIpc = true): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (viaIpc && child.connected) child.send('exit');
  else child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

/** Kills whatever is still running. */
export function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGTERM');
}

/** Writes a benchmark's figures where `--json <file>` says (read by run-all.ts). */
export function writeFigures(args: string[], figures: object): void {
  const file = flag(args, 'json', '');
  if (file) writeFileSync(file, JSON.stringify(figures, null, 2) + '\n');
}

/** Percentile (0..1) of a sorted array, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
