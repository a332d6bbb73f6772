import {
  classifyGraphError,
  GraphApiError,
  GraphNetworkError,
  GraphTimeoutError,
  type GraphErrorKind,
} from './errors';
import { mailboxFromPath } from './middleware/call-context';
import { throttleScope } from './middleware/rate-limit.middleware';
import { isRetryable } from './middleware/retry.middleware';
import { backoffDelay, parseGraphUtc, parseRetryAfter } from './time';

const body = (code: string): unknown => ({ error: { code, message: code } });

describe('classifyGraphError', () => {
  const table: Array<[string, number, unknown, GraphErrorKind, string, number]> = [
    ['throttled', 429, body('TooManyRequests'), 'throttled', 'UPSTREAM_THROTTLED', 429],
    ['mailbox concurrency', 429, body('ApplicationThrottled'), 'throttled', 'UPSTREAM_THROTTLED', 429],
    ['unavailable', 503, body('serviceNotAvailable'), 'transient', 'UPSTREAM_UNAVAILABLE', 503],
    ['gateway timeout', 504, body('gatewayTimeout'), 'transient', 'UPSTREAM_UNAVAILABLE', 503],
    ['bad gateway', 502, body('BadGateway'), 'transient', 'UPSTREAM_UNAVAILABLE', 503],
    ['general exception', 500, body('generalException'), 'transient', 'UPSTREAM_UNAVAILABLE', 503],
    ['no answer', 0, undefined, 'transient', 'UPSTREAM_UNAVAILABLE', 503],
    ['expired token', 401, body('InvalidAuthenticationToken'), 'auth-expired', 'UPSTREAM_ERROR', 502],
    [
      'revoked refresh token',
      400,
      { error: 'invalid_grant', error_description: 'AADSTS700082' },
      'consent-required',
      'CONSENT_REQUIRED',
      409,
    ],
    [
      'interaction required',
      400,
      { error: 'interaction_required' },
      'consent-required',
      'CONSENT_REQUIRED',
      409,
    ],
    ['access denied', 403, body('ErrorAccessDenied'), 'forbidden', 'FORBIDDEN', 403],
    ['not found', 404, body('ErrorItemNotFound'), 'not-found', 'NOT_FOUND', 404],
    ['sync state gone', 410, body('SyncStateNotFound'), 'sync-reset', 'UPSTREAM_ERROR', 502],
    ['sync state invalid as 400', 400, body('SyncStateInvalid'), 'sync-reset', 'UPSTREAM_ERROR', 502],
    ['bad request', 400, body('ErrorInvalidParameter'), 'invalid', 'VALIDATION_FAILED', 400],
    ['conflict', 409, body('ErrorIrresolvableConflict'), 'invalid', 'VALIDATION_FAILED', 400],
    ['method not allowed', 405, body('Request_BadRequest'), 'invalid', 'VALIDATION_FAILED', 400],
    ['quota', 507, body('ErrorQuotaExceeded'), 'unknown', 'UPSTREAM_ERROR', 502],
  ];

  it.each(table)('%s: %i → %s', (_name, status, errBody, kind, contractCode, contractStatus) => {
    expect(classifyGraphError(status, errBody)).toBe(kind);
    const err = new GraphApiError({ status, body: errBody });
    expect(err).toMatchObject({ kind, contractCode, contractStatus });
    expect(classifyGraphError(err)).toBe(kind);
  });

  it('reads the SDK GraphError shape, token-provider errors and network failures', () => {
    expect(classifyGraphError({ statusCode: 429, code: 'TooManyRequests' })).toBe('throttled');
    expect(classifyGraphError({ statusCode: 404, code: 'ErrorItemNotFound' })).toBe('not-found');
    expect(classifyGraphError(Object.assign(new Error('x'), { code: 'CONSENT_REQUIRED' }))).toBe(
      'consent-required',
    );
    expect(classifyGraphError(new GraphTimeoutError(10))).toBe('transient');
    expect(classifyGraphError(new GraphNetworkError(new TypeError('fetch failed')))).toBe('transient');
    expect(classifyGraphError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classifyGraphError(new Error('what'))).toBe('unknown');
  });
});

describe('retry and throttle rules', () => {
  it.each([
    ['GET', 503, false, true],
    ['GET', 500, false, true],
    ['GET', 'network', false, true],
    ['DELETE', 504, false, true],
    ['PATCH', 502, false, true],
    ['POST', 503, false, false],
    ['POST', 'network', false, false],
    ['POST', 503, true, true],
    ['POST', 429, false, true],
    ['GET', 404, false, false],
    ['GET', 507, false, false],
  ] as const)('%s after %s (idempotent flag %s) → %s', (method, outcome, flag, expected) => {
    expect(isRetryable(method, outcome, flag)).toBe(expected);
  });

  it('pauses the mailbox for mailbox-scoped throttling, everyone otherwise', () => {
    expect(throttleScope('adele', 'ApplicationThrottled')).toBe('mailbox');
    expect(throttleScope('adele', 'TooManyRequests')).toBe('mailbox');
    expect(throttleScope(undefined, 'TooManyRequests')).toBe('global');
    expect(throttleScope('adele', 'SomethingElse')).toBe('global');
  });

  it('derives the mailbox key from the path', () => {
    expect(mailboxFromPath('/users/AdeleV@contoso.com/calendarView?x=1')).toBe('adelev@contoso.com');
    expect(mailboxFromPath('https://graph.test/v1.0/users/abc/events/e1')).toBe('abc');
    expect(mailboxFromPath("/users('Abc')/events")).toBe('abc');
    expect(mailboxFromPath('/users/a%40b.com/events')).toBe('a@b.com');
    expect(mailboxFromPath('/me/calendarView')).toBe('me');
    expect(mailboxFromPath('https://graph.test/v1.0/me/events')).toBe('me');
    expect(mailboxFromPath('/users?$top=5')).toBeUndefined();
    expect(mailboxFromPath('/users/delta')).toBeUndefined();
    expect(mailboxFromPath('/$batch')).toBeUndefined();
  });
});

describe('time helpers', () => {
  it('parses Graph UTC strings without trusting new Date(offsetless)', () => {
    expect(parseGraphUtc('2026-12-01T18:00:00.0000000').toISOString()).toBe('2026-12-01T18:00:00.000Z');
    expect(parseGraphUtc('2026-03-29T01:30:00').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(parseGraphUtc('2026-12-01T18:00:00.1234567').toISOString()).toBe('2026-12-01T18:00:00.123Z');
    expect(parseGraphUtc('2026-12-01T18:00:00Z').toISOString()).toBe('2026-12-01T18:00:00.000Z');
    expect(parseGraphUtc('2026-12-01T18:00:00-08:00').toISOString()).toBe('2026-12-02T02:00:00.000Z');
    expect(parseGraphUtc('2026-12-01').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(() => parseGraphUtc('2026-02-30T10:00:00')).toThrow(RangeError);
    expect(() => parseGraphUtc('yesterday')).toThrow(RangeError);
  });

  it('reads Retry-After as seconds (fractional too) or an HTTP date', () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('2.128', now)).toBe(2128);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(1, 500, 30_000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(1000);
    expect(backoffDelay(20, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(backoffDelay(4, 500, 30_000, () => 0)).toBe(0);
  });
});
