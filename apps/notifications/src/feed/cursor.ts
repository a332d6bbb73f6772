import { ApiError } from '@ocb/http';

/** Opaque keyset cursor of the deliveries list: [dueAt, id] of the last item of a page. */
export function encodeCursor(key: [string, string]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === 'string')) return key as [string, string];
  } catch {
    // fall through
  }
  throw ApiError.validation('cursor: not a cursor returned by this API');
}
