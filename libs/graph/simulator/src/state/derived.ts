/**
 * Bounded caches of values derived from state objects (the JSON pieces of an event's content, for
 * example), keyed by object identity. State that is changed in place tells them to forget the
 * object (`forgetDerived`), so a derived value never outlives what it was derived from.
 */
const registry: Array<DerivedCache<object, unknown>> = [];

export class DerivedCache<K extends object, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max = 8192) {
    registry.push(this as unknown as DerivedCache<object, unknown>);
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    // Cleared when full: cheap, and a sync-like reader only revisits what it just read.
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

/** Drops everything derived from `obj` (call after changing it in place). */
export function forgetDerived(obj: object): void {
  for (const c of registry) c.delete(obj);
}
