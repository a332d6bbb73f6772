import { ConfigError } from '@ocb/config';
import { loadAuthConfig } from './auth.config';

describe('auth config', () => {
  const prod = { NODE_ENV: 'production', PLATFORM_API_KEY: 'p-secret', INTERNAL_API_KEY: 'i-secret', CLIENT_SECRET: 'c-secret' };

  it('has development defaults matching the simulator', () => {
    const c = loadAuthConfig({});
    expect(c.AUTH_PORT).toBe(3001);
    expect(c.DELEGATED_SCOPES).toBe('Calendars.ReadWrite offline_access');
    expect(c.AUTH_PUBLIC_URL).toBe('http://localhost:3001');
  });

  it('refuses production with the default or a missing TOKEN_ENCRYPTION_KEY', () => {
    expect(() => loadAuthConfig({ ...prod, TOKEN_ENCRYPTION_KEY: 'dev-token-encryption-key-change-me' })).toThrow(
      /TOKEN_ENCRYPTION_KEY: still holds its development default/,
    );
    expect(() => loadAuthConfig(prod)).toThrow(ConfigError);
    expect(() => loadAuthConfig(prod)).toThrow(/TOKEN_ENCRYPTION_KEY: must be set/);
    expect(loadAuthConfig({ ...prod, TOKEN_ENCRYPTION_KEY: 'a-real-secret-of-some-length' }).NODE_ENV).toBe('production');
  });

  it('names malformed settings', () => {
    expect(() => loadAuthConfig({ TOKEN_ENCRYPTION_KEY: 'short' })).toThrow(/TOKEN_ENCRYPTION_KEY/);
    expect(() => loadAuthConfig({ AUTH_PUBLIC_URL: 'not a url' })).toThrow(/AUTH_PUBLIC_URL/);
    expect(() => loadAuthConfig({ ALLOWED_RETURN_URLS: '/relative' })).toThrow(/ALLOWED_RETURN_URLS/);
    expect(() => loadAuthConfig({ TOKEN_ENCRYPTION_OLD_KEYS: 'no-key-id' })).toThrow(/TOKEN_ENCRYPTION_OLD_KEYS/);
    expect(loadAuthConfig({ TOKEN_ENCRYPTION_OLD_KEYS: 'k1:secret-one,k2:secret:two' }).TOKEN_ENCRYPTION_OLD_KEYS).toBe('k1:secret-one,k2:secret:two');
  });
});
