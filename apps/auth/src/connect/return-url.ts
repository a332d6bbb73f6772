/** Parses ALLOWED_RETURN_URLS (comma-separated absolute URL prefixes). */
export function parseAllowList(value: string): URL[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new URL(s));
}

/**
 * True when `candidate` is an absolute http(s) URL under one of the allowed prefixes: same origin
 * and, after normalisation, the same path prefix ending at a path boundary. Anything else would
 * be an open redirect.
 */
export function isAllowedReturnUrl(candidate: string, allowList: URL[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  return allowList.some((prefix) => {
    if (prefix.origin !== url.origin) return false;
    const base = prefix.pathname;
    if (base === '/' || url.pathname === base) return true;
    const withSlash = base.endsWith('/') ? base : `${base}/`;
    return url.pathname.startsWith(withSlash);
  });
}

/** The return URL with `connected=1` added to its query. */
export function withConnectedFlag(returnUrl: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('connected', '1');
  return url.toString();
}
