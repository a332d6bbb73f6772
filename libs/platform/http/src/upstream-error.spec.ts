import { ApiExceptionFilter } from './exception.filter';
import { retryAfterSecondsOf } from './upstream-error';

/** The shape of the Graph client's classified error (GraphApiError), built here without the Graph lib. */
function classified(kind: string, contractStatus: number, contractCode: string, extra: { status?: number; retryAfterMs?: number; cause?: unknown } = {}): Error {
  const e = new Error('Graph said no', extra.cause === undefined ? undefined : { cause: extra.cause });
  return Object.assign(e, { kind, contractStatus, contractCode, status: extra.status ?? contractStatus, retryAfterMs: extra.retryAfterMs });
}

describe('the one rule from a classified Graph error to the contract error', () => {
  const filter = new ApiExceptionFilter();

  it.each([
    ['consent-required', 409, 'CONSENT_REQUIRED'],
    ['not-found', 404, 'NOT_FOUND'],
    ['forbidden', 403, 'FORBIDDEN'],
    ['invalid', 400, 'VALIDATION_FAILED'],
    ['throttled', 429, 'UPSTREAM_THROTTLED'],
    ['transient', 503, 'UPSTREAM_UNAVAILABLE'],
    ['unknown', 502, 'UPSTREAM_ERROR'],
  ])('%s -> %i %s', (kind, status, code) => {
    expect(filter.toBody(classified(kind, status, code))).toMatchObject({ statusCode: status, code });
  });

  it("passes through the answer underneath (auth's 409 with connectUrl)", () => {
    const auth = Object.assign(new Error('connect first'), { status: 409, code: 'CONSENT_REQUIRED', body: { connectUrl: 'http://auth/connect' } });
    expect(filter.toBody(classified('unknown', 502, 'UPSTREAM_ERROR', { cause: auth }))).toEqual({
      statusCode: 409,
      code: 'CONSENT_REQUIRED',
      message: 'connect first',
      connectUrl: 'http://auth/connect',
    });
  });

  it("takes Graph's Retry-After (rounded up to seconds by the filter)", () => {
    expect(retryAfterSecondsOf(classified('throttled', 429, 'UPSTREAM_THROTTLED', { retryAfterMs: 2500 }))).toBe(2.5);
    expect(retryAfterSecondsOf(classified('throttled', 429, 'UPSTREAM_THROTTLED'))).toBeUndefined();
    expect(retryAfterSecondsOf(new Error('plain'))).toBeUndefined();
  });
});
