import { keyIdOf, parseOldKeys, TokenCrypto } from './token-crypto';

const crypto = (key: string, old = '') => new TokenCrypto({ TOKEN_ENCRYPTION_KEY: key, TOKEN_ENCRYPTION_OLD_KEYS: old });

describe('TokenCrypto (AES-256-GCM)', () => {
  it('seals and opens; the ciphertext reveals nothing and is bound to its context', () => {
    const c = crypto('first-secret-key-0123456789');
    const sealed = c.seal('refresh-token-value', 'user-1');
    expect(sealed.keyId).toBe(c.currentKeyId);
    expect(sealed.keyId).toBe(keyIdOf('first-secret-key-0123456789'));
    expect(sealed.keyId).not.toContain('first-secret');
    expect(Buffer.from(sealed.data, 'base64url').toString('latin1')).not.toContain('refresh-token');
    expect(c.seal('refresh-token-value', 'user-1').data).not.toBe(sealed.data);
    expect(c.open(sealed, 'user-1')).toEqual({ plaintext: 'refresh-token-value', stale: false });
    expect(() => c.open(sealed, 'user-2')).toThrow();
    const tampered = Buffer.from(sealed.data, 'base64url');
    tampered[tampered.length - 1] ^= 1;
    expect(() => c.open({ ...sealed, data: tampered.toString('base64url') }, 'user-1')).toThrow();
  });

  it('reads values sealed with an old key (by label or derived id) and reports them stale', () => {
    const before = crypto('first-secret-key-0123456789');
    const sealed = before.seal('v', 'ctx');
    const rotated = crypto('second-secret-key-0123456789', 'k2025:first-secret-key-0123456789');
    expect(rotated.open(sealed, 'ctx')).toEqual({ plaintext: 'v', stale: true });
    expect(rotated.open({ keyId: 'k2025', data: sealed.data }, 'ctx')).toEqual({ plaintext: 'v', stale: true });
    expect(rotated.seal('v', 'ctx').keyId).toBe(keyIdOf('second-secret-key-0123456789'));
    expect(() => crypto('second-secret-key-0123456789').open(sealed, 'ctx')).toThrow(/TOKEN_ENCRYPTION_OLD_KEYS/);
  });

  it('parses TOKEN_ENCRYPTION_OLD_KEYS', () => {
    expect(parseOldKeys(' a:x:y , b:z ')).toEqual([
      { label: 'a', secret: 'x:y' },
      { label: 'b', secret: 'z' },
    ]);
    expect(parseOldKeys('')).toEqual([]);
    expect(() => parseOldKeys('nokey')).toThrow(/keyId:secret/);
  });
});
