/** Why a take was refused. `paused` and `rate` hold back every waiter behind; the others only the key. */
export type RefusalReason = 'paused' | 'key-paused' | 'key-busy' | 'rate';

export type TakeOutcome =
  { granted: true; grantedAt: number } | { granted: false; waitMs: number; reason: RefusalReason };

/**
 * Where the budget lives (process memory or Redis). `take` is all-or-nothing: it checks the
 * global pause, the key's pause, the key's concurrency and a token, and only when all pass does
 * it take the slot (lease `leaseId`) and the token.
 */
export interface PermitStore {
  /** `weight`: requests this permit stands for (1 to the limit; a JSON batch's items). */
  take(key: string | undefined, leaseId: string, weight: number): TakeOutcome | Promise<TakeOutcome>;
  release(key: string | undefined, leaseId: string): void | Promise<void>;
  pause(ms: number, key: string | undefined): void | Promise<void>;
  /**
   * A grant went out later than granted (see Permit.sent): the window counts it from `sentAt`.
   * Both times are on the store's clock (`grantedAt` as `take` returned it).
   */
  sentLate?(grantedAt: number, weight: number, sentAt: number): void | Promise<void>;
  close(): Promise<void>;
}

export function blocksEveryone(reason: RefusalReason): boolean {
  return reason === 'paused' || reason === 'rate';
}
