import { PLATFORM, stackInfo } from './support/stack';

const info = stackInfo();
const services = Object.entries(info.urls);

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
    expect((await docs.json()).openapi).toMatch(/^3\./);
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
