import { ServiceError } from './service-error';

export interface InternalHttpOptions {
  baseUrl: string;
  internalKey: string;
  /** Attempts on connection errors and 502/503/504 (default 3). */
  attempts?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** JSON over HTTP to a sibling service's /api/internal routes, with the internal key. */
export class InternalHttp {
  constructor(private readonly options: InternalHttpOptions) {}

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string | number | undefined>,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const attempts = this.options.attempts ?? 3;
    const doFetch = this.options.fetchImpl ?? fetch;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${this.options.internalKey}`,
            Accept: 'application/json',
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
        });
      } catch (e) {
        lastError = e;
        if (attempt < attempts) await delay(200 * 2 ** attempt);
        continue;
      }
      if ([502, 503, 504].includes(res.status) && attempt < attempts && method === 'GET') {
        await delay(200 * 2 ** attempt);
        continue;
      }
      const text = await res.text();
      const json = text ? safeJson(text) : undefined;
      if (!res.ok) {
        const b = (json ?? {}) as Record<string, unknown>;
        const { statusCode: _s, code, message, ...extra } = b;
        throw new ServiceError(
          res.status,
          typeof code === 'string' ? code : res.status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR',
          typeof message === 'string' ? message : `${method} ${url.pathname} answered ${res.status}`,
          extra,
        );
      }
      return json as T;
    }
    throw new ServiceError(
      503,
      'UPSTREAM_UNAVAILABLE',
      `${method} ${url.host}${url.pathname} unreachable: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
