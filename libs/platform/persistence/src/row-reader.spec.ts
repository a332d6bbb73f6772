import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { rowReader, SqlParams } from './row-reader';

@Entity('rr_things')
class Thing {
  @PrimaryColumn({ type: 'varchar', length: 16 }) id!: string;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName!: string | null;
  @Column({ name: 'is_on', type: 'boolean' }) isOn!: boolean;
}

describe('rowReader', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Thing], synchronize: true }).initialize();
    await ds.getRepository(Thing).save([
      { id: 'a', displayName: 'Alpha', isOn: true },
      { id: 'b', displayName: null, isOn: false },
    ]);
  });
  afterAll(() => ds.destroy());

  it('reads rows of plain SQL as TypeORM would hydrate them (property names, booleans from 0/1, nulls)', async () => {
    const reader = rowReader(ds, Thing, 't');
    const p = new SqlParams(false);
    const rows = await ds.query<Array<Record<string, unknown>>>(`SELECT ${reader.columns} FROM "rr_things" "t" WHERE "t"."id" IN (${p.add('a')}, ${p.add('b')}) ORDER BY "t"."id"`, p.values);
    const plain = rows.map((r) => reader.read(r));
    expect(plain).toEqual(await ds.getRepository(Thing).find({ order: { id: 'ASC' } }));
    expect(plain[0]).toBeInstanceOf(Thing);
    expect(plain.map((t) => t.isOn)).toEqual([true, false]);
    expect(plain[1].displayName).toBeNull();
  });

  it('reads PostgreSQL booleans and is built once per entity and alias', () => {
    const reader = rowReader(ds, Thing, 'x');
    expect(reader.read({ id: 'c', display_name: 'C', is_on: true })).toEqual(Object.assign(new Thing(), { id: 'c', displayName: 'C', isOn: true }));
    expect(reader.columns).toBe('"x"."id" AS "id", "x"."display_name" AS "display_name", "x"."is_on" AS "is_on"');
    expect(rowReader(ds, Thing, 'x')).toBe(reader);
  });
});

describe('SqlParams', () => {
  it('numbers marks on PostgreSQL and uses ? on SQLite, keeping the values in order', () => {
    const pg = new SqlParams(true);
    expect([pg.add(1), pg.add('x')]).toEqual(['$1', '$2']);
    expect(pg.values).toEqual([1, 'x']);
    const lite = new SqlParams(false);
    expect([lite.add(1), lite.add(2)]).toEqual(['?', '?']);
    expect(lite.values).toEqual([1, 2]);
  });
});
