import { ConfigError } from '@ocb/config';
import { startInProcessSimulator, type InProcessSimulator } from '@ocb/testing';
import { startSync } from '../testing/sync-test-kit';
import { loadSyncConfig, SQLITE_CACHE_KIB_DEFAULT } from './sync.config';

describe('SYNC_SQLITE_CACHE_KIB', () => {
  it('defaults to 16 MiB', () => {
    expect(SQLITE_CACHE_KIB_DEFAULT).toBe(16_384);
    expect(loadSyncConfig({}).SYNC_SQLITE_CACHE_KIB).toBe(16_384);
    expect(loadSyncConfig({ SYNC_SQLITE_CACHE_KIB: '65536' }).SYNC_SQLITE_CACHE_KIB).toBe(65_536);
  });

  it.each(['lots', '512', '2.5', '2000000', '-4096'])('refuses %s, naming the setting', (value) => {
    expect(() => loadSyncConfig({ SYNC_SQLITE_CACHE_KIB: value })).toThrow(ConfigError);
    expect(() => loadSyncConfig({ SYNC_SQLITE_CACHE_KIB: value })).toThrow(/SYNC_SQLITE_CACHE_KIB: /);
  });

  describe('applied to the connection at start-up', () => {
    let sim: InProcessSimulator;
    beforeAll(() => {
      sim = startInProcessSimulator({ users: 1, eventsPerUser: 1, seed: 3 });
    });
    afterAll(() => sim.close());

    it.each([4096, 20_480])('PRAGMA cache_size is -%s (KiB)', async (kib) => {
      const rig = await startSync('sqlite', sim, { SYNC_SQLITE_CACHE_KIB: String(kib) });
      try {
        expect(await rig.ds.query('PRAGMA cache_size')).toEqual([{ cache_size: -kib }]);
      } finally {
        await rig.close();
      }
    });
  });
});
