import { PLATFORM_AUTH, testDatabaseKinds } from '@ocb/testing';
import { ADELE, ALEX, MEGAN, startAuth, startSimulator, type AuthRig, type SimulatorRig } from '../testing/auth-test-kit';

describe.each(testDatabaseKinds())('GET /api/directory/users?q= (%s)', (kind) => {
  let sim: SimulatorRig;
  let auth: AuthRig;

  beforeAll(async () => {
    sim = startSimulator();
    auth = await startAuth(kind);
  });
  afterAll(async () => {
    await auth?.close();
    sim?.close();
  });

  async function search(qs: string, headers: Record<string, string> = PLATFORM_AUTH) {
    const res = await fetch(`${auth.url}/api/directory/users?${qs}`, { headers });
    return { status: res.status, body: (await res.json()) as { items?: Array<Record<string, unknown>>; code?: string; message?: string } };
  }

  it('finds users by the start of their display name or mail, case-insensitively', async () => {
    const byName = await search('q=ADE');
    expect(byName.status).toBe(200);
    expect(byName.body.items).toEqual([{ id: ADELE.id, userPrincipalName: ADELE.userPrincipalName, mail: ADELE.mail, displayName: ADELE.displayName }]);
    const byMail = await search('q=megan.b');
    expect(byMail.body.items?.map((u) => u.id)).toEqual([MEGAN.id]);
    const trimmed = await search(`q=${encodeURIComponent(' a ')}`); // trimmed to one character
    expect(trimmed.status).toBe(400);
    const many = await search('q=al');
    expect(many.body.items?.map((u) => u.displayName)).toEqual([ALEX.displayName]);
  });

  it('answers top users at most, and nobody for a prefix nobody has (quotes escaped as OData does)', async () => {
    expect((await search('q=zz')).body.items).toEqual([]);
    const quoted = await search(`q=${encodeURIComponent("o'brien")}`);
    expect(quoted.status).toBe(200);
    expect(quoted.body.items).toEqual([]);
    sim.sim.simulator.seed({ tenant: { users: [ADELE, ALEX, MEGAN, { ...MEGAN, id: 'a1b2c3d4-0000-4000-8000-000000000004', userPrincipalName: 'MeganC@contoso.onmicrosoft.com', mail: 'megan.c@contoso.com', displayName: 'Megan Carter' }] } });
    expect((await search('q=megan')).body.items).toHaveLength(2);
    expect((await search('q=megan&top=1')).body.items).toHaveLength(1);
  });

  it('400 naming q when it is missing, too short or too long; 400 naming top when out of range', async () => {
    for (const qs of ['', 'q=a', `q=${'x'.repeat(65)}`]) {
      const r = await search(qs);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^q: /) });
    }
    const top = await search('q=ad&top=99');
    expect(top.status).toBe(400);
    expect(top.body.message).toMatch(/^top: /);
  });

  it('needs the platform key', async () => {
    expect((await search('q=ade', {})).status).toBe(401);
  });
});
