/**
 * A token bucket (capacity `burst`, refilled at `requestsPerInterval` per `intervalMs`) paired
 * with a sliding-window guard (the grant times of the last `requestsPerInterval` grants): a grant
 * needs a whole token AND fewer than `requestsPerInterval` grants in the `intervalMs` (plus an
 * optional safety margin) before it.
 *
 * Arithmetic is exact: credit is counted in units where one token = `intervalMs` units and each
 * millisecond adds `requestsPerInterval` units, so no floating-point drift can grant early.
 *
 * A take may weigh several requests (a JSON batch, which Graph counts item by item when it
 * arrives): it needs `min(weight, burst)` tokens, spends `weight` (the bucket may go into debt,
 * which later takes wait out) and `weight` grants at that instant must fit the window.
 */
export class WindowedTokenBucket {
  private readonly tokenUnits: number;
  private readonly capacityUnits: number;
  private credit: number;
  private updatedAt: number | undefined;
  /** Ring buffer of the last `limit` grant times, oldest at `next` once full. */
  private readonly grants: number[] = [];
  private next = 0;

  constructor(
    private readonly limit: number,
    private readonly intervalMs: number,
    burst: number,
    /** Extra spacing the guard keeps: the `limit`-th previous grant must be `intervalMs + marginMs` old. */
    private readonly marginMs = 0,
  ) {
    this.tokenUnits = intervalMs;
    this.capacityUnits = burst * intervalMs;
    this.credit = this.capacityUnits;
  }

  /** Takes `weight` tokens at `now` and returns 0, or returns the ms to wait before trying again. */
  tryTake(now: number, weight = 1): number {
    if (!Number.isInteger(weight) || weight < 1 || weight > this.limit) {
      throw new RangeError(`weight must be an integer from 1 to ${this.limit}, got ${weight}`);
    }
    this.refill(now);
    const needed = Math.min(weight, this.capacityUnits / this.tokenUnits) * this.tokenUnits;
    let wait = this.credit >= needed ? 0 : Math.ceil((needed - this.credit) / this.limit);
    // the (limit - weight + 1)-th most recent grant must have left the window
    const k = this.limit - weight + 1;
    if (this.grants.length >= k) {
      const kth = this.grants[(this.next - k + this.limit) % this.limit];
      wait = Math.max(wait, kth + this.intervalMs + this.marginMs - now);
    }
    if (wait > 0) return wait;
    this.credit -= weight * this.tokenUnits;
    for (let i = 0; i < weight; i++) {
      if (this.grants.length < this.limit) this.grants.push(now);
      else this.grants[this.next] = now;
      this.next = (this.next + 1) % this.limit;
    }
    return 0;
  }

  /**
   * A grant of `weight` made at `grantedAt` actually went out at `sentAt` (later): the window
   * counts it from then, so the grants that follow keep their spacing from its real departure.
   * Recorded times only move later, and the ring stays in order (later records are raised to
   * `sentAt` too): at worst a little more spacing than needed, never less.
   */
  sentLate(grantedAt: number, weight: number, sentAt: number): void {
    if (!(sentAt > grantedAt)) return;
    const n = this.grants.length;
    // the grant's records: the `weight` most recent ones with its time (later grants come after them)
    let seen = 0;
    let from = -1;
    for (let back = 1; back <= n; back++) {
      const i = (this.next - back + n * 2) % n;
      const t = this.grants[i];
      if (t === grantedAt) {
        seen++;
        from = back;
        if (seen === weight) break;
      } else if (t < grantedAt) break;
    }
    if (from < 0) return;
    for (let back = from; back >= 1; back--) {
      const i = (this.next - back + n * 2) % n;
      if (this.grants[i] < sentAt) this.grants[i] = sentAt;
    }
  }

  /** Whole tokens in the bucket at `now` (for snapshots). */
  tokens(now: number): number {
    this.refill(now);
    return Math.floor(this.credit / this.tokenUnits);
  }

  private refill(now: number): void {
    if (this.updatedAt === undefined || now <= this.updatedAt) {
      this.updatedAt ??= now;
      return;
    }
    this.credit = Math.min(this.capacityUnits, this.credit + (now - this.updatedAt) * this.limit);
    this.updatedAt = now;
  }
}
