import { HttpStatus } from '@nestjs/common';
import { GraphApiError } from '@ocb/graph-client';
import { ApiError } from '@ocb/http';
import { ServiceError } from '@ocb/service-clients';

/**
 * A failed Graph call as the contract's error: a token problem from auth passes through as auth
 * answered it (409 CONSENT_REQUIRED with connectUrl, 404 for an unknown user); Graph's own
 * failures get their classified code (NOT_FOUND, UPSTREAM_THROTTLED, UPSTREAM_UNAVAILABLE, ...).
 */
export function toContractError(err: unknown, what: string): unknown {
  if (err instanceof ServiceError || err instanceof ApiError) return err;
  if (!(err instanceof GraphApiError)) return err;
  if (err.cause instanceof ServiceError) return err.cause;
  if (err.kind === 'consent-required') {
    return new ApiError(HttpStatus.CONFLICT, 'CONSENT_REQUIRED', 'The user must connect their Outlook calendar again');
  }
  if (err.kind === 'not-found') return ApiError.notFound(`${what}: not found in the user's calendar`);
  if (err.kind === 'forbidden') return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `${what}: Outlook refused access (${err.message})`);
  if (err.kind === 'invalid') return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', `${what}: Outlook rejected the request: ${err.message}`);
  const retryAfterSeconds = err.retryAfterMs ? Math.ceil(err.retryAfterMs / 1000) : undefined;
  const error = new ApiError(err.contractStatus, err.contractCode, `${what}: Microsoft Graph failed (${err.status || 'no answer'}: ${err.message})`);
  if (retryAfterSeconds) Object.assign(error, { retryAfterSeconds });
  return error;
}
