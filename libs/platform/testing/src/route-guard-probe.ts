import type { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';

/** A route as the Express router holds it: method and declared path (`/api/internal/users/:user/token`). */
export interface RouteInfo {
  method: string;
  path: string;
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every route registered on a Nest app's Express router (walked, so a new route cannot be missed). */
export function registeredRoutes(app: INestApplication): RouteInfo[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: ExpressLayer[] }; _router?: { stack: ExpressLayer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const out: RouteInfo[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all')) {
      for (const path of paths) out.push({ method: method.toUpperCase(), path });
    }
  }
  return out;
}

/** A concrete path for a declared one: every `:param` filled in. */
export function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => `probe-${name}`).replace(/\{\/?\*\w*\}|\*\w*/g, 'x');
}

/**
 * The spellings of one path that reach the same handler but differ from the canonical text:
 * letter case, a doubled or encoded slash, a `/./` segment, a trailing slash, percent-encoded
 * letters (the tricks a guard comparing the raw path falls for).
 */
export function pathVariants(path: string): string[] {
  const segs = path.split('/'); // ['', 'api', 'internal', ...]
  const second = segs[2] ?? '';
  const withSecond = (s: string): string => ['', segs[1], s, ...segs.slice(3)].join('/');
  const variants = [
    path.replace(/^\/api/, '/API'),
    withSecond(second.charAt(0).toUpperCase() + second.slice(1)),
    withSecond(second.toUpperCase()),
    path.replace(/^\/api\//, '/api//'),
    path.replace(/^\/api\//, '//api/'),
    path.replace(/^\/api\//, '/api%2F'),
    path.replace(/^\/api\//, '/api/./'),
    path.replace(/^\/api\//, '/api/x/../'),
    `${path}/`,
    withSecond(second ? `%${second.charCodeAt(0).toString(16)}${second.slice(1)}` : second),
    withSecond(second ? `%${second.charCodeAt(0).toString(16).toUpperCase()}${second.slice(1)}` : second),
  ];
  return [...new Set(variants)].filter((v) => v !== path);
}

/** Sends the path exactly as written (no client-side normalisation of `/./`, `//` or `%xx`). */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(baseUrl);
  const body = method === 'GET' || method === 'DELETE' || method === 'HEAD' ? undefined : '{}';
  const sent = { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method, path, headers: sent, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (e: Error) => reject(new Error(`${method} ${path}: ${e.message}`)));
    req.end(body);
  });
}

export interface GuardProbeResult {
  /** Routes probed, by kind. */
  internal: RouteInfo[];
  platform: RouteInfo[];
  /** Requests that got past the guard with the wrong key: `METHOD path -> status`. */
  breaches: string[];
  /** Internal routes that refused the internal key on their canonical path. */
  refusedInternalKey: string[];
}

/**
 * Probes every keyed route of an app: internal routes (`/api/internal/**`) with the platform key
 * and platform routes with the internal key, on the canonical path and every variant of it. The
 * wrong key must always meet 401 (or the router's 404 where the variant reaches no route); anything else means
 * the request reached the handler. Routes that answer without any key (health, docs, browser
 * redirects) are skipped.
 */
export async function probeRouteGuards(app: INestApplication, baseUrl: string, keys: { platformKey: string; internalKey: string }): Promise<GuardProbeResult> {
  const result: GuardProbeResult = { internal: [], platform: [], breaches: [], refusedInternalKey: [] };
  const bearer = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
  for (const route of registeredRoutes(app)) {
    if (!route.path.startsWith('/api/') || !['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) || /\*/.test(route.path)) continue;
    const path = concretePath(route.path);
    const internal = /^\/api\/internal(\/|$)/.test(route.path);
    const anonymous = await rawRequest(baseUrl, route.method, path, {});
    if (anonymous.status !== 401) continue; // public
    (internal ? result.internal : result.platform).push(route);
    const wrongKey = bearer(internal ? keys.platformKey : keys.internalKey);
    for (const p of [path, ...pathVariants(path)]) {
      const r = await rawRequest(baseUrl, route.method, p, wrongKey);
      // 401 from the guard, or the router's own 404 ("No route GET ...") where a variant reaches no route
      const noRoute = r.status === 404 && /"message":"No route /.test(r.body);
      if (r.status !== 401 && !noRoute) result.breaches.push(`${route.method} ${p} -> ${r.status} ${r.body.slice(0, 120)}`);
    }
    if (internal) {
      const right = await rawRequest(baseUrl, route.method, path, bearer(keys.internalKey));
      if (right.status === 401) result.refusedInternalKey.push(`${route.method} ${path}`);
    }
  }
  return result;
}
