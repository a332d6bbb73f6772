/**
 * Instants are stored as fixed-width UTC ISO strings (`2026-12-01T18:00:00.000Z`): portable across
 * SQLite and PostgreSQL, and text order equals time order.
 */
export function toInstant(value: Date | number | string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`not a valid instant: ${String(value)}`);
  if (typeof value === 'string' && !/(Z|[+-]\d\d:?\d\d)$/i.test(value)) {
    throw new Error(`instant without a zone designator: ${value}`);
  }
  return d.toISOString();
}

export const INSTANT_LENGTH = 24;
