import type { SyncRunView } from '@ocb/service-clients';
/**
 * In-process test rig for the sync service: the Graph + identity simulator on msw, and the sync
 * app on a fresh database, its Graph token fetched by client credentials straight from the
 * simulator's token endpoint (instead of the auth service).
 */
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DatabaseKind } from '@ocb/persistence';
import {
  createTestApp,
  createTestDatabase,
  INTERNAL_AUTH,
  PLATFORM_AUTH,
  startInProcessSimulator,
  type InProcessSimulator,
  type TestApp,
  type TestDatabase,
} from '@ocb/testing';
import { AppModule } from '../app.module';
import { loadSyncConfig, type SyncConfig } from '../config/sync.config';
import { EventsRepository } from '../events/events.repository';
import { GraphStats } from '../graph/graph-stats.service';
import { GRAPH_TOKEN_PROVIDER, type GraphTokenProvider } from '../graph/graph.tokens';
import { DEFAULT_SYNC_TUNING, SYNC_TUNING, type SyncTuning } from '../sync/sync-tuning';

/** App-only token by client credentials from the (in-process) identity platform. */
export function clientCredentialsTokenProvider(config: SyncConfig): GraphTokenProvider {
  let cached: { token: string; until: number } | null = null;
  return async (ctx) => {
    if (!ctx.forceRefresh && cached && cached.until > Date.now()) return cached.token;
    const res = await fetch(`${config.AUTHORITY_HOST}/${config.TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: config.CLIENT_ID,
        client_secret: config.CLIENT_SECRET,
        scope: `${config.GRAPH_BASE_URL}/.default`,
      }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string };
    if (!res.ok || !body.access_token) throw new Error(`token endpoint answered ${res.status}: ${body.error ?? ''}`);
    cached = { token: body.access_token, until: Date.now() + ((body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  };
}

export interface SyncRig {
  app: TestApp;
  url: string;
  db: TestDatabase;
  config: SyncConfig;
  stats: GraphStats;
  events: EventsRepository;
  ds: DataSource;
  close(): Promise<void>;
}

export async function startSync(
  kind: DatabaseKind,
  sim: InProcessSimulator,
  env: Record<string, string> = {},
  tuning: Partial<SyncTuning> = {},
): Promise<SyncRig> {
  const db = await createTestDatabase(kind, 'sync');
  const config = loadSyncConfig({
    DATABASE_URL: db.url,
    GRAPH_BASE_URL: sim.graphBaseUrl,
    AUTHORITY_HOST: sim.authorityHost,
    SYNC_CRON_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createTestApp(AppModule.forRoot(config), {}, (b) =>
    b
      .overrideProvider(GRAPH_TOKEN_PROVIDER)
      .useValue(clientCredentialsTokenProvider(config))
      .overrideProvider(SYNC_TUNING)
      .useValue({ ...DEFAULT_SYNC_TUNING, ...tuning }),
  );
  return {
    app,
    url: app.url,
    db,
    config,
    stats: app.app.get(GraphStats),
    events: app.app.get(EventsRepository),
    ds: app.app.get<DataSource>(getDataSourceToken()),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

async function call<T>(rig: SyncRig, method: string, path: string, internal = false): Promise<HttpAnswer<T>> {
  const res = await fetch(`${rig.url}/api/${path.replace(/^\//, '')}`, { method, headers: internal ? INTERNAL_AUTH : PLATFORM_AUTH });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export const api = {
  get: <T = Record<string, unknown>>(rig: SyncRig, path: string) => call<T>(rig, 'GET', path),
  post: <T = Record<string, unknown>>(rig: SyncRig, path: string) => call<T>(rig, 'POST', path),
  internalGet: <T = Record<string, unknown>>(rig: SyncRig, path: string) => call<T>(rig, 'GET', `internal/${path}`, true),
  internalPost: <T = Record<string, unknown>>(rig: SyncRig, path: string) => call<T>(rig, 'POST', `internal/${path}`, true),
};

/** A run's figures as GET /api/sync/runs/{runId} answers them. */
export type RunFigures = SyncRunView;

/** Starts a full sync and waits for its end. */
export async function fullSync(rig: SyncRig, timeoutMs = 60_000): Promise<RunFigures> {
  const started = await api.post<{ runId: string }>(rig, 'sync/full');
  if (started.status !== 202) throw new Error(`POST sync/full answered ${started.status}: ${JSON.stringify(started.body)}`);
  return waitRun(rig, started.body.runId, timeoutMs);
}

export async function waitRun(rig: SyncRig, runId: string, timeoutMs = 60_000): Promise<RunFigures> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.get<RunFigures>(rig, `sync/runs/${runId}`);
    if (r.body.status !== 'running') return r.body;
    if (Date.now() > until) throw new Error(`run ${runId} still running after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** What calendarView shows of a mailbox over a window (the simulator's truth): non-cancelled instance ids. */
export function truth(sim: InProcessSimulator, userId: string, from: Date, to: Date): string[] {
  const state = sim.simulator.state;
  const mb = state.mailboxOf(userId);
  if (!mb) return [];
  return state
    .view(mb, from.getTime(), to.getTime())
    .filter((i) => !i.record.isCancelled)
    .map((i) => i.id);
}

export { startInProcessSimulator, PLATFORM_AUTH, INTERNAL_AUTH };

/**
 * Makes the database refuse rows of `table` whose `column` equals `value` (a trigger, on SQLite and
 * PostgreSQL): a stand-in for one bad row. Returns the function that lifts the refusal.
 */
export async function refuseRows(rig: SyncRig, table: string, column: string, value: string): Promise<() => Promise<void>> {
  const name = `test_refuse_${table}_${Math.random().toString(36).slice(2, 8)}`;
  const literal = `'${value.replace(/'/g, "''")}'`;
  if (rig.ds.options.type === 'postgres') {
    await rig.ds.query(
      `CREATE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN IF NEW.${column} = ${literal} THEN RAISE EXCEPTION 'refused by test trigger ${name}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await rig.ds.query(`CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return async () => {
      await rig.ds.query(`DROP TRIGGER ${name} ON ${table}`);
      await rig.ds.query(`DROP FUNCTION ${name}()`);
    };
  }
  for (const when of ['INSERT', 'UPDATE']) {
    await rig.ds.query(
      `CREATE TRIGGER ${name}_${when} BEFORE ${when} ON ${table} WHEN NEW.${column} = ${literal} BEGIN SELECT RAISE(ABORT, 'refused by test trigger ${name}'); END`,
    );
  }
  return async () => {
    for (const when of ['INSERT', 'UPDATE']) await rig.ds.query(`DROP TRIGGER ${name}_${when}`);
  };
}

/** The cached event ids of a mailbox, sorted. */
export async function cachedIds(rig: SyncRig, userId: string): Promise<string[]> {
  const rows = await rig.ds.query(`SELECT id FROM sync_events WHERE user_id = ${rig.ds.options.type === 'postgres' ? '$1' : '?'}`, [userId]);
  return (rows as Array<{ id: string }>).map((r) => r.id).sort();
}

const DAY_MS = 86_400_000;

/** The default sync window (1 day back, 90 ahead, whole UTC days). */
export function defaultWindow(now = Date.now()): { from: Date; to: Date } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { from: new Date(today - DAY_MS), to: new Date(today + 91 * DAY_MS) };
}
