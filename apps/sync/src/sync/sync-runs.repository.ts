import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { SyncRunEntity, SyncRunKind } from './sync-run.entity';

@Injectable()
export class SyncRunsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  find(id: string): Promise<SyncRunEntity | null> {
    return this.ds.getRepository(SyncRunEntity).findOne({ where: { id } });
  }

  running(kind: SyncRunKind): Promise<SyncRunEntity | null> {
    return this.ds.getRepository(SyncRunEntity).findOne({ where: { kind, status: 'running' } });
  }

  /** Inserts a running run; false when the database refuses it (one of its kind is running already). */
  async insertRunning(run: SyncRunEntity): Promise<boolean> {
    try {
      await this.ds.getRepository(SyncRunEntity).insert(run);
      return true;
    } catch (e) {
      if (e instanceof QueryFailedError && /unique|duplicate/i.test(e.message)) return false;
      throw e;
    }
  }

  async save(run: SyncRunEntity): Promise<void> {
    await this.ds.getRepository(SyncRunEntity).save(run);
  }

  /** Runs left "running" by a process that stopped: they will never finish. */
  async failAbandoned(finishedAt: string): Promise<void> {
    await this.ds
      .getRepository(SyncRunEntity)
      .update({ status: 'running' }, { status: 'failed', finishedAt, error: 'interrupted: the service stopped during the run' });
  }
}
