import { z } from 'zod';
import { baseSchema, databaseSchema, graphSchema, intSetting, boolSetting, loadConfig, serviceUrlsSchema, type Env } from '@ocb/config';

/** Default of SYNC_SQLITE_CACHE_KIB. */
export const SQLITE_CACHE_KIB_DEFAULT = 16_384;

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
    /**
     * Public base URL Graph POSTs change notifications to (`<url>/api/notifications/graph`, and
     * `/lifecycle`); must be reachable from the internet over https. Unset: notifications off, delta poll only.
     */
    NOTIFICATIONS_PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
    /** Delta poll while notifications are on (the safety net for lost notifications). */
    SYNC_DELTA_CRON_WITH_NOTIFICATIONS: z.string().default('0 * * * *'),
    /** Lifetime asked for each subscription (Graph's maximum for Outlook events: 10,080). */
    SYNC_SUBSCRIPTION_MINUTES: z.coerce.number().int().min(5).max(10_080).default(4230),
    /** How often subscriptions are created, renewed (before half their lifetime) and removed. */
    SYNC_SUBSCRIPTIONS_CHECK_SECONDS: intSetting(300, 1),
    /** Mailboxes whose change notifications are being turned into deltas at the same time. */
    SYNC_NOTIFICATION_CONCURRENCY: intSetting(16, 1),
    /** Notifications of one mailbox within this window cost one delta. */
    SYNC_NOTIFICATION_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    /** With REDIS_URL: jobs ($batch groups of mailboxes) a sync replica works on at once. */
    SYNC_QUEUE_CONCURRENCY: intSetting(8, 1),
    /** With REDIS_URL: a job whose replica stopped renewing its lock for this long is taken up again by another (BullMQ stalled jobs). */
    SYNC_QUEUE_LOCK_MS: intSetting(30000, 1000),
    /**
     * Safety margin (ms) of the Graph rate limiter's sliding window (unset: 25, SyncTuning's). More
     * where the time between a permit and the request's arrival at Graph varies more: several
     * replicas on a busy host.
     */
    SYNC_RATE_WINDOW_MARGIN_MS: z.coerce.number().int().min(0).max(1000).optional(),
    /**
     * SQLite only: the page cache of sync's connection (KiB). Resident once a full sync has filled
     * it; below ~16 MiB a full sync rereads and spills index pages within its transactions.
     */
    SYNC_SQLITE_CACHE_KIB: z.coerce.number().int().min(1024).max(1_048_576).default(SQLITE_CACHE_KIB_DEFAULT),
  });

export type SyncConfig = z.infer<typeof syncConfigSchema>;

export function loadSyncConfig(env?: Env): SyncConfig {
  return loadConfig(syncConfigSchema, env);
}
