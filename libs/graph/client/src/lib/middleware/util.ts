import type { Clock } from '@ocb/clock';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { graphErrorCode } from '../errors';

/** Graph's error code of a failed response, read from a clone (the body stays readable). */
export async function peekErrorCode(response: Response): Promise<string | undefined> {
  try {
    return graphErrorCode(await response.clone().json());
  } catch {
    return undefined;
  }
}

/** Sets a request header whatever shape the SDK gave `options.headers`. */
export function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const headers = context.options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
    return;
  }
  if (Array.isArray(headers)) {
    context.options.headers = [
      ...headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase()),
      [name, value],
    ];
    return;
  }
  const record: Record<string, string> = { ...(headers as Record<string, string> | undefined) };
  for (const key of Object.keys(record)) if (key.toLowerCase() === name.toLowerCase()) delete record[key];
  record[name] = value;
  context.options.headers = record;
}

/** Drains a response we will not hand on (frees the connection). */
export async function discard(response: Response | undefined): Promise<void> {
  try {
    await response?.arrayBuffer();
  } catch {
    // already consumed or broken: nothing to free
  }
}

/** Sleeps on the clock; rejects with the signal's reason when it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal | null): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0 && !signal) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimer(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A middleware with a successor (set by the client when it builds the chain). */
export abstract class ChainedMiddleware {
  private successor?: Middleware;

  setNext(next: Middleware): void {
    this.successor = next;
  }

  protected get next(): Middleware {
    if (!this.successor) throw new Error(`${this.constructor.name} has no next middleware`);
    return this.successor;
  }
}

/** The response the rest of the chain produced (it always sets one or throws). */
export function responseOf(context: Context): Response {
  if (!context.response) throw new Error('middleware chain ended without a response');
  return context.response;
}
