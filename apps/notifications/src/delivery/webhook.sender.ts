import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';

export interface WebhookRequest {
  url: string;
  /** The raw JSON text; the signature covers exactly these bytes. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** Sends one webhook request; resolves with the status code, rejects on network errors. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<{ status: number }>;
}

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

/** `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

@Injectable()
export class FetchWebhookSender implements WebhookSender {
  async send(request: WebhookRequest): Promise<{ status: number }> {
    const res = await fetch(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  }
}

/** Retry and lease settings of the dispatcher (constants in production, overridable in tests). */
export interface DeliveryPolicy {
  /** First retry delay; doubled per attempt, capped at maxDelayMs, then "equal jitter" applied. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed outbox row is reserved for one process; must exceed timeoutMs. */
  leaseMs: number;
  timeoutMs: number;
  /** Rows claimed (and delivered concurrently) per round. */
  batchSize: number;
  random: () => number;
}

export const DELIVERY_POLICY = Symbol('DELIVERY_POLICY');

export const defaultDeliveryPolicy: DeliveryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  batchSize: 20,
  random: Math.random,
};

/** Delay before retry number `attempt` (1 = after the first failure): half fixed, half random. */
export function retryDelayMs(attempt: number, policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + policy.random() * (exp / 2));
}
