import type { Clock } from './clock';

export interface Expiring<T> {
  value: T;
  /** Clock time (ms) at which the value stops being valid. */
  expiresAt: number;
}

export interface ExpiringCacheOptions {
  clock: Pick<Clock, 'now'>;
  /**
   * How long before expiry a value is renewed: a fixed margin, or one computed from the value's
   * lifetime when it was loaded (e.g. "5 minutes, or half the lifetime when shorter").
   */
  renewBeforeMs: number | ((lifetimeMs: number) => number);
  /** The cache is emptied when it would hold more keys than this (default 10 000). */
  maxEntries?: number;
}

/**
 * Values (tokens) kept until shortly before they expire, loaded once for all concurrent callers of
 * a key (single flight). `force` drops the kept value and loads anew (e.g. after a 401).
 */
export class ExpiringCache<T> {
  private readonly kept = new Map<string, { value: T; renewAt: number }>();
  private readonly loading = new Map<string, Promise<T>>();

  constructor(private readonly options: ExpiringCacheOptions) {}

  get(key: string, load: () => Promise<Expiring<T>>, force = false): Promise<T> {
    const kept = this.kept.get(key);
    if (force) this.kept.delete(key);
    else if (kept && this.options.clock.now() < kept.renewAt) return Promise.resolve(kept.value);
    // a forced load does not join a plain one (which may bring back the value being replaced)
    const flight = force ? `${key}\u0000force` : key;
    let pending = this.loading.get(flight);
    if (!pending) {
      pending = this.load(key, load).finally(() => this.loading.delete(flight));
      this.loading.set(flight, pending);
    }
    return pending;
  }

  /** Forgets a key's value, or only when `matches` says it is the one to forget. */
  invalidate(key: string, matches?: (value: T) => boolean): void {
    const kept = this.kept.get(key);
    if (kept && (!matches || matches(kept.value))) this.kept.delete(key);
  }

  private async load(key: string, load: () => Promise<Expiring<T>>): Promise<T> {
    const { value, expiresAt } = await load();
    const now = this.options.clock.now();
    const lifetime = Math.max(0, expiresAt - now);
    const margin = typeof this.options.renewBeforeMs === 'number' ? this.options.renewBeforeMs : this.options.renewBeforeMs(lifetime);
    if (this.kept.size >= (this.options.maxEntries ?? 10_000)) this.kept.clear();
    this.kept.set(key, { value, renewAt: expiresAt - margin });
    return value;
  }
}
