import { z } from 'zod';

/** The built-in app registration's redirect URI: the auth service's consent callback. */
export const DEFAULT_REDIRECT_URIS = 'http://localhost:3001/app/api/auth/serviceAction/callback';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? def);

const redirectUri = z.string().refine((u) => {
  try {
    return /^https?:$/.test(new URL(u).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

export const simulatorConfigSchema = z.object({
  /** HTTPS port; 0 picks a free one (the chosen origin is printed). */
  SIM_PORT: int(4000, 0, 65535),
  /** Optional plain-HTTP port for tools (MSAL refuses http authorities). */
  SIM_HTTP_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535))
    .optional(),
  SIM_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Where the self-signed certificate (and its key) are kept and reused. */
  SIM_CERT_DIR: z.string().trim().min(1).default('./data/graph-simulator'),
  SIM_SEED: int(1),
  SIM_SEED_USERS: int(25, 0, 100_000),
  SIM_SEED_EVENTS: int(40, 0, 100_000),
  SIM_TOKEN_LIFETIME_SECONDS: int(3600, 1, 7 * 24 * 3600),
  /**
   * true (default): the tenant lives in a worker thread and the main thread only serves HTTPS and
   * stamps arrivals (rate limits count from them); false: everything on one thread (debugging).
   */
  SIM_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Comma-separated redirect URIs added to the built-in app registration. */
  SIM_REDIRECT_URIS: z
    .string()
    .default(DEFAULT_REDIRECT_URIS)
    .transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(redirectUri)),
});

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export class SimulatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid graph-simulator configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SimulatorConfigError';
  }
}

/** The only place the simulator app reads the environment. */
export function loadSimulatorConfig(env: Record<string, string | undefined> = process.env): SimulatorConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('SIM_') && v !== undefined && v !== ''));
  const parsed = simulatorConfigSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new SimulatorConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}
