import { z } from 'zod';
import { DEVELOPMENT_SECRETS } from './load-config';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = (def: string) => z.string().url().default(def);
const secret = (name: keyof typeof DEVELOPMENT_SECRETS) => z.string().min(1).default(DEVELOPMENT_SECRETS[name]);

/** Settings every service shares. */
export const baseSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Also write logs to this file, rotated hourly, keeping LOG_RETENTION_HOURS files. */
  LOG_FILE: z.string().optional(),
  LOG_RETENTION_HOURS: int(24, 1),
  PLATFORM_API_KEY: secret('PLATFORM_API_KEY'),
  INTERNAL_API_KEY: secret('INTERNAL_API_KEY'),
  SWAGGER_ENABLED: bool(true),
});

/** Where Microsoft (or the simulator) lives and how hard we may call it. */
export const graphSchema = z.object({
  GRAPH_BASE_URL: url('https://graph.microsoft.com'),
  AUTHORITY_HOST: url('https://login.microsoftonline.com'),
  TENANT_ID: z.string().min(1).default('72f988bf-86f1-41af-91ab-2d7cd011db47'),
  CLIENT_ID: z.string().min(1).default('11111111-2222-3333-4444-555555555555'),
  CLIENT_SECRET: secret('CLIENT_SECRET'),
  GRAPH_MAX_REQUESTS_PER_SECOND: int(60, 1),
  GRAPH_MAX_CONCURRENT_PER_MAILBOX: int(4, 1),
  GRAPH_MAX_RETRIES: int(6, 0),
  GRAPH_TIMEOUT_MS: int(30000, 100),
  /** Share the Graph request budget between processes through Redis (empty: in-memory). */
  REDIS_URL: z.string().optional(),
  /**
   * With REDIS_URL: prefix of this deployment's keys (the Graph budget under `<prefix>:rate-limiter`,
   * sync's BullMQ queue under `<prefix>:sync`), so several deployments can share one Redis. Every
   * service of one deployment must use the same: they share one Graph budget.
   */
  REDIS_PREFIX: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('ocb'),
});

/** Base URLs of the sibling services (internal routes). */
export const serviceUrlsSchema = z.object({
  AUTH_URL: url('http://127.0.0.1:3001'),
  SYNC_URL: url('http://127.0.0.1:3002'),
  ACTIONS_URL: url('http://127.0.0.1:3003'),
  NOTIFICATIONS_URL: url('http://127.0.0.1:3004'),
});

export const databaseSchema = (service: string) =>
  z.object({
    /** `sqlite:<file>` (default) or `postgres://user:pass@host:5432/db`. */
    DATABASE_URL: z
      .string()
      .default(`sqlite:./data/${service}.db`)
      .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
        message: 'must start with sqlite: or postgres://',
      }),
  });

export const portSchema = (name: string, def: number) => z.object({ [name]: int(def, 0) });

export { int as intSetting, bool as boolSetting, url as urlSetting };
