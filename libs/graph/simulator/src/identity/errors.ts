import { HttpResponse } from 'msw';

/** Formats an instant the way the identity platform stamps its errors: `2016-01-09 02:02:12Z`. */
export function aadTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export interface AadErrorContext {
  now: number;
  newId: () => string;
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri?: string;
}

/** The body of a token endpoint error, shaped like Microsoft's (AADSTS code, trace and correlation ids). */
export function aadErrorBody(
  ctx: AadErrorContext,
  error: string,
  code: number,
  message: string,
  correlationId?: string,
): AadErrorBody {
  const timestamp = aadTimestamp(ctx.now);
  const traceId = ctx.newId();
  const correlation = correlationId && /^[0-9a-f-]{36}$/i.test(correlationId) ? correlationId : ctx.newId();
  return {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

export const noStoreHeaders = {
  'cache-control': 'no-store, no-cache',
  pragma: 'no-cache',
};

export function aadErrorResponse(
  ctx: AadErrorContext,
  status: number,
  error: string,
  code: number,
  message: string,
  correlationId?: string,
): Response {
  return HttpResponse.json(aadErrorBody(ctx, error, code, message, correlationId), {
    status,
    headers: { ...noStoreHeaders, 'x-ms-request-id': ctx.newId() },
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page like the identity platform's sign-in error page: shown in the browser, no redirect. */
export function aadErrorPage(ctx: AadErrorContext, status: number, code: number, message: string): Response {
  const traceId = ctx.newId();
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>Sign in to your account</title></head><body>
<h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error">AADSTS${code}: ${escapeHtml(message)}</p>
<p>Trace ID: ${traceId}<br>Timestamp: ${aadTimestamp(ctx.now)}</p>
</body></html>`;
  return new HttpResponse(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-ms-request-id': traceId, ...noStoreHeaders },
  });
}
