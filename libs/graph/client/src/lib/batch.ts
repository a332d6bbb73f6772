import type { Clock } from '@ocb/clock';
import type { RateLimiter } from '@ocb/rate-limiter';
import { graphErrorCode, isRecord } from './errors';
import { mailboxFromPath } from './middleware/call-context';
import { throttleScope } from './middleware/rate-limit.middleware';
import { isRetryable } from './middleware/retry.middleware';
import { sleep } from './middleware/util';
import type { BatchItem, BatchOptions, BatchResult, GraphTelemetry } from './options';
import { backoffDelay, parseRetryAfter } from './time';

/** Graph's limit of requests per `$batch`. */
export const MAX_BATCH_SIZE = 20;

export interface BatchDeps {
  clock: Clock;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  limiter?: RateLimiter;
  /**
   * Items per `$batch` at most (≤ 20): the limiter's heaviest permit, so that a budget below 20
   * requests per interval gets smaller batches rather than permits it can never grant.
   */
  maxBatchSize?: number;
  telemetry?: GraphTelemetry;
  /** Item URL relative to the version (absolute Graph links are stripped). */
  relativeUrl: (url: string) => string;
  /**
   * POST /$batch through the middleware chain; the limiter key is the chunk's single mailbox, if
   * any, and the permit weighs `items` requests.
   */
  postBatch: (body: unknown, limiterKey: string | undefined, idempotent: boolean, items: number) => Promise<unknown>;
}

interface Pending {
  item: BatchItem;
  key?: string;
  /** Times this item was sent. */
  attempts: number;
  notBefore: number;
}

interface RawResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Sends items in chunks of ≤ 20, or of the limiter's heaviest permit when lighter (chunks of one round in parallel; the limiter paces them). An item
 * answered 429 (any method) or 500/502/503/504 (GET, PUT, PATCH, DELETE or flagged idempotent) goes
 * back to the queue until its own Retry-After (else backoff with full jitter), and is re-sent in a
 * later batch with the other items due, at most `maxRetries` times (then its last answer is its
 * result), as the retry middleware does for whole requests. Items depending on a retried item wait for it; a dependency that failed
 * for good yields 424 without sending. Results for every item, in input order.
 */
export async function runBatch(
  requests: BatchItem[],
  opts: BatchOptions,
  deps: BatchDeps,
): Promise<BatchResult[]> {
  const ids = new Set<string>();
  for (const r of requests) {
    if (!r.id || ids.has(r.id))
      throw new RangeError(`batch item ids must be unique and non-empty (got '${r.id}')`);
    ids.add(r.id);
  }
  const results = new Map<string, BatchResult>();
  let queue: Pending[] = requests.map((raw) => {
    const item = { ...raw, method: raw.method.toUpperCase() };
    return {
      item,
      key: item.mailbox?.trim().toLowerCase() || mailboxFromPath(item.url),
      attempts: 0,
      notBefore: 0,
    };
  });

  while (queue.length) {
    const now = deps.clock.now();
    const due = queue.filter((p) => p.notBefore <= now);
    if (!due.length) {
      await sleep(deps.clock, Math.min(...queue.map((p) => p.notBefore)) - now, opts.signal);
      continue;
    }
    const waiting = queue.filter((p) => p.notBefore > now);
    const { chunks, deferred } = plan(due, waiting, results, batchSizeOf(deps));
    queue = [...waiting, ...deferred];
    const answers = await Promise.all(chunks.map((chunk) => sendChunk(chunk, deps)));
    const retried: Pending[] = [];
    const failedDeps: Array<{ pending: Pending; response: RawResponse }> = [];
    answers.forEach((responses, i) => {
      for (const pending of chunks[i]) {
        pending.attempts++;
        const response = responses.get(pending.item.id) ?? {
          id: pending.item.id,
          status: 503,
          headers: {},
          body: null,
        };
        const delay = retryDelay(pending, response, deps);
        if (delay !== undefined) {
          pending.notBefore = deps.clock.now() + delay;
          retried.push(pending);
        } else if (response.status === 424) {
          failedDeps.push({ pending, response });
        } else {
          results.set(pending.item.id, toResult(response));
        }
      }
    });
    // a 424 caused by a dependency that is being retried: wait for it and try again
    for (const { pending, response } of failedDeps) {
      const blocker = retried.find((r) => pending.item.dependsOn?.includes(r.item.id));
      if (blocker && pending.attempts <= deps.maxRetries) {
        pending.notBefore = blocker.notBefore;
        retried.push(pending);
      } else {
        results.set(pending.item.id, toResult(response));
      }
    }
    queue.push(...retried);
  }
  return requests.map((r) => results.get(r.id) ?? { id: r.id, status: 424, headers: {}, body: null });
}

/**
 * Splits due items into chunks of ≤ `size` (≤ 20). An item goes out only with all its pending dependencies
 * in the same chunk; otherwise it waits for a later round. A dependency that already failed
 * for good answers the item 424 at once.
 */
function plan(
  due: Pending[],
  waiting: Pending[],
  results: Map<string, BatchResult>,
  size: number,
): { chunks: Pending[][]; deferred: Pending[] } {
  const chunks: Pending[][] = [];
  const deferred: Pending[] = [];
  const waitingIds = new Set(waiting.map((p) => p.item.id));
  let current: Pending[] = [];
  for (const p of due) {
    const depIds = p.item.dependsOn ?? [];
    const failed = depIds.find((d) => {
      const done = results.get(d);
      return done !== undefined && !ok(done.status);
    });
    if (failed) {
      results.set(p.item.id, {
        id: p.item.id,
        status: 424,
        headers: {},
        body: { error: { code: 'FailedDependency', message: `dependency '${failed}' failed` } },
      });
      continue;
    }
    const open = depIds.filter((d) => !results.has(d));
    const inCurrent = open.every((d) => current.some((c) => c.item.id === d));
    if (open.some((d) => waitingIds.has(d)) || (open.length && !inCurrent)) {
      deferred.push(p);
      continue;
    }
    if (current.length === size) {
      chunks.push(current);
      current = [];
      if (open.length) {
        deferred.push(p);
        continue;
      }
    }
    current.push(p);
  }
  if (current.length) chunks.push(current);
  // anything deferred whose dependencies are all unresolvable waits one round; avoid spinning
  if (!chunks.length && deferred.length) {
    for (const p of deferred)
      results.set(p.item.id, {
        id: p.item.id,
        status: 424,
        headers: {},
        body: { error: { code: 'FailedDependency', message: 'dependencies could not be scheduled' } },
      });
    return { chunks, deferred: [] };
  }
  return { chunks, deferred };
}

/** Items per chunk: 20, or fewer when the limiter's heaviest permit is lighter. */
export function batchSizeOf(deps: Pick<BatchDeps, 'maxBatchSize' | 'limiter'>): number {
  const cap = deps.maxBatchSize ?? deps.limiter?.maxWeight ?? MAX_BATCH_SIZE;
  return Math.max(1, Math.min(MAX_BATCH_SIZE, Math.floor(cap)));
}

async function sendChunk(chunk: Pending[], deps: BatchDeps): Promise<Map<string, RawResponse>> {
  const ids = new Set(chunk.map((p) => p.item.id));
  const keys = new Set(chunk.map((p) => p.key));
  const key = keys.size === 1 ? [...keys][0] : undefined;
  const idempotent = chunk.every(
    (p) =>
      p.item.method === 'GET' ||
      p.item.idempotent === true ||
      p.item.method === 'PUT' ||
      p.item.method === 'DELETE',
  );
  const requests = chunk.map(({ item }) => {
    const out: Record<string, unknown> = {
      id: item.id,
      method: item.method,
      url: deps.relativeUrl(item.url),
    };
    const headers: Record<string, string> = { ...item.headers };
    if (item.body !== undefined) {
      out['body'] = item.body;
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    }
    if (Object.keys(headers).length) out['headers'] = headers;
    const dependsOn = item.dependsOn?.filter((d) => ids.has(d));
    if (dependsOn?.length) out['dependsOn'] = dependsOn;
    return out;
  });
  const body = await deps.postBatch({ requests }, key, idempotent, requests.length);
  const map = new Map<string, RawResponse>();
  const responses =
    isRecord(body) && Array.isArray(body['responses']) ? (body['responses'] as RawResponse[]) : [];
  for (const r of responses) if (isRecord(r) && typeof r.id === 'string') map.set(r.id, r);
  return map;
}

/** Delay before re-sending an item, or undefined when its answer is final. */
function retryDelay(pending: Pending, response: RawResponse, deps: BatchDeps): number | undefined {
  const status = response.status;
  // as whole requests: 429 always, 500/502/503/504 when the item is safe to repeat
  if (!isRetryable(pending.item.method, status, pending.item.idempotent === true)) return undefined;
  if (pending.attempts > deps.maxRetries) return undefined;
  const retryAfter = parseRetryAfter(headerOf(response.headers, 'Retry-After'), deps.clock.now());
  if (status === 429) {
    deps.telemetry?.onThrottle?.(retryAfter ?? 0);
    if (retryAfter && deps.limiter) {
      const scope = throttleScope(pending.key, graphErrorCode(response.body));
      void deps.limiter.pause(retryAfter, scope === 'mailbox' ? pending.key : undefined);
    }
  }
  deps.telemetry?.onRetry?.(`batch-item-${status}`);
  return retryAfter ?? backoffDelay(pending.attempts, deps.baseDelayMs, deps.maxDelayMs, deps.random);
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : String(headers[key]);
}

function toResult(r: RawResponse): BatchResult {
  return { id: r.id, status: r.status, headers: r.headers ?? {}, body: r.body ?? null };
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}
