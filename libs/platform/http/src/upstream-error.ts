import type { ErrorBody } from './api-error';

/**
 * What the Graph client's `GraphApiError` carries once classified (see libs/graph/client,
 * "Classification"): the kind, the contract's status and code it maps to, Graph's Retry-After and
 * the error underneath (e.g. auth's answer when the token could not be had). Described here by
 * shape, since platform libs do not import the Graph lib.
 */
export interface ClassifiedUpstreamError {
  kind: string;
  /** Graph's HTTP status (0: no answer). */
  status: number;
  contractStatus: number;
  contractCode: string;
  message: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export function isClassifiedUpstreamError(e: unknown): e is ClassifiedUpstreamError {
  if (!(e instanceof Error)) return false;
  const c = e as Partial<ClassifiedUpstreamError>;
  return typeof c.kind === 'string' && typeof c.contractStatus === 'number' && typeof c.contractCode === 'string' && typeof c.status === 'number';
}

/** The one rule from a classified Graph failure to the contract's error body. */
export function upstreamErrorBody(e: ClassifiedUpstreamError): ErrorBody {
  switch (e.kind) {
    case 'consent-required':
      return { statusCode: 409, code: 'CONSENT_REQUIRED', message: 'The user must connect their Outlook calendar again' };
    case 'not-found':
      return { statusCode: 404, code: 'NOT_FOUND', message: `Not found in the user's calendar (${e.message})` };
    case 'forbidden':
      return { statusCode: 403, code: 'FORBIDDEN', message: `Outlook refused access (${e.message})` };
    case 'invalid':
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: `Outlook rejected the request: ${e.message}` };
    default:
      return { statusCode: e.contractStatus, code: e.contractCode, message: `Microsoft Graph failed (${e.status || 'no answer'}: ${e.message})` };
  }
}

/** Seconds to put in Retry-After for a failure, if it says how long to wait. */
export function retryAfterSecondsOf(e: unknown): number | undefined {
  const seconds = (e as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof seconds === 'number' && seconds > 0) return seconds;
  if (isClassifiedUpstreamError(e) && e.retryAfterMs && e.retryAfterMs > 0) return e.retryAfterMs / 1000;
  return undefined;
}
