import type { Clock } from '@ocb/clock';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { RateLimiter } from '@ocb/rate-limiter';
import { parseRetryAfter } from '../time';
import { callContextOf } from './call-context';
import { ChainedMiddleware, peekErrorCode } from './util';

/** 429 codes that Outlook scopes to one app + mailbox. */
const MAILBOX_THROTTLE_CODES = new Set([
  'applicationthrottled',
  'mailboxconcurrency',
  'toomanyrequests',
  'errortoomanyobjectsopened',
]);

/**
 * Where a 429's Retry-After applies (see README, "Throttling"):
 * - the call has a mailbox key and the code is a mailbox-scoped one (ApplicationThrottled,
 *   MailboxConcurrency, or Outlook's TooManyRequests) → pause that mailbox only;
 * - no mailbox key (tenant-wide calls: /users, a $batch across mailboxes) or an unknown code
 *   → pause everyone.
 */
export function throttleScope(
  limiterKey: string | undefined,
  code: string | undefined,
): 'mailbox' | 'global' {
  if (limiterKey === undefined) return 'global';
  return MAILBOX_THROTTLE_CODES.has((code ?? '').toLowerCase()) ? 'mailbox' : 'global';
}

/**
 * Takes a permit for every HTTP attempt (key = mailbox) and releases it once the answer (or the
 * failure) is in; tells the limiter when the attempt actually went on the wire (`Permit.sent`); a 429 with Retry-After pauses the limiter for the mailbox or globally. A JSON
 * batch's permit weighs as many requests as it has items: Graph counts them all when the batch
 * arrives, so the limiter lets it go only when they fit the window together.
 */
export class RateLimitMiddleware extends ChainedMiddleware implements Middleware {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = callContextOf(context);
    const permit = await this.limiter.acquire(call.limiterKey, context.options?.signal ?? undefined, call.weight);
    // the window counts the request from when it is on the wire (a handshake may come first)
    call.onWire = () => permit.sent(this.clock.now());
    try {
      await this.next.execute(context);
    } finally {
      call.onWire = undefined;
      permit.release();
    }
    const response = context.response;
    if (response?.status !== 429) return;
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), this.clock.now());
    if (retryAfterMs === undefined || retryAfterMs <= 0) return;
    const scope = throttleScope(call.limiterKey, await peekErrorCode(response));
    await this.limiter.pause(retryAfterMs, scope === 'mailbox' ? call.limiterKey : undefined);
  }
}
