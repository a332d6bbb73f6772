import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from './bulk-writer';
import { isPostgres } from './database-url';

/** The part of better-sqlite3's statement API used here (the package ships no types). */
interface SqliteReadStatement {
  raw(on: boolean): SqliteReadStatement;
  all(...params: unknown[]): unknown[][];
}

/** The part of pg's Pool used here. */
interface PgPool {
  query(config: { name?: string; text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
}

/** Distinct statements kept prepared per data source (beyond: run unprepared). */
const MAX_STATEMENTS = 200;

/**
 * SELECTs of a hot read path (the read API's listing) run as prepared statements answering each
 * row as an array of column values, without TypeORM's query pipeline. On SQLite a statement is
 * prepared once on the better-sqlite3 handle and read in raw (array) mode: building a row object
 * of 20-odd named properties cost more than the query. On PostgreSQL a statement is named, so each
 * pool connection parses it once and then plans it once for all (a generic plan after five
 * executions) instead of parsing and planning every request; rows come as arrays. Same connection
 * and visibility as `DataSource.query` (the SQLite handle is TypeORM's own; the pool is TypeORM's).
 * Booleans bind as 1/0 on SQLite and come back as 0/1 there, as booleans on PostgreSQL.
 */
export class PreparedReads {
  private readonly sqlite = new Map<string, { db: unknown; stmt: SqliteReadStatement }>();
  private readonly pgNames = new Map<string, string>();

  constructor(private readonly ds: DataSource) {}

  /** The rows of `sql` (placeholders `?` on SQLite, `$n` on PostgreSQL) as arrays, in select-list order. */
  async rows(sql: string, params: unknown[]): Promise<unknown[][]> {
    if (isPostgres(this.ds)) {
      const pool = (this.ds.driver as unknown as { master: PgPool }).master;
      // named by the text's digest: every PreparedReads of a pool (one per repository) agrees on a statement's name
      let name = this.pgNames.get(sql);
      if (name === undefined && this.pgNames.size < MAX_STATEMENTS) this.pgNames.set(sql, (name = `ocb_read_${createHash('sha1').update(sql).digest('hex').slice(0, 32)}`));
      return (await pool.query({ name, text: sql, values: params, rowMode: 'array' })).rows;
    }
    const db = sqliteHandle(this.ds);
    let cached = this.sqlite.get(sql);
    if (!cached || cached.db !== db) {
      cached = { db, stmt: (db.prepare(sql) as unknown as SqliteReadStatement).raw(true) };
      if (this.sqlite.size >= MAX_STATEMENTS) this.sqlite.delete(this.sqlite.keys().next().value as string);
      this.sqlite.set(sql, cached);
    }
    return cached.stmt.all(...params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)));
  }
}
