import { Client, ResponseType, type GraphRequest, type Middleware } from '@microsoft/microsoft-graph-client';
import { SystemClock, type Clock } from '@ocb/clock';
import { runBatch } from './batch';
import { deltaRound } from './delta-round';
import { sleep } from './middleware/util';
import { chainFailure, GraphApiError, graphErrorCode, graphErrorMessage, graphRequestId } from './errors';
import { AuthMiddleware } from './middleware/auth.middleware';
import { GraphCallContext, mailboxFromPath } from './middleware/call-context';
import { HttpMiddleware } from './middleware/http.middleware';
import { nodeFetch } from './node-fetch';
import { RateLimitMiddleware } from './middleware/rate-limit.middleware';
import { RetryMiddleware } from './middleware/retry.middleware';
import { TelemetryMiddleware } from './middleware/telemetry.middleware';
import type { GraphEvent, GraphPage, GraphUser } from './models';
import type {
  BatchItem,
  BatchOptions,
  BatchResult,
  CalendarViewOptions,
  GraphClientOptions,
  PageOptions,
  RequestOptions,
  UsersOptions,
  WriteOptions,
} from './options';
import { parseRetryAfter } from './time';
import { GRANT_SLACK_MS, PARSE_BYTES_PER_MS, readBody, SEND_AFTER_GRANT_MS } from './read-body';
import { CALENDAR_READ_PREFER, pathOnly, relativeUrl, splitVersion, withPrefer, withQuery } from './request-url';

export { CALENDAR_READ_PREFER, withPrefer, withQuery } from './request-url';

export const DEFAULT_MAX_RETRIES = 6;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
const API_VERSION = 'v1.0';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface Sent {
  status: number;
  headers: Headers;
  body: unknown;
  attempts: number;
}

/**
 * The one Graph client: the official SDK with our middleware chain
 * (auth → retry → rate limit → telemetry → HTTP), plus paging, delta, batching and typed reads.
 */
export class GraphClient {
  readonly sdk: Client;
  private readonly origin: string;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly random: () => number;

  constructor(private readonly options: GraphClientOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.clock = options.clock ?? new SystemClock();
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
    this.random = options.random ?? Math.random;
    const chain: Middleware[] = [
      new AuthMiddleware(options.tokenProvider),
      new RetryMiddleware({
        maxRetries: this.maxRetries,
        baseDelayMs: this.retryBaseDelayMs,
        maxDelayMs: this.retryMaxDelayMs,
        clock: this.clock,
        random: this.random,
        telemetry: options.telemetry,
      }),
    ];
    if (options.limiter) chain.push(new RateLimitMiddleware(options.limiter, this.clock));
    if (options.telemetry) chain.push(new TelemetryMiddleware(options.telemetry, this.clock));
    chain.push(
      new HttpMiddleware(
        options.fetchImpl ?? nodeFetch(),
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        this.clock,
      ),
    );
    for (let i = 0; i < chain.length - 1; i++) chain[i].setNext?.(chain[i + 1]);
    this.sdk = Client.initWithMiddleware({
      baseUrl: this.origin,
      defaultVersion: API_VERSION,
      middleware: chain[0],
      customHosts: new Set([base.hostname]),
    });
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('GET', path, undefined, opts)).body as T;
  }

  async post<T>(path: string, body: unknown, opts: WriteOptions = {}): Promise<T> {
    return (await this.send('POST', path, body, opts)).body as T;
  }

  async patch<T>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('PATCH', path, body, opts)).body as T;
  }

  async put<T>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return (await this.send('PUT', path, body, opts)).body as T;
  }

  /** A 404 after a retried attempt counts as done (the first attempt deleted it, its answer was lost). */
  async delete(path: string, opts: RequestOptions = {}): Promise<void> {
    const call = this.callContext(path, opts, false);
    try {
      await this.send('DELETE', path, undefined, opts, call);
    } catch (err) {
      if (err instanceof GraphApiError && err.status === 404 && call.attempts > 1) return;
      throw err;
    }
  }

  /** Pages of a collection, following `@odata.nextLink` (absolute links accepted) to the end. */
  async *pages<T>(pathOrUrl: string, opts: PageOptions = {}): AsyncIterable<T[]> {
    const headers = withPrefer(opts.headers, opts.pageSize ? [`odata.maxpagesize=${opts.pageSize}`] : []);
    let next: string | undefined = withQuery(pathOrUrl, opts.query);
    while (next) {
      const page: GraphPage<T> = await this.get<GraphPage<T>>(next, { ...opts, query: undefined, headers });
      yield page.value ?? [];
      next = page['@odata.nextLink'];
    }
  }

  async collect<T>(pathOrUrl: string, opts: PageOptions = {}): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages<T>(pathOrUrl, opts)) all.push(...page);
    return all;
  }

  /**
   * Runs a delta round from a start path (e.g. `/users/x/calendarView/delta?startDateTime=..`) or a
   * stored deltaLink: follows nextLinks until `@odata.deltaLink`. `@removed` entries come back as
   * ids in `removed`. An expired sync state (410, SyncStateNotFound...) throws kind `sync-reset`.
   * calendarView deltas get the same UTC / text-body preferences as calendarView.
   */
  async delta<T extends { id: string }>(
    startPathOrDeltaLink: string,
    opts: PageOptions = {},
  ): Promise<{ items: T[]; removed: string[]; deltaLink: string }> {
    let headers = withPrefer(opts.headers, opts.pageSize ? [`odata.maxpagesize=${opts.pageSize}`] : []);
    if (/calendarview\/delta/i.test(startPathOrDeltaLink))
      headers = withPrefer(headers, CALENDAR_READ_PREFER, true);
    return deltaRound<T>((link) => this.get(link, { ...opts, query: undefined, headers }), withQuery(startPathOrDeltaLink, opts.query));
  }

  /**
   * JSON batching: chunks of ≤ 20; items answered 429 (or 500/502/503/504 when safe to repeat) are
   * re-sent (in a later batch) after their own Retry-After, else backoff, within `maxRetries`. Results for every item, in input order.
   */
  batch(requests: BatchItem[], opts: BatchOptions = {}): Promise<BatchResult[]> {
    return runBatch(requests, opts, {
      clock: this.clock,
      maxRetries: this.maxRetries,
      baseDelayMs: this.retryBaseDelayMs,
      maxDelayMs: this.retryMaxDelayMs,
      random: this.random,
      limiter: this.options.limiter,
      telemetry: this.options.telemetry,
      relativeUrl: (url) => relativeUrl(this.origin, url),
      postBatch: async (body, limiterKey, idempotent, items) => {
        const explicit = opts.mailbox?.trim() || undefined;
        const call = GraphCallContext.from({
          limiterKey: explicit?.toLowerCase() ?? limiterKey,
          tokenMailbox: explicit ?? (limiterKey === 'me' ? undefined : limiterKey),
          idempotent,
          weight: items,
        });
        return (await this.send('POST', '/$batch', body, { signal: opts.signal }, call)).body;
      },
    });
  }

  async *users(opts: UsersOptions = {}): AsyncIterable<GraphUser[]> {
    const select = opts.select ?? ['id', 'displayName', 'mail', 'userPrincipalName', 'givenName', 'surname'];
    const query: Record<string, string | number> = { $select: select.join(',') };
    if (opts.pageSize) query['$top'] = opts.pageSize;
    yield* this.pages<GraphUser>('/users', { query, signal: opts.signal });
  }

  /**
   * Occurrences, exceptions and single events of `user` between `from` and `to`, always with
   * `Prefer: outlook.timezone="UTC"` and `outlook.body-content-type="text"`.
   */
  async *calendarView(
    user: string,
    from: Date,
    to: Date,
    opts: CalendarViewOptions = {},
  ): AsyncIterable<GraphEvent[]> {
    const path = opts.delegated ? '/me/calendarView' : `/users/${encodeURIComponent(user)}/calendarView`;
    const query: Record<string, string | number> = {
      startDateTime: from.toISOString(),
      endDateTime: to.toISOString(),
    };
    if (opts.select?.length) query['$select'] = opts.select.join(',');
    if (opts.pageSize) query['$top'] = opts.pageSize;
    yield* this.pages<GraphEvent>(path, {
      query,
      mailbox: user,
      signal: opts.signal,
      headers: withPrefer(opts.headers, CALENDAR_READ_PREFER, true),
    });
  }

  // --- plumbing -------------------------------------------------------------------------

  private callContext(path: string, opts: RequestOptions, idempotent: boolean): GraphCallContext {
    const explicit = opts.mailbox?.trim() || undefined;
    const derived = mailboxFromPath(path);
    return GraphCallContext.from({
      limiterKey: explicit?.toLowerCase() ?? derived,
      tokenMailbox: explicit ?? (derived === 'me' ? undefined : derived),
      idempotent,
    });
  }

  private async send(
    method: Method,
    path: string,
    body: unknown,
    opts: WriteOptions,
    call?: GraphCallContext,
  ): Promise<Sent> {
    const target = withQuery(path, opts.query);
    const context = call ?? this.callContext(target, opts, opts.idempotent ?? false);
    let request: GraphRequest;
    try {
      request = this.request(target);
    } catch (err) {
      if (err instanceof GraphApiError) throw err;
      throw new GraphApiError({
        status: 400,
        code: 'InvalidRequestUrl',
        message: String(err),
        kind: 'invalid',
        cause: err,
      });
    }
    request.responseType(ResponseType.RAW).middlewareOptions([context]);
    if (opts.headers) request.headers(opts.headers);
    if (opts.signal) request.option('signal', opts.signal);
    let response: Response;
    try {
      switch (method) {
        case 'GET':
          response = await request.get();
          break;
        case 'POST':
          response = await request.post(body);
          break;
        case 'PATCH':
          response = await request.patch(body);
          break;
        case 'PUT':
          response = await request.put(body);
          break;
        case 'DELETE':
          response = await request.delete();
          break;
      }
    } catch (err) {
      throw chainFailure(context.failure ?? err);
    }
    const parsed = await readBody(response, (bytes) => this.yieldToLimiter(bytes / PARSE_BYTES_PER_MS));
    if (!response.ok) {
      throw new GraphApiError({
        status: response.status,
        code: graphErrorCode(parsed),
        message:
          graphErrorMessage(parsed) ?? `Graph answered ${response.status} to ${method} ${pathOnly(target)}`,
        retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), this.clock.now()),
        requestId: response.headers.get('request-id') ?? graphRequestId(parsed),
        body: parsed,
      });
    }
    return { status: response.status, headers: response.headers, body: parsed, attempts: context.attempts };
  }

  /**
   * Waits, when the limiter is about to grant a permit within `busyMs` (+ a little), until the
   * request of that grant is on its way. Work holding the event loop for `busyMs` (parsing a large
   * answer, a big write) would otherwise hold the grant back until it ends, and with it the
   * request: Graph counts requests as they arrive, so that part of the budget is lost for good.
   * Waits once at most (single permits may fall due every few ms).
   */
  async yieldToLimiter(busyMs: number): Promise<void> {
    const due = this.options.limiter?.msUntilNextGrant?.();
    if (due === undefined || due > busyMs + GRANT_SLACK_MS) return;
    await sleep(this.clock, due + SEND_AFTER_GRANT_MS);
  }

  /** An SDK request for a relative path or an absolute link on our Graph origin. */
  private request(pathOrUrl: string): GraphRequest {
    const { version, path } = splitVersion(relativeUrl(this.origin, pathOrUrl, true));
    const request = this.sdk.api(path);
    if (version) request.version(version);
    return request;
  }


}
