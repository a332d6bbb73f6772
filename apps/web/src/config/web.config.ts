import { z } from 'zod';
import { baseSchema, databaseSchema, intSetting, loadConfig, serviceUrlsSchema, urlSetting, ConfigError, DEVELOPMENT_SECRETS, type Env } from '@ocb/config';

export const DEV_SESSION_SECRET = 'dev-web-session-secret';

export const webConfigSchema = baseSchema
  .merge(serviceUrlsSchema)
  .merge(databaseSchema('web'))
  .extend({
    WEB_PORT: intSetting(3000),
    /** Where browsers reach this app (the OIDC redirect URI is `${WEB_PUBLIC_URL}/auth/callback`). */
    WEB_PUBLIC_URL: urlSetting('http://localhost:3000'),
    /** Signs the session cookie; refused at its default in production. */
    WEB_SESSION_SECRET: z.string().min(16).default(DEV_SESSION_SECRET),
    WEB_SESSION_MAX_AGE_MINUTES: intSetting(480, 1),
    /** Sign-in (OpenID Connect): the identity platform and the web app's registration. */
    AUTHORITY_HOST: urlSetting('https://login.microsoftonline.com'),
    TENANT_ID: z.string().min(1).default('72f988bf-86f1-41af-91ab-2d7cd011db47'),
    WEB_CLIENT_ID: z.string().min(1).default('11111111-2222-3333-4444-555555555555'),
    WEB_CLIENT_SECRET: z.string().min(1).default(DEVELOPMENT_SECRETS['CLIENT_SECRET'] ?? 'sim-dev-secret'),
    /** Where browsers reach auth's connect flow (the service URL AUTH_URL may be internal). */
    AUTH_PUBLIC_URL: urlSetting('http://localhost:3001'),
  });

export type WebConfig = z.infer<typeof webConfigSchema>;

export function loadWebConfig(env: Env = process.env): WebConfig {
  const config = loadConfig(webConfigSchema, env);
  if (config.NODE_ENV === 'production' && config.WEB_SESSION_SECRET === DEV_SESSION_SECRET)
    throw new ConfigError(['WEB_SESSION_SECRET: must be set in production']);
  return config;
}
