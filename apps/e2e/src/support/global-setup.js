// Builds once, starts the simulator, the four services and a webhook receiver; writes where
// they listen to tmp/e2e-stack.json for the suites.
'use strict';
const { createServer } = require('node:http');
const { writeFileSync, mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { Client } = require('pg');
const { Webhook } = require('standardwebhooks');
const { build, startStack, SERVICES, root } = require('../../../../tools/stack/stack.js');

// E2E_PORT_OFFSET shifts every port (and names the PostgreSQL databases apart) so that two
// checkouts can run their e2e suites on one machine at once. One stack's ports are one block,
// 3100–3106 + offset, so any two offsets 10 or more apart never share a port.
const OFFSET = Number(process.env.E2E_PORT_OFFSET || 0);
if (!Number.isInteger(OFFSET) || OFFSET < 0 || OFFSET > 60000) {
  throw new Error(`E2E_PORT_OFFSET: must be an integer from 0 to 60000 (got ${process.env.E2E_PORT_OFFSET})`);
}
const PORTS = Object.fromEntries(
  Object.entries({ web: 3100, auth: 3101, sync: 3102, actions: 3103, notifications: 3104, simulator: 3105 }).map(([k, v]) => [k, v + OFFSET]),
);
const RECEIVER_PORT = 3106 + OFFSET;
// A Standard Webhooks secret (whsec_ + base64 key); a test value, not a secret.
const WEBHOOK_SECRET = `whsec_${Buffer.from('e2e-webhook-secret-32-bytes-long').toString('base64')}`;

/** The platform's side: verifies each delivery as a Standard Webhooks receiver would (with the package). */
function startReceiver() {
  const received = [];
  const refused = [];
  const hook = new Webhook(WEBHOOK_SECRET);
  let failNext = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/webhook') {
        if (failNext > 0) {
          failNext--;
          refused.push({ at: new Date().toISOString(), headers: req.headers });
          res.writeHead(503, { 'Retry-After': '1' }).end();
          return;
        }
        let verified;
        try {
          hook.verify(body, req.headers);
          verified = true;
        } catch (e) {
          verified = String(e.message);
        }
        received.push({ at: new Date().toISOString(), headers: req.headers, body, verified });
        res.writeHead(204).end();
      } else if (req.method === 'GET' && req.url === '/received') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      } else if (req.method === 'GET' && req.url === '/refused') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(refused));
      } else if (req.method === 'POST' && req.url === '/reset') {
        received.length = 0;
        refused.length = 0;
        failNext = Number(JSON.parse(body || '{}').failNext || 0);
        res.writeHead(204).end();
      } else res.writeHead(404).end();
    });
  });
  return new Promise((r) => server.listen(RECEIVER_PORT, '127.0.0.1', () => r(server)));
}

async function postgresUrls(label) {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('E2E_DATABASE=postgres needs TEST_DATABASE_URL');
  const c = new Client({ connectionString: admin });
  await c.connect();
  const urls = {};
  for (const s of SERVICES) {
    const name = `ocb_${label}${OFFSET ? `_${OFFSET}` : ''}_${s}`;
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    urls[s] = u.toString();
  }
  await c.end();
  return urls;
}

module.exports = async function globalSetup() {
  const database = process.env.E2E_DATABASE || 'sqlite';
  const dataDir = join(root, 'tmp', `e2e-${database}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  build();
  const pg = database === 'postgres' ? await postgresUrls('e2e') : undefined;
  const receiver = await startReceiver();
  const stack = await startStack({
    dataDir,
    ports: PORTS,
    database,
    databaseUrl: pg ? (s) => pg[s] : undefined,
    simulator: { seed: 7, users: 12, eventsPerUser: 20 },
    env: {
      LOG_LEVEL: 'info',
      SYNC_CRON_ENABLED: 'false',
      ALLOWED_RETURN_URLS: `http://localhost:3000/,http://localhost:${PORTS.web}/`,
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${RECEIVER_PORT}/webhook`,
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      REMINDER_PLAN_INTERVAL_SECONDS: '2',
    },
  });
  globalThis.__E2E__ = { stack, receiver };
  const info = {
    database,
    simOrigin: stack.simOrigin,
    certPath: stack.certPath,
    urls: stack.urls,
    receiver: `http://127.0.0.1:${RECEIVER_PORT}`,
    webhookSecret: WEBHOOK_SECRET,
    logDir: stack.logDir,
    startedInMs: stack.startedInMs,
    // the browser suites' Chromium: Debian's package unless CHROMIUM_PATH names another
    chromiumPath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  writeFileSync(join(root, 'tmp', 'e2e-stack.json'), JSON.stringify(info, null, 2));
  console.log(`\ne2e stack on ${database} healthy in ${stack.startedInMs} ms`);
};
