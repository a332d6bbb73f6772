import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG } from '@ocb/config';
import { ApiError } from '@ocb/http';
import type { SyncConfig } from '../config/sync.config';
import { DeltaSyncService } from './delta-sync.service';
import { FullSyncService } from './full-sync.service';
import { SyncQueue } from './sync-queue.service';

/** The delta poll's schedule: less often when change notifications keep the cache current. */
export function deltaCron(config: SyncConfig): string {
  return config.NOTIFICATIONS_PUBLIC_URL ? config.SYNC_DELTA_CRON_WITH_NOTIFICATIONS : config.SYNC_DELTA_CRON;
}

/**
 * Crons only enqueue: the weekly full sync and the frequent delta sync (SYNC_CRON_ENABLED=false: none).
 * In-process timers, or (REDIS_URL) BullMQ job schedulers that fire once across replicas.
 */
@Injectable()
export class SyncCron implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncCron.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly full: FullSyncService,
    private readonly delta: DeltaSyncService,
    @Inject(APP_CONFIG) private readonly config: SyncConfig,
    private readonly queue: SyncQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue.enabled) {
      // BullMQ job schedulers: one job per tick, taken by one replica (upserting is idempotent)
      const on = this.config.SYNC_CRON_ENABLED;
      await this.queue.schedule('full', on ? this.config.SYNC_FULL_CRON : null);
      await this.queue.schedule('delta', on ? deltaCron(this.config) : null);
      return;
    }
    if (!this.config.SYNC_CRON_ENABLED) return;
    this.schedule('sync-full', this.config.SYNC_FULL_CRON, () => this.full.start());
    this.schedule('sync-delta', deltaCron(this.config), () => this.delta.start());
  }

  private schedule(name: string, expression: string, start: () => Promise<{ runId: string }>): void {
    const job = CronJob.from({
      cronTime: expression,
      onTick: () => {
        start().then(
          ({ runId }) => this.logger.log(`${name}: started run ${runId}`),
          (e: unknown) => {
            if (e instanceof ApiError && e.code === 'SYNC_RUNNING') this.logger.log(`${name}: skipped, ${e.message}`);
            else this.logger.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
          },
        );
      },
      start: false,
    });
    this.registry.addCronJob(name, job);
    job.start();
  }
}
