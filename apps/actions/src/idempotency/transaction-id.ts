import { createHash, randomUUID } from 'node:crypto';

/**
 * Graph `transactionId` for a create under an Idempotency-Key: a GUID-shaped value derived from
 * the user and the key (name-based, RFC 4122 version 5 layout over SHA-256), so every attempt of
 * the same create sends the same one and Graph returns the first event instead of a second.
 */
export function transactionIdFor(userId: string, key: string): string {
  const h = createHash('sha256').update(`ocb-actions\n${userId.toLowerCase()}\n${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A create without a key still sends a (random) transactionId: the client may then retry its POST. */
export function randomTransactionId(): string {
  return randomUUID();
}

/** Storage id of a key: sha256 hex of the user and the key. */
export function keyRecordId(userId: string, key: string): string {
  return createHash('sha256').update(`${userId.toLowerCase()}\n${key}`).digest('hex');
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** sha256 hex of what a create asked: the route and the body. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(`${route}\n${canonicalJson(body ?? null)}`).digest('hex');
}
