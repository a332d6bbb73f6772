import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Flattens class-validator errors into `field: problem` strings with dotted paths. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    if (e.constraints) {
      for (const [rule, text] of Object.entries(e.constraints)) {
        if (rule === 'whitelistValidation') out.push(`${path}: unknown field`);
        else out.push(text.startsWith(e.property) ? `${path}${text.slice(e.property.length)}` : `${path}: ${text}`);
      }
    }
    if (e.children?.length) out.push(...describeValidationErrors(e.children, path));
  }
  return out;
}

const PRIMITIVE_TYPES: unknown[] = [String, Number, Boolean, Array, Object];

/**
 * A query DTO of a hot route that reads itself: a static `fromQuery(query)` answering the DTO or
 * throwing `ApiError.validation` naming each bad field (unknown names included, as the pipe's
 * whitelist does). The pipe calls it instead of class-transformer and class-validator, whose
 * per-request cost showed on the read API's listing.
 */
export interface QueryReader<T> {
  fromQuery(query: Record<string, unknown>): T;
}

function readsItself(metatype: unknown): metatype is QueryReader<unknown> {
  return typeof metatype === 'function' && typeof (metatype as Partial<QueryReader<unknown>>).fromQuery === 'function';
}

/** Problems of a query's names against the DTO's fields, as the pipe's whitelist words them (`x: unknown field`). */
export function unknownFields(query: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(query)
    .filter((k) => !known.includes(k))
    .map((k) => `${k}: unknown field`);
}

/**
 * The ValidationPipe, refusing a body that is not a JSON object where a DTO class is expected
 * (`[...]`, `"x"`, `null`); a query DTO with `fromQuery` (`QueryReader`) reads the query itself.
 */
class ContractValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && readsItself(metadata.metatype)) return metadata.metatype.fromQuery((value ?? {}) as Record<string, unknown>);
    const dto = metadata.type === 'body' && typeof metadata.metatype === 'function' && !PRIMITIVE_TYPES.includes(metadata.metatype);
    if (dto && (value === null || typeof value !== 'object' || Array.isArray(value))) throw ApiError.validation('body: must be a JSON object');
    return super.transform(value, metadata);
  }
}

/** whitelist + forbid unknown + transform; failures become 400 VALIDATION_FAILED naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => ApiError.validation(describeValidationErrors(errors).join('; ')),
  });
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const INSTANT_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date or date-time from a request (a query parameter), as a UTC instant
 * `YYYY-MM-DDTHH:mm:ss.sssZ`. Strict where `Date.parse` is lenient: `2027-02-30` or `24:00` is
 * refused (400 naming `field`), never read as another day. A date alone is midnight UTC; a
 * date-time without an offset is UTC.
 */
export function parseInstant(value: string, field: string): string {
  const m = INSTANT_TEXT.exec(value.trim());
  const bad = (why: string): never => {
    throw ApiError.validation(`${field}: ${why}: ${JSON.stringify(value)}`);
  };
  if (!m) return bad('not an ISO 8601 date or date-time (e.g. 2026-12-01 or 2026-12-01T10:00:00Z)');
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (year < 1) bad('the year must be 0001 or later');
  if (month < 1 || month > 12) bad('no such month');
  if (day < 1 || day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1])) bad('no such day');
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) bad('no such time of day');
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) ?? bad('no such UTC offset');
    if (Number(z[2]) > 14 || Number(z[3]) > 59) bad('no such UTC offset');
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  const ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(sec), frac ? Math.floor(Number(`0${frac}`) * 1000) : 0) - offsetMinutes * 60_000;
  const at = new Date(ms);
  // Date.UTC maps years 0-99 to 1900-1999
  if (year < 100) at.setUTCFullYear(year);
  return at.toISOString();
}

/** Refuses text carrying control characters (NUL and the like match nothing sensible): 400 naming `field`. */
export function refuseControlCharacters(value: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw ApiError.validation(`${field}: must not contain control characters`);
  return value;
}
