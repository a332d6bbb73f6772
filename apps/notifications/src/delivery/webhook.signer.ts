import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { APP_CONFIG } from '@ocb/config';
import type { NotificationsConfig } from '../config/notifications.config';

/** The key bytes of a secret: the base64 after `whsec_` (Standard Webhooks form), else the secret's UTF-8. */
export function secretKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` (the original header, kept for existing receivers). */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secretKey(secret)).update(body, 'utf8').digest('hex')}`;
}

/**
 * Signs deliveries: Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`: one `v1,<base64>` per active secret, space-separated) with the
 * `standardwebhooks` reference implementation, plus the original `X-Signature` (current secret).
 * During a rotation NOTIFY_WEBHOOK_PREVIOUS_SECRET also signs until NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL.
 */
@Injectable()
export class WebhookSigner {
  private readonly current: Webhook;
  private readonly previous?: { hook: Webhook; until: number };

  constructor(@Inject(APP_CONFIG) private readonly config: NotificationsConfig) {
    this.current = WebhookSigner.hook(config.NOTIFY_WEBHOOK_SECRET);
    if (config.NOTIFY_WEBHOOK_PREVIOUS_SECRET && config.NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL)
      this.previous = {
        hook: WebhookSigner.hook(config.NOTIFY_WEBHOOK_PREVIOUS_SECRET),
        until: Date.parse(config.NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL),
      };
  }

  private static hook(secret: string): Webhook {
    // whsec_ secrets are decoded by the library itself; a plain secret is used as raw key bytes
    return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(new Uint8Array(secretKey(secret)), { format: 'raw' });
  }

  /** The signature headers of one attempt of notification `id` at `nowMs`. */
  headers(id: string, body: string, nowMs: number): Record<string, string> {
    const at = new Date(nowMs);
    const signatures = [this.current.sign(id, at, body)];
    if (this.previous && nowMs < this.previous.until) signatures.push(this.previous.hook.sign(id, at, body));
    return {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(nowMs / 1000)),
      'webhook-signature': signatures.join(' '),
      'X-Signature': signatureOf(body, this.config.NOTIFY_WEBHOOK_SECRET),
    };
  }
}
