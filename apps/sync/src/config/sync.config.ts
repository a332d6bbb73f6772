import { z } from 'zod';
import { baseSchema, databaseSchema, graphSchema, intSetting, boolSetting, loadConfig, serviceUrlsSchema, type Env } from '@ocb/config';

export const syncConfigSchema = baseSchema
  .merge(graphSchema)
  .merge(serviceUrlsSchema)
  .merge(databaseSchema('sync'))
  .extend({
    SYNC_PORT: intSetting(3002),
    /** Weekly full sync (default Sunday 03:00). */
    SYNC_FULL_CRON: z.string().default('0 3 * * 0'),
    /** Incremental (delta) sync of every mailbox. */
    SYNC_DELTA_CRON: z.string().default('*/5 * * * *'),
    SYNC_CRON_ENABLED: boolSetting(true),
    SYNC_WINDOW_PAST_DAYS: intSetting(1, 0),
    SYNC_WINDOW_FUTURE_DAYS: intSetting(90, 1),
    /** A progress log line every N mailboxes. */
    SYNC_LOG_EVERY: intSetting(100, 1),
  });

export type SyncConfig = z.infer<typeof syncConfigSchema>;

export function loadSyncConfig(env?: Env): SyncConfig {
  return loadConfig(syncConfigSchema, env);
}
