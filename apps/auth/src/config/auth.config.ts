import { z } from 'zod';
import { baseSchema, databaseSchema, graphSchema, intSetting, loadConfig, urlSetting, type Env } from '@ocb/config';

export const authConfigSchema = baseSchema
  .merge(graphSchema)
  .merge(databaseSchema('auth'))
  .extend({
    AUTH_PORT: intSetting(3001),
    /** AES-256-GCM key for the token store (any string; a 256-bit key is derived from it). */
    TOKEN_ENCRYPTION_KEY: z.string().min(16).default('dev-token-encryption-key-change-me'),
    /** Earlier keys, still readable after a rotation: `keyId:secret,keyId:secret`. */
    TOKEN_ENCRYPTION_OLD_KEYS: z
      .string()
      .default('')
      .refine((v) => v.split(',').every((e) => !e.trim() || /^[^:\s]+:.+$/.test(e.trim())), {
        message: 'must be a comma-separated list of keyId:secret',
      }),
    /** Where browsers reach this service; the OAuth redirect URI is built from it. */
    AUTH_PUBLIC_URL: urlSetting('http://localhost:3001'),
    /** Comma-separated allowed returnUrl prefixes for /api/auth/connect (no open redirect). */
    ALLOWED_RETURN_URLS: z
      .string()
      .default('http://localhost:3000/,http://localhost:8080/')
      .refine((v) => v.split(',').every((e) => !e.trim() || /^https?:\/\/[^/\s]+/.test(e.trim())), {
        message: 'must be a comma-separated list of absolute http(s) URL prefixes',
      }),
    /** The delegated (service action) app registration, when registered apart. */
    DELEGATED_CLIENT_ID: z.string().optional(),
    DELEGATED_CLIENT_SECRET: z.string().optional(),
    DELEGATED_SCOPES: z.string().default('Calendars.ReadWrite offline_access'),
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;

export function loadAuthConfig(env?: Env): AuthConfig {
  return loadConfig(authConfigSchema, env);
}
