#!/usr/bin/env node
// `npm start`: builds what is needed and runs the Graph simulator and the four services
// together on SQLite files under ./data, offline. Ctrl-C stops everything.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { build, startStack, getJson } = require('../stack/stack.js');
import { readFileSync } from 'node:fs';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const t0 = Date.now();
console.log('Building the simulator and the four services (cached after the first run)...');
build();
console.log(`Built in ${((Date.now() - t0) / 1000).toFixed(1)} s. Starting...`);

let stack;
try {
  stack = await startStack({ dataDir: join(root, 'data'), echo: false });
} catch (e) {
  console.error(`Start failed: ${e.message}. Logs: data/logs/`);
  process.exit(1);
}

const platformKey = 'dev-platform-key';
const { urls, simOrigin, certPath, seed } = stack;
// warm the cache: one full sync of the seeded tenant
let users = [];
try {
  const r = await fetch(`${urls.sync}/api/sync/full`, { method: 'POST', headers: { Authorization: `Bearer ${platformKey}` } });
  const { runId } = await r.json();
  const list = await getJson(`${simOrigin}/_sim/users`, readFileSync(certPath)).catch(() => undefined);
  users = list?.value ?? [];
  console.log(`Full sync started (run ${runId}).`);
} catch {
  /* the services are up; the sync can be started by hand */
}
const withMailbox = users.filter((u) => u.hasMailbox !== false);
const demo = withMailbox[0] ?? { userPrincipalName: 'adele.vance@contoso.com' };
const upn = demo.userPrincipalName;

console.log(`
All six processes are healthy (${((Date.now() - t0) / 1000).toFixed(1)} s after npm start).

  graph-simulator  ${simOrigin}      (admin API under /_sim; certificate ${certPath})
  auth             ${urls.auth}      docs ${urls.auth}/api/docs
  sync             ${urls.sync}      docs ${urls.sync}/api/docs
  actions          ${urls.actions}      docs ${urls.actions}/api/docs
  notifications    ${urls.notifications}      docs ${urls.notifications}/api/docs
  web              ${urls.web}      the microapp pages: open it in a browser and sign in as ${upn}

  Tenant: ${seed.SIM_SEED_USERS} users with ${seed.SIM_SEED_EVENTS} events each, seed ${seed.SIM_SEED} (SIM_SEED_USERS, SIM_SEED_EVENTS, SIM_SEED)

  Change notifications: on (the simulator posts to ${urls.sync}/api/notifications/graph; a change
  made through /_sim reaches the cache within about a second; state: GET ${urls.sync}/api/sync/subscriptions)

  Platform key (Authorization: Bearer ...): ${platformKey}
  Internal key (service to service):        dev-internal-key
  Logs: data/logs/<service>.log     Databases: data/<service>.db

Try journey 2 (a seeded user: ${upn}):
  # 1. connect: open in a browser, or follow the redirects with curl
  curl -sL -o /dev/null -w '%{url_effective}\\n' --cacert ${certPath} '${urls.auth}/api/auth/connect?user=${upn}'
  curl -s -H 'Authorization: Bearer ${platformKey}' ${urls.auth}/api/auth/users/${upn}/connection
  # 2. create an event
  curl -s -X POST -H 'Authorization: Bearer ${platformKey}' -H 'Content-Type: application/json' \\
    ${urls.actions}/api/users/${upn}/events -d '{"title":"Design review","start":"2026-12-15T10:00:00","end":"2026-12-15T11:00:00","timeZone":"Pacific Standard Time","recurrence":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"],"count":4},"attendees":["${withMailbox[1]?.userPrincipalName ?? 'ana@contoso.com'}"],"isOnlineMeeting":true}'
  # 3. find it
  curl -s -H 'Authorization: Bearer ${platformKey}' '${urls.sync}/api/users/${upn}/events?q=design'

Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
for (const { name, child } of stack.children) {
  child.on('exit', (code) => {
    if (!stopping) console.error(`${name} exited (code ${code}); see data/logs/${name}.log`);
  });
}
