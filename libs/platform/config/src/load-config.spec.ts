import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { baseSchema, databaseSchema, graphSchema } from './schemas';

const schema = baseSchema.merge(graphSchema).merge(databaseSchema('auth'));

describe('loadConfig', () => {
  it('applies development defaults', () => {
    const c = loadConfig(schema, {});
    expect(c.PLATFORM_API_KEY).toBe('dev-platform-key');
    expect(c.DATABASE_URL).toBe('sqlite:./data/auth.db');
    expect(c.GRAPH_MAX_REQUESTS_PER_SECOND).toBe(60);
    expect(c.GRAPH_BASE_URL).toBe('https://graph.microsoft.com');
  });

  it('names the variable that is malformed', () => {
    expect(() => loadConfig(schema, { GRAPH_MAX_REQUESTS_PER_SECOND: 'fast' })).toThrow(/GRAPH_MAX_REQUESTS_PER_SECOND/);
    expect(() => loadConfig(schema, { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('refuses production with a default or missing secret, naming it', () => {
    const prodEnv = { NODE_ENV: 'production', PLATFORM_API_KEY: 'p-secret', CLIENT_SECRET: 'c-secret' };
    try {
      loadConfig(schema, prodEnv);
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toMatch(/INTERNAL_API_KEY: must be set/);
      expect((e as ConfigError).message).not.toMatch(/PLATFORM_API_KEY/);
    }
    expect(() => loadConfig(schema, { ...prodEnv, INTERNAL_API_KEY: 'dev-internal-key' })).toThrow(
      /INTERNAL_API_KEY: still holds its development default/,
    );
    expect(loadConfig(schema, { ...prodEnv, INTERNAL_API_KEY: 'i-secret' }).NODE_ENV).toBe('production');
  });

  it('only checks the secrets a service declares', () => {
    const small = z.object({ NODE_ENV: z.string().default('production'), PLATFORM_API_KEY: z.string() });
    expect(() => loadConfig(small, { PLATFORM_API_KEY: 'x' })).not.toThrow();
  });
});
