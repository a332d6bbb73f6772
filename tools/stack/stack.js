// Starts the whole system as separate processes, exactly as production would run it: the Graph
// simulator over HTTPS (its certificate trusted through NODE_EXTRA_CA_CERTS) and the four built
// services. Used by `npm start` (tools/start/start.mjs) and by the e2e suite's global setup.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createWriteStream, existsSync, mkdirSync, readFileSync } = require('node:fs');
const https = require('node:https');
const http = require('node:http');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../..');
const SERVICES = ['auth', 'sync', 'actions', 'notifications', 'web'];
const DEFAULT_PORTS = { simulator: 4000, auth: 3001, sync: 3002, actions: 3003, notifications: 3004, web: 3000 };
/**
 * V8 heap flags of each service, the same as in its image (docker/<service>.Dockerfile's CMD; a
 * check keeps them equal). Node's defaults size the heap for the machine (a ~4 GB limit on 24 GB,
 * under which V8 lets the old generation grow to 4x what survives a collection, and 16 MB
 * semi-spaces): sync peaked at ~440 MB during a full sync and the idle services sat at 120-160 MB.
 * A 4 MB semi-space took ~20 MB off each idle service at no measured CPU cost. The old generation
 * is bounded at 512 MB, sync's at 1,536 MB: at 512 MB sync's full sync peaked at ~250 MB instead of
 * ~440 MB but spent ~24 % more CPU collecting (P1: 28.7 CPU-s and 0.947 of the cap against 23.1 s and
 * 0.961 uncapped), and sync's CPU is what holds its Graph rate at the cap on a slow machine; at
 * 1,536 MB: 26.0 CPU-s, 0.962, peak 422 MB. apps/sync/README.md, "Memory".
 */
const NODE_FLAGS = Object.fromEntries(SERVICES.map((s) => [s, [`--max-old-space-size=${s === 'sync' ? 1536 : 512}`, '--max-semi-space-size=4']]));

function build(apps = ['graph-simulator', ...SERVICES]) {
  const r = spawnSync(
    process.execPath,
    [require.resolve('nx/bin/nx', { paths: [root] }), 'run-many', '-t', 'build', '--projects', apps.join(','), '--outputStyle', 'static'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' } },
  );
  if (r.status !== 0) {
    process.stderr.write(r.stdout.toString() + r.stderr.toString());
    throw new Error('build failed');
  }
}

function probe(url, ca) {
  return new Promise((resolvePromise) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode === 200);
    });
    req.on('error', () => resolvePromise(false));
    req.on('timeout', () => {
      req.destroy();
      resolvePromise(false);
    });
  });
}

async function waitHealthy(name, url, child, ca, timeoutMs) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} (see its log)`);
    if (await probe(url, ca)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} not healthy at ${url} within ${timeoutMs} ms`);
}

/** GET a JSON document, trusting `ca` (the simulator's certificate) for https. */
function getJson(url, ca) {
  return new Promise((resolvePromise, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ca, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolvePromise(JSON.parse(body));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
  });
}

const SEED_DEFAULTS = { seed: '1', users: '25', eventsPerUser: '40' };
const SEED_VARIABLES = { seed: 'SIM_SEED', users: 'SIM_SEED_USERS', eventsPerUser: 'SIM_SEED_EVENTS' };

/**
 * The demo tenant the simulator seeds: each of seed, users, eventsPerUser from `simulator` (the
 * caller's choice, e.g. the e2e suite's), else from the operator's SIM_SEED / SIM_SEED_USERS /
 * SIM_SEED_EVENTS (`SIM_SEED_USERS=500 npm start`), else the simulator's defaults (1, 25, 40).
 * Values stay strings: the simulator validates them and exits naming a bad variable.
 * @returns {{ SIM_SEED: string, SIM_SEED_USERS: string, SIM_SEED_EVENTS: string }}
 */
function simulatorSeedEnv(simulator = {}, env = process.env) {
  const out = {};
  for (const [key, variable] of Object.entries(SEED_VARIABLES)) {
    const chosen = simulator[key] ?? (env[variable] !== undefined && env[variable].trim() !== '' ? env[variable] : undefined);
    out[variable] = String(chosen ?? SEED_DEFAULTS[key]);
  }
  return out;
}

/**
 * @param {object} o
 * @param {string} o.dataDir        where SQLite files, logs and the certificate go
 * @param {'sqlite'|'postgres'} [o.database]
 * @param {(service: string) => string} [o.databaseUrl]  per-service DATABASE_URL (postgres)
 * @param {object} [o.ports]
 * @param {object} [o.env]          extra environment for every service
 * @param {object} [o.serviceEnv]   extra environment per service name
 * @param {object} [o.simulator]    { seed, users, eventsPerUser }; each left out comes from the
 *                                  environment (SIM_SEED, SIM_SEED_USERS, SIM_SEED_EVENTS)
 * @param {boolean} [o.echo]        mirror service logs to this terminal
 * @param {boolean} [o.changeNotifications]  false: sync without Graph change notifications (delta
 *                                  polls only); otherwise NOTIFICATIONS_PUBLIC_URL is sync's own
 *                                  loopback URL, so the simulator's notifications reach it and the
 *                                  cache follows out-of-band changes within about a second
 */
async function startStack(o) {
  const dataDir = resolve(o.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ports = { ...DEFAULT_PORTS, ...(o.ports || {}) };
  const children = [];
  const t0 = Date.now();

  const launch = (name, script, env, nodeFlags = []) => {
    const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...nodeFlags, join(root, script)], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    if (o.echo) child.stderr.on('data', (d) => process.stderr.write(`[${name}] ${d}`));
    children.push({ name, child });
    return child;
  };

  const stop = async () => {
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGTERM');
            setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
  };

  try {
    const certDir = join(dataDir, 'graph-simulator');
    const sim = launch('graph-simulator', 'dist/apps/graph-simulator/main.js', {
      SIM_PORT: String(ports.simulator),
      SIM_CERT_DIR: certDir,
      ...simulatorSeedEnv(o.simulator, process.env),
      SIM_REDIRECT_URIS: `http://localhost:${ports.auth}/app/api/auth/serviceAction/callback,http://localhost:${ports.web}/auth/callback`,
    });
    const certPath = join(certDir, 'localhost-cert.pem');
    const simOrigin = `https://localhost:${ports.simulator}`;
    // the certificate appears when the simulator starts; trust it for the probe explicitly
    const deadline = Date.now() + 30000;
    while (!existsSync(certPath) && Date.now() < deadline) {
      if (sim.exitCode !== null) throw new Error('graph-simulator exited (see its log)');
      await new Promise((r) => setTimeout(r, 100));
    }
    const ca = readFileSync(certPath);
    await waitHealthy('graph-simulator', `${simOrigin}/api/health`, sim, ca, 30000);

    const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://localhost:${ports[s]}`]));
    const common = {
      NODE_ENV: 'development',
      NODE_EXTRA_CA_CERTS: certPath,
      GRAPH_BASE_URL: simOrigin,
      AUTHORITY_HOST: simOrigin,
      AUTH_URL: `http://127.0.0.1:${ports.auth}`,
      SYNC_URL: `http://127.0.0.1:${ports.sync}`,
      ACTIONS_URL: `http://127.0.0.1:${ports.actions}`,
      NOTIFICATIONS_URL: `http://127.0.0.1:${ports.notifications}`,
      AUTH_PUBLIC_URL: urls.auth,
      AUTH_PORT: String(ports.auth),
      SYNC_PORT: String(ports.sync),
      ACTIONS_PORT: String(ports.actions),
      NOTIFICATIONS_PORT: String(ports.notifications),
      WEB_PORT: String(ports.web),
      WEB_PUBLIC_URL: urls.web,
      ...(o.env || {}),
    };
    const procs = SERVICES.map((s) =>
      launch(s, `dist/apps/${s}/main.js`, {
        ...common,
        DATABASE_URL: o.databaseUrl ? o.databaseUrl(s) : `sqlite:${join(dataDir, `${s}.db`)}`,
        ...(s === 'sync' && o.changeNotifications !== false && !(o.env || {}).NOTIFICATIONS_PUBLIC_URL ? { NOTIFICATIONS_PUBLIC_URL: `http://127.0.0.1:${ports.sync}` } : {}),
        ...((o.serviceEnv || {})[s] || {}),
      }, NODE_FLAGS[s]),
    );
    await Promise.all(SERVICES.map((s, i) => waitHealthy(s, `${urls[s]}/api/health`, procs[i], undefined, 60000)));
    const seed = simulatorSeedEnv(o.simulator, process.env);
    return { simOrigin, certPath, urls, ports, logDir, seed, startedInMs: Date.now() - t0, stop, children };
  } catch (e) {
    await stop();
    throw e;
  }
}

module.exports = { build, startStack, getJson, simulatorSeedEnv, SERVICES, DEFAULT_PORTS, NODE_FLAGS, root };
