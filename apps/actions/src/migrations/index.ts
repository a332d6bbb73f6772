import { IdempotencyKeys1767916800000 } from './1767916800000-idempotency-keys';

/** Every migration of this service, in order. */
export const migrations = [IdempotencyKeys1767916800000];
