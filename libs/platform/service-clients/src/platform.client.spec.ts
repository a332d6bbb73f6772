import { PlatformClient } from './platform.client';

describe('PlatformClient', () => {
  const calls: Array<{ url: string; method: string; headers: Record<string, string>; body: unknown }> = [];
  const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), method: init?.method ?? 'GET', headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return new Response(JSON.stringify({ id: 'e1', items: [] }), { status: 201, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const client = new PlatformClient({ urls: { auth: 'http://auth', sync: 'http://sync', actions: 'http://actions', notifications: 'http://n' }, platformKey: 'pk', fetchImpl });

  beforeEach(() => (calls.length = 0));

  it('sends the Idempotency-Key header on create when given one, and none otherwise', async () => {
    await client.createEvent('ana@contoso.com', { title: 'x' }, 'k-123');
    expect(calls[0]).toMatchObject({ url: 'http://actions/api/users/ana%40contoso.com/events', method: 'POST', body: { title: 'x' } });
    expect(calls[0]?.headers).toMatchObject({ 'Idempotency-Key': 'k-123', Authorization: 'Bearer pk' });
    await client.createEvent('ana@contoso.com', { title: 'x' });
    expect(Object.keys(calls[1]?.headers ?? {})).not.toContain('Idempotency-Key');
  });

  it('asks auth for the directory and sync for the sync state with the platform key', async () => {
    await client.directory("o'b", 5);
    expect(calls[0]?.url).toBe("http://auth/api/directory/users?q=o%27b&top=5");
    await client.syncState('ana@contoso.com');
    expect(calls[1]?.url).toBe('http://sync/api/users/ana%40contoso.com/sync-state');
    expect(calls.every((c) => c.headers['Authorization'] === 'Bearer pk')).toBe(true);
  });
});
