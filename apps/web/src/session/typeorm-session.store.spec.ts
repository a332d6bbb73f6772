import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@ocb/persistence';
import type { SessionData } from 'express-session';
import { migrations } from '../migrations';
import { SessionEntity } from './session.entity';
import { TypeormSessionStore } from './typeorm-session.store';

const get = (s: TypeormSessionStore, sid: string) =>
  new Promise<SessionData | null | undefined>((res, rej) => s.get(sid, (e, v) => (e ? rej(e) : res(v))));
const set = (s: TypeormSessionStore, sid: string, d: SessionData) => new Promise<void>((res, rej) => s.set(sid, d, (e) => (e ? rej(e) : res())));

describe('TypeormSessionStore (SQLite, migrated)', () => {
  let ds: DataSource;
  let now = 1_000_000;
  let store: TypeormSessionStore;
  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions({ url: 'sqlite::memory:', entities: [SessionEntity], migrations }));
    await ds.initialize();
    store = new TypeormSessionStore(ds.getRepository(SessionEntity), 60_000, () => now);
  });
  afterAll(() => ds.destroy());

  it('stores, replaces, expires and sweeps sessions', async () => {
    const data = { cookie: { originalMaxAge: 60_000 }, user: { upn: 'a@contoso.com', name: 'A', oid: '1' } } as unknown as SessionData;
    await set(store, 's1', data);
    expect((await get(store, 's1'))?.user?.upn).toBe('a@contoso.com');
    await set(store, 's1', { ...data, locale: 'de' });
    expect((await get(store, 's1'))?.locale).toBe('de');
    now += 61_000;
    expect(await get(store, 's1')).toBeNull();
    expect(await store.sweep()).toBe(1);
    await new Promise<void>((r) => store.destroy('s1', () => r()));
  });

  it('touch extends the expiry without writing back the data the request loaded', async () => {
    const loaded = { cookie: { originalMaxAge: 60_000 }, locale: 'en' } as unknown as SessionData;
    await set(store, 's2', loaded);
    await set(store, 's2', { ...loaded, flash: 'from a concurrent request' });
    const expires = new Date(now + 120_000);
    await new Promise<void>((res, rej) => store.touch('s2', { ...loaded, cookie: { ...loaded.cookie, expires } } as unknown as SessionData, (e) => (e ? rej(e) : res())));
    expect((await get(store, 's2'))?.flash).toBe('from a concurrent request');
    now += 90_000;
    expect((await get(store, 's2'))?.flash).toBe('from a concurrent request');
  });
});
