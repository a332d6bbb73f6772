import { INTERNAL_AUTH, PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { ADELE, ALEX, type AuthRig, authSuite, connectRoundTrip, type KitUser, MEGAN } from '../testing/auth-test-kit';

async function userToken(auth: AuthRig, user: string) {
  const res = await fetch(`${auth.url}/api/internal/users/${encodeURIComponent(user)}/token`, { headers: INTERNAL_AUTH });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function connection(auth: AuthRig, user: string) {
  const res = await fetch(`${auth.url}/api/auth/users/${encodeURIComponent(user)}/connection`, { headers: PLATFORM_AUTH });
  return { status: res.status, body: (await res.json()) as { connected?: boolean; code?: string } };
}

describe.each(testDatabaseKinds())('directory changes: users are resolved by id, freshly (%s)', (kind) => {
  const rig = authSuite(kind);
  /** Adele's UPN, taken over by a new person after Adele left (alias reuse, or a re-created tenant). */
  const NEW_ADELE: KitUser = { ...ADELE, id: 'a1b2c3d4-0000-4000-8000-0000000000aa', displayName: 'Adele Newcomer', mail: 'adele.newcomer@contoso.com' };
  const MEGAN_RENAMED: KitUser = { ...MEGAN, userPrincipalName: 'Megan.Bowen@contoso.onmicrosoft.com' };


  it("the new holder of a UPN connects as themselves, and the previous holder's tokens never serve them", async () => {
    expect((await connectRoundTrip(rig.auth.url, ADELE.userPrincipalName)).callback.status).toBe(200);
    expect((await userToken(rig.auth, ADELE.userPrincipalName)).body).toMatchObject({ userId: ADELE.id });

    // Adele leaves; her UPN is given to someone else (POST /_sim/reset and a reseed)
    rig.sim.sim.simulator.seed({ tenant: { users: [NEW_ADELE, ALEX, MEGAN] } });

    // by UPN: the new person, who has not connected
    expect((await connection(rig.auth, ADELE.userPrincipalName)).body).toMatchObject({ connected: false });
    const before = await userToken(rig.auth, ADELE.userPrincipalName);
    expect(before.status).toBe(409);
    expect(before.body).toMatchObject({ code: 'CONSENT_REQUIRED' });
    // Adele, gone from the directory, lost her stored tokens
    expect((await connection(rig.auth, ADELE.id)).body).toMatchObject({ connected: false });

    // the new holder connects (no ACCOUNT_MISMATCH), and gets tokens of their own
    const trip = await connectRoundTrip(rig.auth.url, ADELE.userPrincipalName);
    expect(trip.callback.status).toBe(200);
    expect(trip.callback.text).not.toMatch(/ACCOUNT_MISMATCH/);
    expect((await connection(rig.auth, ADELE.userPrincipalName)).body).toMatchObject({ connected: true });
    const token = await userToken(rig.auth, ADELE.userPrincipalName);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ userId: NEW_ADELE.id, userPrincipalName: ADELE.userPrincipalName });
    expect(rig.sim.identity.verify(`Bearer ${token.body['accessToken']}`)).toMatchObject({ ok: true, principal: { kind: 'user', userId: NEW_ADELE.id } });
  });

  it('a renamed user keeps their connection under the new UPN; the old UPN finds nobody', async () => {
    expect((await connectRoundTrip(rig.auth.url, MEGAN.userPrincipalName)).callback.status).toBe(200);
    rig.sim.sim.simulator.seed({ tenant: { users: [NEW_ADELE, ALEX, MEGAN_RENAMED] } });
    const token = await userToken(rig.auth, MEGAN_RENAMED.userPrincipalName);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ userId: MEGAN.id, userPrincipalName: MEGAN_RENAMED.userPrincipalName });
    expect((await connection(rig.auth, MEGAN.userPrincipalName)).status).toBe(404);
    // by id, as before: no directory lookup needed
    expect((await userToken(rig.auth, MEGAN.id)).body).toMatchObject({ userId: MEGAN.id, userPrincipalName: MEGAN_RENAMED.userPrincipalName });
  });

  it('two users who swap UPNs each keep their own tokens', async () => {
    expect((await connectRoundTrip(rig.auth.url, ALEX.userPrincipalName)).callback.status).toBe(200);
    const swappedAlex = { ...ALEX, userPrincipalName: MEGAN_RENAMED.userPrincipalName };
    const swappedMegan = { ...MEGAN_RENAMED, userPrincipalName: ALEX.userPrincipalName };
    rig.sim.sim.simulator.seed({ tenant: { users: [NEW_ADELE, swappedAlex, swappedMegan] } });
    expect((await userToken(rig.auth, ALEX.userPrincipalName)).body).toMatchObject({ userId: MEGAN.id });
    expect((await userToken(rig.auth, MEGAN_RENAMED.userPrincipalName)).body).toMatchObject({ userId: ALEX.id });
  });
});
