import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PLATFORM, stackInfo } from './support/stack';

const info = stackInfo();
// the API services; web serves pages to browsers (its own conventions are tested in web-pages.e2e.ts)
const services = Object.entries(info.urls).filter(([name]) => name !== 'web');

describe(`platform conventions on every service (${info.database})`, () => {
  it('all processes came up within 60 s', () => {
    expect(info.startedInMs).toBeLessThan(60_000);
  });

  it.each(services)('%s answers health, readiness, metrics and its OpenAPI document', async (_name, url) => {
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect((await fetch(`${url}/api/health/ready`)).status).toBe(200);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/http_request_duration_seconds/);
    const docs = await fetch(`${url}/api/docs-json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it.each(services)('%s: unknown route 404 and missing key 401 in the error shape', async (_name, url) => {
    const nf = await fetch(`${url}/api/does-not-exist`, { headers: PLATFORM });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
    const docs = (await (await fetch(`${url}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const guarded = Object.entries(docs.paths).find(
      ([p]) => p.startsWith('/api/') && !p.startsWith('/api/health') && !p.startsWith('/api/auth/connect') && !p.includes('/internal/'),
    );
    expect(guarded).toBeDefined();
    const [path, ops] = guarded!;
    const method = Object.keys(ops)[0]!.toUpperCase();
    const r = await fetch(`${url}${path.replace(/\{[^}]+\}/g, 'x')}`, { method });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  });
});

const root = resolve(__dirname, '../../..');
const UNSAFE = /PLATFORM_API_KEY|INTERNAL_API_KEY|TOKEN_ENCRYPTION_KEY|NOTIFY_WEBHOOK_SECRET|CLIENT_SECRET/;

/** Runs a built service to its exit (killed after 20 s), with exactly `env` plus PATH. */
function runService(service: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'dist/apps', service, 'main.js')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('NODE_ENV=production refuses the development keys', () => {
  const dir = join(root, 'tmp', `e2e-${info.database}`, 'production-check');
  beforeAll(() => mkdirSync(dir, { recursive: true }));

  it.each(services)('%s exits non-zero naming PLATFORM_API_KEY', async (name) => {
    const r = await runService(name, {
      NODE_ENV: 'production',
      PLATFORM_API_KEY: 'dev-platform-key',
      INTERNAL_API_KEY: 'dev-internal-key',
      // its own port is taken by the running stack: a service that starts anyway fails differently
      [`${name.toUpperCase()}_PORT`]: new URL(info.urls[name as keyof typeof info.urls]).port,
      DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`,
    });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toMatch(UNSAFE);
    expect(r.output).toMatch(/PLATFORM_API_KEY/);
  });

  // the built processes: the platform key never reaches an internal route, however its path is spelled
  it.each([
    ['auth', '/api/Internal/tokens/app'],
    ['auth', '/API/internal/tokens/app'],
    ['auth', '/api/INTERNAL/users/x/token'],
    ['auth', '/api/internal/tokens/app/'],
    ['auth', '/api/%69nternal/tokens/app'],
    ['sync', '/api/Internal/events/starting?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z'],
    ['sync', '/api/internal/users/x/'],
  ] as const)('%s %s with the platform key: 401 or no route, never the handler', async (service, path) => {
    const r = await fetch(`${info.urls[service]}${path}`, { headers: PLATFORM });
    expect([401, 404]).toContain(r.status);
    const body = (await r.json()) as { code: string; message: string };
    if (r.status === 404) expect(body.message).toMatch(/^No route /);
    else expect(body.code).toBe('UNAUTHORIZED');
  });
});
