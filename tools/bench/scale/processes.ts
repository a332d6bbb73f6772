/**
 * The scale test's processes: the built services as production runs them (each its own process),
 * several replicas of a service on one PostgreSQL database per service and one Redis, against the
 * standalone simulator over HTTPS; and a Standard Webhooks receiver for notifications' deliveries.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { ROOT, start, waitFor } from '../support';

export interface Replica {
  name: string;
  base: string;
  proc: ChildProcess;
  restart(): Promise<void>;
}

/** Starts `dist/apps/<app>/main.js` with `env` and waits for its health route. */
export async function launch(name: string, app: string, port: number, env: Record<string, string>): Promise<Replica> {
  const base = `http://127.0.0.1:${port}`;
  const replica: Replica = {
    name,
    base,
    proc: await start(name, join(ROOT, 'dist', 'apps', app, 'main.js'), env, null),
    restart: async () => {
      replica.proc = await start(name, join(ROOT, 'dist', 'apps', app, 'main.js'), env, null);
      await waitFor(`${base}/api/health`, name);
    },
  };
  replica.proc.on('error', () => undefined);
  await waitFor(`${base}/api/health`, name);
  return replica;
}

/** SIGKILL, and resolves once the process is gone. */
export function kill(r: Replica): Promise<void> {
  if (r.proc.exitCode !== null || r.proc.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((res) => r.proc.once('exit', () => res()));
  r.proc.kill('SIGKILL');
  return gone;
}

/** One fresh PostgreSQL database per service (`<label>_<service>`) on the server of `admin`. */
export async function databases(admin: string, label: string, services: string[]): Promise<{ url: (s: string) => string; drop: () => Promise<void> }> {
  const c = new Client({ connectionString: admin });
  await c.connect();
  for (const s of services) {
    await c.query(`DROP DATABASE IF EXISTS "${label}_${s}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${label}_${s}"`);
  }
  await c.end();
  const url = (s: string): string => {
    const u = new URL(admin);
    u.pathname = `/${label}_${s}`;
    return u.toString();
  };
  return {
    url,
    drop: async () => {
      const d = new Client({ connectionString: admin });
      await d.connect();
      for (const s of services) await d.query(`DROP DATABASE IF EXISTS "${label}_${s}" WITH (FORCE)`);
      await d.end();
    },
  };
}

export interface Delivery {
  webhookId: string;
  id: string;
  subject: string;
  verified: boolean;
  at: number;
}

/** A Standard Webhooks receiver (`standardwebhooks` verifies each delivery) on `port`. */
export function receiver(port: number, secret: string): Promise<{ server: Server; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const hook = new Webhook(secret);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      let verified = true;
      try {
        hook.verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      const parsed = JSON.parse(body) as { id: string; event: { subject: string } };
      deliveries.push({ webhookId: String(req.headers['webhook-id']), id: parsed.id, subject: parsed.event.subject, verified, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r({ server, deliveries })));
}

/** The environment every service gets (as tools/stack/stack.js gives it), pointed at these ports. */
export function commonEnv(o: { simOrigin: string; certPath: string; authPort: number; syncPort: number; actionsPort: number; notificationsPort: number }): Record<string, string> {
  return {
    NODE_ENV: 'development',
    NODE_EXTRA_CA_CERTS: o.certPath,
    GRAPH_BASE_URL: o.simOrigin,
    AUTHORITY_HOST: o.simOrigin,
    HOST: '127.0.0.1',
    AUTH_URL: `http://127.0.0.1:${o.authPort}`,
    SYNC_URL: `http://127.0.0.1:${o.syncPort}`,
    ACTIONS_URL: `http://127.0.0.1:${o.actionsPort}`,
    NOTIFICATIONS_URL: `http://127.0.0.1:${o.notificationsPort}`,
    AUTH_PUBLIC_URL: `http://localhost:${o.authPort}`,
    AUTH_PORT: String(o.authPort),
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    SWAGGER_ENABLED: 'false',
  };
}
