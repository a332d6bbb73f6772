import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError, defaultCodeFor, ErrorBody } from './api-error';
import { isClassifiedUpstreamError, retryAfterSecondsOf, upstreamErrorBody } from './upstream-error';
import { JSON_NOT_OBJECT, JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-depth';

/** Errors whose `status`/`statusCode` and `code` should be passed through (e.g. upstream errors). */
interface CodedError {
  status?: number;
  statusCode?: number;
  code?: string;
  message?: string;
  body?: Record<string, unknown>;
}

/** One error shape for every failure: `{ statusCode, code, message }`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (res.headersSent) return;
    const retryAfter = retryAfterSecondsOf(exception);
    if (retryAfter && body.statusCode === 429) res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof ApiError) {
      return { statusCode: exception.getStatus(), code: exception.code, message: exception.message, ...exception.extra };
    }
    if (exception instanceof HttpException) {
      // body-parser's errors reach the filter wrapped (a BadRequestException with the original as cause)
      const read = bodyReadingError((exception as { cause?: unknown }).cause);
      if (read) return read;
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message = exception.message;
      let code = defaultCodeFor(status);
      if (typeof response === 'object' && response) {
        const r = response as Record<string, unknown>;
        if (Array.isArray(r['message'])) message = (r['message'] as string[]).join('; ');
        else if (typeof r['message'] === 'string') message = r['message'];
        if (typeof r['code'] === 'string') code = r['code'];
        // @nestjs/terminus readiness failure: say which dependency is down
        if (r['status'] === 'error' && r['details'] && typeof r['details'] === 'object') {
          const details = r['details'] as Record<string, { status?: string; message?: string }>;
          const down = Object.entries(details).filter(([, d]) => d?.status === 'down');
          message = `Not ready: ${down.map(([name, d]) => `${name} (${d.message ?? 'down'})`).join(', ')}`;
          return { statusCode: status, code: 'NOT_READY', message, details };
        }
      }
      if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.test(message)) {
        message = `No route ${message.replace(/^Cannot /, '')}`;
      }
      if (status === 400 && /JSON/.test(message) && code === 'VALIDATION_FAILED') {
        message = `body: malformed JSON (${message})`;
      }
      return { statusCode: status, code, message };
    }
    const parsing = bodyReadingError(exception);
    if (parsing) return parsing;
    if (isClassifiedUpstreamError(exception)) {
      // a token problem under the Graph call (auth's 409 CONSENT_REQUIRED with connectUrl, 404) passes through as answered
      const cause = exception.cause;
      if (cause instanceof ApiError || (cause instanceof Error && this.isCoded(cause))) return this.toBody(cause);
      return upstreamErrorBody(exception);
    }
    const coded = exception as CodedError | undefined;
    if (this.isCoded(coded)) {
      const code = coded.code ?? 'UPSTREAM_ERROR';
      return { statusCode: coded.status ?? coded.statusCode ?? 502, code, message: coded.message ?? code, ...(coded.body ?? {}) };
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }

  private isCoded(e: unknown): e is CodedError {
    const coded = e as CodedError | undefined;
    const status = coded?.status ?? coded?.statusCode;
    return typeof status === 'number' && status >= 400 && status < 600 && typeof coded?.code === 'string' && /^[A-Z_]+$/.test(coded.code);
  }
}

/** What body-parser (and the zlib stream under it) throws while reading a request body, in the contract's words. */
export function bodyReadingError(exception: unknown): ErrorBody | undefined {
  const e = exception as { type?: string; charset?: string; encoding?: string; code?: unknown; errno?: unknown; message?: string; limit?: number } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: malformed JSON' };
    case JSON_NOT_OBJECT:
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: must be a JSON object' };
    case JSON_TOO_DEEP:
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: `body: nested deeper than ${MAX_JSON_DEPTH} levels` };
    case 'entity.too.large':
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: `body: too large${e.limit ? ` (at most ${e.limit} bytes)` : ''}` };
    case 'charset.unsupported':
      return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `Content-Type: unsupported charset "${e.charset ?? 'unknown'}" (send UTF-8)` };
    case 'encoding.unsupported':
      return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `Content-Encoding: unsupported "${e.encoding ?? 'unknown'}" (identity, gzip, deflate or br)` };
    case 'request.aborted':
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: the request was aborted before its body was read' };
    case 'request.size.invalid':
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: shorter or longer than its Content-Length' };
  }
  // a zlib stream error (Z_DATA_ERROR, Z_BUF_ERROR...) while inflating a compressed body
  if (typeof e.code === 'string' && /^Z_[A-Z_]+$/.test(e.code) && typeof e.errno === 'number') {
    return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'body: not valid gzip data (Content-Encoding: gzip)' };
  }
  return undefined;
}

