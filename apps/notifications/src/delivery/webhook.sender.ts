import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';

export interface WebhookRequest {
  url: string;
  /** The raw JSON text; the signatures cover exactly these bytes. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface WebhookResponse {
  status: number;
  /** The raw `Retry-After` header, when the receiver sent one. */
  retryAfter?: string | null;
}

/** Sends one webhook request; resolves with the status code, rejects on network errors and timeouts. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

/** fetch, aborted after `timeoutMs` of the injected Clock's time. */
@Injectable()
export class FetchWebhookSender implements WebhookSender {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const abort = new AbortController();
    const cancel = this.clock.setTimer(() => abort.abort(new Error(`no answer within ${request.timeoutMs / 1000} s`)), request.timeoutMs);
    try {
      const res = await fetch(request.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...request.headers },
        body: request.body,
        signal: abort.signal,
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    } catch (e) {
      if (abort.signal.aborted) throw abort.signal.reason instanceof Error ? abort.signal.reason : new Error('timed out');
      throw e;
    } finally {
      cancel();
    }
  }
}

/** Retry settings of the dispatcher (constants in production, overridable in tests). */
export interface DeliveryPolicy {
  /**
   * Delay before each retry, after attempt 1, 2, ... fails; the last entry repeats until
   * NOTIFY_MAX_ATTEMPTS. The Standard Webhooks suggestion: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
   */
  scheduleMs: number[];
  /** Each scheduled delay is spread by ± this fraction (0.1: ± 10 %). */
  jitter: number;
  /** A `Retry-After` (429/503) is honoured up to this long. */
  maxRetryAfterMs: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Rows claimed (and delivered concurrently) per round. */
  batchSize: number;
  random: () => number;
}

export const DELIVERY_POLICY = Symbol('DELIVERY_POLICY');

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const defaultDeliveryPolicy: DeliveryPolicy = {
  scheduleMs: [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR],
  jitter: 0.1,
  maxRetryAfterMs: 10 * HOUR,
  timeoutMs: 15 * SECOND,
  batchSize: 20,
  random: Math.random,
};

/** Delay before the retry that follows failed attempt number `attempt` (1-based), jittered. */
export function retryDelayMs(attempt: number, policy: Pick<DeliveryPolicy, 'scheduleMs' | 'jitter' | 'random'>): number {
  const base = policy.scheduleMs[Math.min(Math.max(attempt, 1), policy.scheduleMs.length) - 1] ?? 0;
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * policy.random() - 1))));
}

/**
 * A `Retry-After` value (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) as milliseconds from
 * `nowMs`, at least 1 s and at most `maxMs`; null when absent or unreadable.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number, maxMs: number): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * SECOND;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(maxMs, Math.max(SECOND, ms));
}
