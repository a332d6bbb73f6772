import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { toInstant } from '@ocb/persistence';
import { UserEntity } from './user.entity';

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string | null;
}

/** Tenant users in the cache; `{user}` resolves by id, UPN or mail (case-insensitive). */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async find(idOrName: string): Promise<UserEntity | null> {
    const repo = this.ds.getRepository(UserEntity);
    const byId = await repo.findOne({ where: { id: idOrName } });
    if (byId) return byId;
    const lower = idOrName.toLowerCase();
    return (
      (await repo.findOne({ where: { id: lower } })) ??
      (await repo.findOne({ where: { upnLower: lower } })) ??
      (await repo.findOne({ where: { mailLower: lower } }))
    );
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(UserEntity).find({ where: { id: In(ids) } });
  }

  all(): Promise<UserEntity[]> {
    return this.ds.getRepository(UserEntity).find({ order: { id: 'ASC' } });
  }

  allIds(): Promise<string[]> {
    return this.ds
      .getRepository(UserEntity)
      .find({ select: { id: true } })
      .then((rows) => rows.map((r) => r.id));
  }

  /** Inserts or updates users whose directory fields changed; returns the number written. */
  async upsert(users: DirectoryUser[], now: number, m: EntityManager = this.ds.manager): Promise<number> {
    if (!users.length) return 0;
    const repo = m.getRepository(UserEntity);
    const existing = new Map((await repo.find({ where: { id: In(users.map((u) => u.id)) } })).map((u) => [u.id, u]));
    const changed = users.filter((u) => {
      const e = existing.get(u.id);
      return !e || e.userPrincipalName !== u.userPrincipalName || e.mail !== u.mail || e.displayName !== u.displayName;
    });
    if (!changed.length) return 0;
    const updatedAt = toInstant(now);
    await repo.upsert(
      changed.map((u) => ({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        upnLower: u.userPrincipalName.toLowerCase(),
        mail: u.mail,
        mailLower: u.mail?.toLowerCase() ?? null,
        displayName: u.displayName,
        updatedAt,
      })),
      ['id'],
    );
    return changed.length;
  }

  /** Removes users (their events, series and sync state cascade). */
  async remove(ids: string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const r = await this.ds.getRepository(UserEntity).delete({ id: In(ids.slice(i, i + 500)) });
      n += r.affected ?? 0;
    }
    return n;
  }
}
