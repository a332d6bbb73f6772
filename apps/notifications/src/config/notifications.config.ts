import { z } from 'zod';
import { baseSchema, databaseSchema, intSetting, loadConfig, serviceUrlsSchema, DEVELOPMENT_SECRETS, type Env } from '@ocb/config';

export const notificationsConfigSchema = baseSchema
  .merge(serviceUrlsSchema)
  .merge(databaseSchema('notifications'))
  .extend({
    NOTIFICATIONS_PORT: intSetting(3004),
    REMINDER_LEAD_MINUTES: intSetting(60, 0),
    /** The platform's webhook; unset: reminders are stored for the feed only. */
    NOTIFY_WEBHOOK_URL: z.string().url().optional(),
    NOTIFY_WEBHOOK_SECRET: z.string().min(1).default(DEVELOPMENT_SECRETS['NOTIFY_WEBHOOK_SECRET']),
    NOTIFY_MAX_ATTEMPTS: intSetting(10, 1),
    /** How far ahead reminders are planned from sync's cache, and how often the plan is refreshed. */
    REMINDER_PLAN_HORIZON_MINUTES: intSetting(180, 1),
    REMINDER_PLAN_INTERVAL_SECONDS: intSetting(15, 1),
  });

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

export function loadNotificationsConfig(env?: Env): NotificationsConfig {
  return loadConfig(notificationsConfigSchema, env);
}
