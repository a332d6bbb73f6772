import { testDatabaseKinds, type InProcessSimulator } from '@ocb/testing';
import { api, fullSync, startInProcessSimulator, startSync, type SyncRig } from '../testing/sync-test-kit';
import { USER_LOOKUP_TTL_MS, UsersRepository } from './users.repository';

describe.each(testDatabaseKinds())('the read API\'s user lookup (%s)', (kind) => {
  let sim: InProcessSimulator;
  let rig: SyncRig;
  let users: UsersRepository;
  const mark = (i: number) => (kind === 'postgres' ? `$${i}` : '?');
  /** A change another replica would make: straight to the table, not through this process's repository. */
  const renameBehindTheBack = (id: string, upn: string) =>
    rig.ds.query(`UPDATE sync_users SET user_principal_name = ${mark(1)}, upn_lower = ${mark(2)} WHERE id = ${mark(3)}`, [upn, upn.toLowerCase(), id]);

  beforeAll(async () => {
    sim = startInProcessSimulator({ users: 3, eventsPerUser: 2, seed: 5 });
    rig = await startSync(kind, sim);
    users = rig.app.app.get(UsersRepository);
    expect((await fullSync(rig)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await rig.close();
    sim.close();
  });
  afterEach(() => jest.restoreAllMocks());
  /** The user lookups reaching the database from now on (the service's background work queries other tables meanwhile). */
  const lookupQueries = () => {
    const spy = jest.spyOn(rig.ds, 'query');
    return () => spy.mock.calls.filter(([sql]) => /FROM "sync_users"/.test(String(sql))).length;
  };

  it('answers a user found within the TTL from memory, and reads again after it', async () => {
    const u = sim.simulator.state.users[0];
    // a whole number: (ms + TTL) - ms is then exactly TTL (with a fraction it can come out a hair under it)
    const ms = Math.floor(performance.now());
    const clock = jest.spyOn(performance, 'now').mockReturnValue(ms);
    expect((await users.findRecent(u.userPrincipalName))?.id).toBe(u.id);
    const lookups = lookupQueries();
    expect((await users.findRecent(u.userPrincipalName))?.id).toBe(u.id);
    expect(lookups()).toBe(0);
    await renameBehindTheBack(u.id, 'renamed@contoso.com');
    clock.mockReturnValue(ms + USER_LOOKUP_TTL_MS - 1);
    expect((await users.findRecent(u.userPrincipalName))?.userPrincipalName).toBe(u.userPrincipalName);
    clock.mockReturnValue(ms + USER_LOOKUP_TTL_MS);
    expect((await users.findRecent(u.userPrincipalName))?.userPrincipalName).toBe('renamed@contoso.com');
    expect((await users.findRecent('RENAMED@contoso.com'))?.id).toBe(u.id);
  });

  it('forgets every looked-up user when this process writes users', async () => {
    const u = sim.simulator.state.users[1];
    expect((await users.findRecent(u.id))?.userPrincipalName).toBe(u.userPrincipalName);
    await renameBehindTheBack(u.id, 'moved@contoso.com');
    // the repository's own write (here: another user's) drops the remembered lookups
    const other = sim.simulator.state.users[2];
    await users.claim({ id: other.id, userPrincipalName: other.userPrincipalName, mail: other.mail, displayName: 'Renamed' }, Date.now());
    expect((await users.findRecent(u.id))?.userPrincipalName).toBe('moved@contoso.com');
    await users.remove([u.id]);
    expect(await users.findRecent(u.id)).toBeNull();
    expect((await api.get(rig, `users/${u.id}/events`)).status).toBe(404);
  });

  it('does not remember a user not found', async () => {
    expect(await users.findRecent('nobody@contoso.com')).toBeNull();
    const lookups = lookupQueries();
    expect(await users.findRecent('nobody@contoso.com')).toBeNull();
    expect(lookups()).toBe(1);
  });
});
