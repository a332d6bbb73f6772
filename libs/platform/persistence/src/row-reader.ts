import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Reads an entity's rows from plain SQL: the select list of its columns and a row → entity
 * mapping built once from TypeORM's metadata. For the hot read paths (a listing page, a user
 * lookup), where TypeORM's query builder and hydration cost more CPU than the query itself
 * (sync's events listing: ~40 % of a request's CPU went to building the SQL text and
 * transforming the raw rows). Column types handled: text/varchar (as stored) and boolean
 * (SQLite stores 0/1, PostgreSQL answers booleans).
 */
export interface RowReader<T> {
  /** `"t"."col" AS "col", ...` for every column of the entity, qualified by `alias`. */
  readonly columns: string;
  /** The entity of one raw row selected with `columns`. */
  read(row: Record<string, unknown>): T;
}

const cache = new WeakMap<EntityMetadata, Map<string, RowReader<unknown>>>();

export function rowReader<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>, alias: string): RowReader<T> {
  const meta = ds.getMetadata(target);
  let byAlias = cache.get(meta);
  if (!byAlias) cache.set(meta, (byAlias = new Map()));
  const known = byAlias.get(alias);
  if (known) return known as RowReader<T>;
  const cols = meta.columns.map((c) => ({ db: c.databaseName, prop: c.propertyName, bool: c.type === 'boolean' || c.type === Boolean }));
  const reader: RowReader<T> = {
    columns: cols.map((c) => `"${alias}"."${c.db}" AS "${c.db}"`).join(', '),
    read(row) {
      const out: Record<string, unknown> = Object.create(meta.target instanceof Function ? (meta.target.prototype as object) : Object.prototype) as Record<string, unknown>;
      for (const c of cols) {
        const v = row[c.db];
        out[c.prop] = v === null || v === undefined ? null : c.bool ? v === true || v === 1 || v === '1' || v === 't' : v;
      }
      return out as T;
    },
  };
  byAlias.set(alias, reader as RowReader<unknown>);
  return reader;
}

/** Parameters of one plain SQL statement: `add` answers the mark (`$n` on PostgreSQL, `?` on SQLite). */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly postgres: boolean) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.postgres ? `$${this.values.length}` : '?';
  }
}
