/** Request paths and headers: query strings, Prefer preferences, links on the Graph origin. */
import { GraphApiError } from './errors';

/** Read preferences asked on every calendar read: instants in UTC, bodies as plain text. */
export const CALENDAR_READ_PREFER = ['outlook.timezone="UTC"', 'outlook.body-content-type="text"'];

/** Appends query parameters (values URL-encoded) to a path or link. */
export function withQuery(pathOrUrl: string, query?: Record<string, string | number>): string {
  if (!query) return pathOrUrl;
  const parts = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  if (!parts.length) return pathOrUrl;
  return `${pathOrUrl}${pathOrUrl.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

/** Adds preferences to a Prefer header (comma-separated, existing ones kept). */
export function withPrefer(
  headers: Record<string, string> | undefined,
  prefer: string[],
  override = false,
): Record<string, string> | undefined {
  if (!prefer.length) return headers;
  const out: Record<string, string> = { ...headers };
  const key = Object.keys(out).find((k) => k.toLowerCase() === 'prefer') ?? 'Prefer';
  const name = (p: string): string => p.split('=')[0].trim().toLowerCase();
  const existing = out[key]
    ? out[key]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const added = new Set(prefer.map(name));
  const kept = override ? existing.filter((p) => !added.has(name(p))) : existing;
  const keptNames = new Set(kept.map(name));
  out[key] = [...kept, ...prefer.filter((p) => !keptNames.has(name(p)))].join(', ');
  return out;
}

/** Absolute links on the Graph origin → a path (with the version when keepVersion); other origins are refused. */
export function relativeUrl(origin: string, pathOrUrl: string, keepVersion = false): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl))
    return keepVersion ? pathOrUrl : splitVersion(pathOrUrl).path;
  const url = new URL(pathOrUrl);
  if (url.origin !== origin) {
    throw new GraphApiError({
      status: 400,
      code: 'ForeignLink',
      message: `refusing to send a Graph token to ${url.origin}`,
      kind: 'invalid',
    });
  }
  const rest = pathOrUrl.slice(pathOrUrl.indexOf('/', pathOrUrl.indexOf('://') + 3));
  return keepVersion ? rest : splitVersion(rest).path;
}

/** `/v1.0/x` → version v1.0, path `/x`; a path without a version stays as it is (with a leading slash). */
export function splitVersion(path: string): { version?: string; path: string } {
  const m = /^\/?(v1\.0|beta)(\/.*|\?.*)?$/.exec(path);
  if (!m) return { path: path.startsWith('/') ? path : `/${path}` };
  return { version: m[1], path: m[2] ?? '/' };
}

/** The path of a target, without its query. */
export function pathOnly(target: string): string {
  return target.split('?')[0];
}
