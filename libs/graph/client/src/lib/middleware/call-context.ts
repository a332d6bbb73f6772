import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

/**
 * Per-call state shared by our middlewares (a MiddlewareOptions, so it rides the SDK's
 * MiddlewareControl). Calls made straight on `client.sdk` get one derived from URL and method.
 */
export class GraphCallContext implements MiddlewareOptions {
  /** Limiter key (lower-cased mailbox, `me`), or undefined for tenant-wide calls. */
  limiterKey?: string;
  /** Mailbox passed to the token provider. */
  tokenMailbox?: string;
  /** POST safe to repeat on transient failures. */
  idempotent = false;
  /** Requests this call counts as against Graph's budget (a JSON batch: its items). */
  weight = 1;
  /** HTTP attempts made so far. */
  attempts = 0;
  /** The failure our middlewares threw, kept so the client rethrows it unwrapped. */
  failure?: unknown;
  /** Called by the HTTP layer when the current attempt is written to the connection (set by the rate limiter). */
  onWire?: () => void;

  static from(init: { limiterKey?: string; tokenMailbox?: string; idempotent?: boolean; weight?: number }): GraphCallContext {
    const ctx = new GraphCallContext();
    ctx.limiterKey = init.limiterKey;
    ctx.tokenMailbox = init.tokenMailbox;
    ctx.idempotent = init.idempotent ?? false;
    ctx.weight = init.weight ?? 1;
    return ctx;
  }
}

/** The call context of an SDK request, created (from URL and method) when the caller gave none. */
export function callContextOf(context: Context): GraphCallContext {
  const existing =
    (context.middlewareControl?.getMiddlewareOptions(GraphCallContext) as GraphCallContext | undefined) ??
    derived.get(context);
  if (existing) return existing;
  const mailbox = mailboxFromPath(requestUrl(context));
  const created = GraphCallContext.from({
    limiterKey: mailbox,
    tokenMailbox: mailbox === 'me' ? undefined : mailbox,
  });
  if (context.middlewareControl) context.middlewareControl.setMiddlewareOptions(GraphCallContext, created);
  else derived.set(context, created);
  return created;
}

const derived = new WeakMap<Context, GraphCallContext>();

export function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

export function requestMethod(context: Context): string {
  return (
    context.options?.method ??
    (typeof context.request === 'string' ? 'GET' : context.request.method) ??
    'GET'
  ).toUpperCase();
}

/**
 * The mailbox a Graph path acts on: `/users/{id|upn}/...` (or `/users('{id}')`) → the id,
 * lower-cased; `/me/...` → `me`; anything else → undefined.
 */
export function mailboxFromPath(pathOrUrl: string): string | undefined {
  let path = pathOrUrl;
  const schemeEnd = path.indexOf('://');
  if (schemeEnd !== -1) {
    const slash = path.indexOf('/', schemeEnd + 3);
    path = slash === -1 ? '/' : path.slice(slash);
  }
  path = path.split(/[?#]/)[0];
  const m = /(?:^|\/)users(?:\/([^/]+)|\('([^']+)'\))/i.exec(path);
  if (m) {
    const raw = m[1] ?? m[2];
    if (raw.startsWith('$') || raw.toLowerCase() === 'delta') return undefined;
    try {
      return decodeURIComponent(raw).toLowerCase();
    } catch {
      return raw.toLowerCase();
    }
  }
  if (/^\/?(?:(?:v1\.0|beta)\/)?me(?:\/|$)/i.test(path)) return 'me';
  return undefined;
}
