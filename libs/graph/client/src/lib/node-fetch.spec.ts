import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BufferedResponse, decodeBody, nodeFetch } from './node-fetch';

describe('nodeFetch', () => {
  let server: Server;
  let origin: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  const sockets = new Set<Socket>();
  let connections = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => handler(req, res, Buffer.concat(parts).toString('utf8')));
    });
    server.on('connection', (s: Socket) => {
      connections++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('answers status, headers and the whole body; text, json, arrayBuffer and clone read it', async () => {
    const chunk = JSON.stringify({ value: 'x'.repeat(100_000) });
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'request-id': 'r-1' });
      // several writes: the body arrives in several chunks
      for (let i = 0; i < chunk.length; i += 10_000) res.write(chunk.slice(i, i + 10_000));
      res.end();
    };
    const res = await nodeFetch()(`${origin}/v1.0/me`);
    expect(res).toBeInstanceOf(BufferedResponse);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('request-id')).toBe('r-1');
    expect((res as BufferedResponse).bytes.length).toBe(chunk.length);
    expect(await res.clone().text()).toBe(chunk);
    expect(((await res.clone().json()) as { value: string }).value).toHaveLength(100_000);
    expect(new Uint8Array(await res.arrayBuffer()).length).toBe(chunk.length);
  });

  it('sends method, headers and a string body', async () => {
    let seen: { method?: string; auth?: string; prefer?: string; body?: string } = {};
    handler = (req, res, body) => {
      seen = { method: req.method, auth: req.headers.authorization, prefer: String(req.headers.prefer), body };
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id":"1"}');
    };
    const res = await nodeFetch()(`${origin}/v1.0/me/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', Prefer: 'outlook.timezone="UTC"' },
      body: JSON.stringify({ subject: 'Hi' }),
    });
    expect(res.status).toBe(201);
    expect(seen).toEqual({ method: 'POST', auth: 'Bearer t', prefer: 'outlook.timezone="UTC"', body: '{"subject":"Hi"}' });
  });

  it('keeps connections alive between requests', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    const f = nodeFetch();
    const before = connections;
    for (let i = 0; i < 3; i++) expect(await (await f(`${origin}/x`)).text()).toBe('ok');
    expect(connections - before).toBe(1);
  });

  it('tells onWire when the request is on its connection: after connecting on a new one, at once on a kept-alive one', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    const f = nodeFetch();
    const seen: Array<{ connections: number }> = [];
    const before = connections;
    for (let i = 0; i < 2; i++) {
      let calls = 0;
      const res = await f(`${origin}/x`, { onWire: () => (calls++, seen.push({ connections: connections - before })) } as RequestInit);
      expect(await res.text()).toBe('ok');
      expect(calls).toBe(1);
    }
    // one connection made (for the first request), reused by the second
    expect(connections - before).toBe(1);
    expect(seen).toHaveLength(2);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    let wired = false;
    await expect(f(`http://127.0.0.1:${port}/x`, { onWire: () => (wired = true) } as RequestInit)).rejects.toThrow();
    expect(wired).toBe(false);
  });

  it('sends once more on a new connection when a kept-alive one was closed under the request (nothing answered)', async () => {
    const perSocket = new WeakMap<object, number>();
    handler = (req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      // the second request on a connection finds it closed by the server
      if (n === 2) req.socket.destroy();
      else res.writeHead(200).end(`answer on a connection's request ${n}`);
    };
    const f = nodeFetch();
    const before = connections;
    expect(await (await f(`${origin}/a`)).text()).toBe("answer on a connection's request 1");
    expect(await (await f(`${origin}/b`, { method: 'POST', body: '{}' })).text()).toBe("answer on a connection's request 1");
    expect(connections - before).toBe(2);
  });

  it('does not send again when a new connection fails (the error is the answer)', async () => {
    let seen = 0;
    handler = (req) => {
      seen++;
      req.socket.destroy();
    };
    await expect(nodeFetch()(`${origin}/x`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(seen).toBe(1);
  });

  it('answers 204 with an empty body', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    const res = await nodeFetch()(`${origin}/x`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('rejects with the signal’s reason when aborted while waiting for the answer', async () => {
    handler = () => undefined; // never answers
    const ac = new AbortController();
    const pending = nodeFetch()(`${origin}/slow`, { signal: ac.signal });
    const reason = new Error('timed out');
    setTimeout(() => ac.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects network failures (nothing listening)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(nodeFetch()(`http://127.0.0.1:${port}/x`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('decodes UTF-8 bodies, and ASCII ones the fast way, to the same text', () => {
    const text = '{"subject":"Café – Überblick 📅","n":1}';
    expect(decodeBody(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeBody(Buffer.from('{"a":"plain"}'))).toBe('{"a":"plain"}');
  });
});
