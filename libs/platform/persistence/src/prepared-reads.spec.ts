import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { PreparedReads } from './prepared-reads';
import { SqlParams } from './row-reader';

@Entity('pr_things')
class Thing {
  @PrimaryColumn({ type: 'varchar', length: 16 }) id!: string;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName!: string | null;
  @Column({ name: 'is_on', type: 'boolean' }) isOn!: boolean;
}

const PG = process.env['TEST_DATABASE_URL'];

/** Runs `sql` on the server's maintenance database. */
async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: PG });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe.each(['sqlite', ...(PG ? ['postgres'] : [])])('PreparedReads (%s)', (kind) => {
  let ds: DataSource;
  const postgres = kind === 'postgres';
  const pgName = `ocb_reads_${randomBytes(4).toString('hex')}`;
  const select = (ids: string[], on?: boolean) => {
    const p = new SqlParams(postgres);
    const where = [`"t"."id" IN (${ids.map((id) => p.add(id)).join(', ')})`, ...(on === undefined ? [] : [`"t"."is_on" = ${p.add(on)}`])];
    return { sql: `SELECT "t"."id", "t"."display_name", "t"."is_on" FROM "pr_things" "t" WHERE ${where.join(' AND ')} ORDER BY "t"."id"`, params: p.values };
  };

  beforeAll(async () => {
    if (postgres) {
      await admin(`CREATE DATABASE "${pgName}"`);
      const url = new URL(PG ?? '');
      url.pathname = `/${pgName}`;
      ds = await new DataSource({ type: 'postgres', url: url.toString(), entities: [Thing], synchronize: true, extra: { max: 1 } }).initialize();
    } else {
      ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Thing], synchronize: true }).initialize();
    }
    await ds.getRepository(Thing).save([
      { id: 'a', displayName: 'Alpha', isOn: true },
      { id: 'b', displayName: null, isOn: false },
    ]);
  });
  afterAll(async () => {
    await ds.destroy();
    if (postgres) await admin(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  });

  it('answers rows as arrays in select-list order, booleans bound and nulls kept', async () => {
    const reads = new PreparedReads(ds);
    const { sql, params } = select(['a', 'b']);
    const rows = await reads.rows(sql, params);
    expect(rows.map(([id, name]) => [id, name])).toEqual([
      ['a', 'Alpha'],
      ['b', null],
    ]);
    expect(rows.map((r) => r[2])).toEqual(postgres ? [true, false] : [1, 0]);
    const off = select(['a', 'b'], false);
    expect((await reads.rows(off.sql, off.params)).map((r) => r[0])).toEqual(['b']);
  });

  it('prepares a statement once and runs it again with other values; sees writes made through TypeORM', async () => {
    const reads = new PreparedReads(ds);
    const { sql } = select(['a']);
    expect((await reads.rows(sql, ['a'])).map((r) => r[0])).toEqual(['a']);
    await ds.getRepository(Thing).save({ id: 'c', displayName: 'Gamma', isOn: true });
    expect((await reads.rows(sql, ['c'])).map((r) => r[1])).toEqual(['Gamma']);
    if (postgres) {
      // a named statement of the (one-connection) pool: parsed once, planned from then on without a parse
      const named = (await ds.query(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'ocb_read_%' ORDER BY name`)) as Array<{ name: string; statement: string }>;
      expect(named.filter((n) => n.statement === sql)).toHaveLength(1);
    }
  });
});
