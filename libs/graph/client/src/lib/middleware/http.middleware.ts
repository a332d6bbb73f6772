import type { Clock } from '@ocb/clock';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { GraphNetworkError, GraphTimeoutError } from '../errors';
import type { WireHook } from '../node-fetch';
import { callContextOf } from './call-context';

/**
 * The last link: `fetchImpl` with a per-attempt timeout (on the injected clock) and the caller's
 * signal; `onWire` (nodeFetch calls it when the request is written) tells the rate limiter.
 */
export class HttpMiddleware implements Middleware {
  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {}

  async execute(context: Context): Promise<void> {
    const callerSignal = context.options?.signal ?? undefined;
    const attempt = new AbortController();
    const timeout = new GraphTimeoutError(this.timeoutMs);
    const cancelTimer = this.clock.setTimer(() => attempt.abort(timeout), this.timeoutMs);
    const onCallerAbort = (): void => attempt.abort(callerSignal?.reason);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const init: RequestInit & WireHook = { ...(context.options as RequestInit), signal: attempt.signal };
      const onWire = callContextOf(context).onWire;
      if (onWire) init.onWire = onWire;
      context.response = await this.fetchImpl(context.request, init);
    } catch (err) {
      if (attempt.signal.reason === timeout) throw timeout;
      if (callerSignal?.aborted || (err instanceof Error && err.name === 'AbortError')) throw err;
      throw new GraphNetworkError(err);
    } finally {
      cancelTimer();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
