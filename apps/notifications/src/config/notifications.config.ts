import { hostname } from 'node:os';
import { z } from 'zod';
import {
  baseSchema,
  ConfigError,
  databaseSchema,
  intSetting,
  loadConfig,
  serviceUrlsSchema,
  DEVELOPMENT_SECRETS,
  type Env,
} from '@ocb/config';

/** The Standard Webhooks secret form: `whsec_` + base64 of 24–64 random bytes. */
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** A webhook signing secret: `whsec_<base64 key>` (Standard Webhooks) or any other non-empty string (its UTF-8 bytes are the key). */
export const webhookSecret = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    if (!v.startsWith('whsec_')) return;
    const m = WHSEC.exec(v);
    const bytes = m?.[1] ? Buffer.from(m[1], 'base64').length : 0;
    if (!m || bytes < 24 || bytes > 64)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a whsec_ secret must be whsec_ followed by the base64 of 24 to 64 bytes' });
  });

/** An optional setting for which an empty value (`NAME=` as in .env.example) means unset. */
const unsetWhenEmpty = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const notificationsConfigSchema = baseSchema
  .merge(serviceUrlsSchema)
  .merge(databaseSchema('notifications'))
  .extend({
    NOTIFICATIONS_PORT: intSetting(3004),
    REMINDER_LEAD_MINUTES: intSetting(60, 0),
    /** The platform's webhook; unset: reminders are stored for the feed only. */
    NOTIFY_WEBHOOK_URL: z.string().url().optional(),
    NOTIFY_WEBHOOK_SECRET: webhookSecret.default(DEVELOPMENT_SECRETS['NOTIFY_WEBHOOK_SECRET']),
    /** During a rotation: the secret being replaced, which still signs (webhook-signature) until NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL. */
    NOTIFY_WEBHOOK_PREVIOUS_SECRET: unsetWhenEmpty(webhookSecret),
    NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: unsetWhenEmpty(
      z.string().refine((v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time with Z or an offset'),
    ),
    /** Deliveries of one notification before it becomes a dead letter (the spec's schedule has 8). */
    NOTIFY_MAX_ATTEMPTS: intSetting(8, 1),
    /**
     * This process's stable identity in delivery leases: a restarted process with the same id takes
     * over its own unfinished claims at once. Default `<hostname>:<NOTIFICATIONS_PORT>`; must be unique
     * among live replicas.
     */
    NOTIFY_INSTANCE_ID: unsetWhenEmpty(z.string().regex(/^[\w.:@-]{1,64}$/, 'must be 1-64 characters of letters, digits and . : @ _ -')),
    /** How long a claimed delivery is reserved without a heartbeat; another replica takes it over after that. */
    NOTIFY_LEASE_SECONDS: intSetting(5, 1),
    /** How far ahead reminders are planned from sync's cache, and how often the plan is refreshed. */
    REMINDER_PLAN_HORIZON_MINUTES: intSetting(180, 1),
    REMINDER_PLAN_INTERVAL_SECONDS: intSetting(15, 1),
  });

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema> & { NOTIFY_INSTANCE_ID: string };

export function loadNotificationsConfig(env: Env = process.env): NotificationsConfig {
  const config = loadConfig(notificationsConfigSchema, env);
  const problems: string[] = [];
  const previous = config.NOTIFY_WEBHOOK_PREVIOUS_SECRET;
  if (previous !== undefined && config.NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL === undefined)
    problems.push('NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL: must be set with NOTIFY_WEBHOOK_PREVIOUS_SECRET (when the old secret stops signing)');
  if (previous === undefined && config.NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL !== undefined)
    problems.push('NOTIFY_WEBHOOK_PREVIOUS_SECRET: must be set with NOTIFY_WEBHOOK_PREVIOUS_SECRET_UNTIL');
  if (previous !== undefined && previous === config.NOTIFY_WEBHOOK_SECRET)
    problems.push('NOTIFY_WEBHOOK_PREVIOUS_SECRET: equals NOTIFY_WEBHOOK_SECRET; a rotation needs a new secret');
  if (config.NODE_ENV === 'production' && previous === DEVELOPMENT_SECRETS['NOTIFY_WEBHOOK_SECRET'])
    problems.push('NOTIFY_WEBHOOK_PREVIOUS_SECRET: still holds the development default; it must not sign in production');
  if (problems.length) throw new ConfigError(problems);
  return { ...config, NOTIFY_INSTANCE_ID: config.NOTIFY_INSTANCE_ID ?? `${hostname()}:${config.NOTIFICATIONS_PORT}`.slice(0, 64) };
}
