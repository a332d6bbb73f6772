import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { ConnectStateEntity } from './connect-state.entity';

/** Pending connects. A state is consumed at most once (a conditional update decides the winner). */
@Injectable()
export class ConnectStateRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async create(state: ConnectStateEntity): Promise<void> {
    await this.ds.getRepository(ConnectStateEntity).insert(state);
  }

  findByHash(stateHash: string): Promise<ConnectStateEntity | null> {
    return this.ds.getRepository(ConnectStateEntity).findOneBy({ stateHash });
  }

  /** Marks the state used; false when someone used it first. */
  async consume(stateHash: string, now: string): Promise<boolean> {
    const result = await this.ds
      .getRepository(ConnectStateEntity)
      .update({ stateHash, usedAt: IsNull() }, { usedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Forgets states that expired before `cutoff`. */
  async purgeExpired(cutoff: string): Promise<number> {
    const result = await this.ds.getRepository(ConnectStateEntity).delete({ expiresAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
