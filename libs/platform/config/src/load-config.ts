import { z } from 'zod';

/** Raised when the environment does not satisfy a service's schema; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Development defaults that must never reach production. With NODE_ENV=production a service
 * refuses to start while one of these variables is unset or still holds its default.
 */
export const DEVELOPMENT_SECRETS: Record<string, string> = {
  PLATFORM_API_KEY: 'dev-platform-key',
  INTERNAL_API_KEY: 'dev-internal-key',
  TOKEN_ENCRYPTION_KEY: 'dev-token-encryption-key-change-me',
  NOTIFY_WEBHOOK_SECRET: 'dev-webhook-secret',
  CLIENT_SECRET: 'sim-dev-secret',
};

export type Env = Record<string, string | undefined>;

/**
 * The only place that turns environment variables into typed settings. `env` defaults to
 * process.env; pass an object in tests.
 */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: Env = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const config = parsed.data as Record<string, unknown>;
  if (config['NODE_ENV'] === 'production') {
    for (const [name, devDefault] of Object.entries(DEVELOPMENT_SECRETS)) {
      if (!(name in config)) continue; // this service does not use it
      const value = env[name];
      if (value === undefined || value === '') problems.push(`${name}: must be set when NODE_ENV=production`);
      else if (value === devDefault)
        problems.push(`${name}: still holds its development default; set a secret value for production`);
    }
    if (problems.length) throw new ConfigError(problems);
  }
  return parsed.data;
}
