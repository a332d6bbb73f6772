import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node';

/** Server answers meaning the refresh token no longer works: the user must consent again. */
const CONSENT_CODES = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'no_tokens_found',
  'refresh_token_expired',
]);

export function needsConsent(error: unknown): boolean {
  if (error instanceof InteractionRequiredAuthError) return true;
  return error instanceof AuthError && CONSENT_CODES.has(error.errorCode);
}

/**
 * One line saying what went wrong, without traces, correlation ids or anything secret:
 * `invalid_grant (AADSTS50173: The provided grant has expired ...)`.
 */
export function describeMsalError(error: unknown): string {
  if (error instanceof AuthError) {
    const first = (error.errorMessage || '').split(/\r?\n/)[0].replace(/Trace ID:.*$/i, '').trim();
    return first ? `${error.errorCode} (${first.slice(0, 300)})` : error.errorCode;
  }
  if (error instanceof Error) return error.message.split('\n')[0].slice(0, 300);
  return String(error).slice(0, 300);
}
