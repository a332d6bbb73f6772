import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { INTERNAL_AUTH, testDatabaseKinds } from '@ocb/testing';
import { ADELE, ALEX, type AuthRig, authSuite, connectRoundTrip, type SimulatorRig, startAuth, startSimulator } from '../testing/auth-test-kit';
import { TokenCacheEntity } from './token-cache.entity';
import { TokenStore } from './token-store.service';
import { keyIdOf } from './token-crypto';

interface Serialized {
  AccessToken: Record<string, { secret: string }>;
  RefreshToken: Record<string, { secret: string }>;
  IdToken: Record<string, { secret: string }>;
}

async function secretsOf(auth: AuthRig, userId: string): Promise<string[]> {
  const cache = JSON.parse((await auth.app.app.get(TokenStore).load(userId))!.cache!) as Serialized;
  const out: string[] = [];
  for (const part of [cache.AccessToken, cache.RefreshToken, cache.IdToken]) {
    for (const { secret } of Object.values(part)) {
      out.push(secret);
      // Substrings too: a JWT's signature, a slice of the refresh token.
      out.push(secret.includes('.') ? secret.split('.').pop()! : secret.slice(10, 50));
    }
  }
  return out;
}

describe('token store on SQLite: the raw file holds no token', () => {
  const rig = authSuite('sqlite');


  it('after connect and refresh, neither the database nor its WAL contains a token string', async () => {
    await connectRoundTrip(rig.auth.url, ADELE.id);
    const res = await fetch(`${rig.auth.url}/api/internal/users/${ADELE.id}/token?forceRefresh=true`, { headers: INTERNAL_AUTH });
    const { accessToken } = (await res.json()) as { accessToken: string };
    const secrets = [accessToken, ...(await secretsOf(rig.auth, ADELE.id))];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const dir = dirname(rig.auth.db.file!);
    const files = readdirSync(dir).filter((f) => f.startsWith('db.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['db.sqlite', 'db.sqlite-wal']));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    expect(bytes.includes(Buffer.from(ADELE.id))).toBe(true); // the file is readable as-is
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });
});

describe.each(testDatabaseKinds())('token store key rotation (%s)', (kind) => {
  let sim: SimulatorRig;

  beforeAll(() => {
    sim = startSimulator();
  });
  afterAll(() => sim?.close());

  it('records sealed with an old key stay readable and are re-sealed with the current key on read', async () => {
    const first = await startAuth(kind, { TOKEN_ENCRYPTION_KEY: 'first-key-for-the-token-store' });
    let second: AuthRig | undefined;
    try {
      await connectRoundTrip(first.url, ALEX.id);
      const ds = first.app.app.get(DataSource);
      expect((await ds.getRepository(TokenCacheEntity).findOneBy({ userId: ALEX.id }))!.keyId).toBe(keyIdOf('first-key-for-the-token-store'));
      await first.app.close();
      // Same database, rotated key.
      second = await startAuth(kind, {
        DATABASE_URL: first.db.url,
        TOKEN_ENCRYPTION_KEY: 'second-key-for-the-token-store',
        TOKEN_ENCRYPTION_OLD_KEYS: 'old:first-key-for-the-token-store',
      });
      const res = await fetch(`${second.url}/api/internal/users/${ALEX.id}/token`, { headers: INTERNAL_AUTH });
      expect(res.status).toBe(200);
      const row = await second.app.app.get(DataSource).getRepository(TokenCacheEntity).findOneBy({ userId: ALEX.id });
      expect(row!.keyId).toBe(keyIdOf('second-key-for-the-token-store'));
    } finally {
      await second?.app.close();
      await first.db.drop();
      await second?.db.drop();
    }
  }, 30_000); // boots two auth apps on one database: more than the default 5 s on a loaded machine
});
