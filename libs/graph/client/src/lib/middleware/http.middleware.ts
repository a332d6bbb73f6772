import type { Clock } from '@ocb/clock';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { GraphNetworkError, GraphTimeoutError } from '../errors';

/** The last link: `fetchImpl` with a per-attempt timeout (on the injected clock) and the caller's signal. */
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
      context.response = await this.fetchImpl(context.request, {
        ...(context.options as RequestInit),
        signal: attempt.signal,
      });
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
