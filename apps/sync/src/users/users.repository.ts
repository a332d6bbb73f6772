import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { isPostgres, toInstant, rowReader, SqlParams, writeTransaction } from '@ocb/persistence';
import type { UserRef } from '@ocb/service-clients';
import { UserEntity } from './user.entity';

/** A user as the directory answers (the contract's UserRef). */
export type DirectoryUser = UserRef;

/**
 * `upn_lower` of a row whose UPN is being handed over (`#moving:<id>`): unique per row, and no UPN
 * (which has an `@`) equals it.
 */
const MOVING_PREFIX = '#moving:';

function differs(e: UserEntity | undefined, u: DirectoryUser): boolean {
  return !e || e.userPrincipalName !== u.userPrincipalName || e.upnLower !== u.userPrincipalName.toLowerCase() || e.mail !== u.mail || e.displayName !== u.displayName;
}

/** How long a looked-up user answers the read API from memory (a write of another replica shows after this). */
export const USER_LOOKUP_TTL_MS = 5_000;
/** Looked-up users kept at most (the oldest go first). */
const USER_LOOKUP_ENTRIES = 10_000;

/** Tenant users in the cache; `{user}` resolves by id, UPN or mail (case-insensitive). */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** `{user}` as requested -> the user found and when (performance.now()); emptied by every write of this process. */
  private readonly lookups = new Map<string, { user: UserEntity; at: number }>();
  /** Bumped by every write: a lookup that started before one does not enter `lookups`. */
  private generation = 0;

  /** Runs a write of the users: the lookups are forgotten before it and again after it (a lookup read during it is not kept). */
  private async writing<T>(write: () => Promise<T>): Promise<T> {
    this.generation++;
    this.lookups.clear();
    try {
      return await write();
    } finally {
      this.generation++;
      this.lookups.clear();
    }
  }

  /**
   * `find` for the read API: a user found in the last USER_LOOKUP_TTL_MS is answered from memory
   * (every request of the read API starts with this lookup). Any write of the users in this
   * process forgets them all; one of another replica shows within the TTL. Not found is not kept.
   */
  async findRecent(idOrName: string): Promise<UserEntity | null> {
    const now = performance.now();
    const hit = this.lookups.get(idOrName);
    if (hit && now - hit.at < USER_LOOKUP_TTL_MS) return hit.user;
    const generation = this.generation;
    const user = await this.find(idOrName);
    if (user && generation === this.generation) {
      this.lookups.delete(idOrName);
      if (this.lookups.size >= USER_LOOKUP_ENTRIES) this.lookups.delete(this.lookups.keys().next().value as string);
      this.lookups.set(idOrName, { user, at: now });
    }
    return user;
  }

  /**
   * By id, then id, UPN or mail lower-cased, in that order of preference: one statement (every
   * read API request starts here).
   */
  async find(idOrName: string): Promise<UserEntity | null> {
    const lower = idOrName.toLowerCase();
    const p = new SqlParams(isPostgres(this.ds));
    const reader = rowReader(this.ds, UserEntity, 'u');
    const sql =
      `SELECT ${reader.columns} FROM "sync_users" "u" WHERE "u"."id" IN (${p.add(idOrName)}, ${p.add(lower)}) ` +
      `OR "u"."upn_lower" = ${p.add(lower)} OR "u"."mail_lower" = ${p.add(lower)} ORDER BY "u"."id" ASC`;
    const rows = (await this.ds.query<Array<Record<string, unknown>>>(sql, p.values)).map((r) => reader.read(r));
    return (
      rows.find((u) => u.id === idOrName) ??
      rows.find((u) => u.id === lower) ??
      rows.find((u) => u.upnLower === lower) ??
      rows.find((u) => u.mailLower === lower) ??
      null
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
    const changed = users.filter((u) => differs(existing.get(u.id), u));
    if (!changed.length) return 0;
    await this.writing(() => this.write(m, changed, now));
    return changed.length;
  }

  /**
   * Makes the cache's users those of the directory listing (`users`, unique ids), whatever changed:
   * renames, UPNs swapped between users, a UPN taken over by a new id. The rows follow the Graph
   * id. First every row whose UPN changes gives its UPN up (a placeholder no UPN can equal), so
   * that no order of updates meets the unique index; then the changed rows are written, 500 per
   * transaction, and a transaction that fails is retried user by user: a bad row fails that user
   * only (`failed`). Users gone from the directory must have been removed before.
   */
  async reconcile(users: DirectoryUser[], now: number): Promise<{ written: number; failed: Array<{ user: DirectoryUser; error: unknown }> }> {
    const existing = new Map<string, UserEntity>();
    for (const u of await this.all()) existing.set(u.id, u);
    const changed = users.filter((u) => differs(existing.get(u.id), u));
    const failed: Array<{ user: DirectoryUser; error: unknown }> = [];
    if (!changed.length) return { written: 0, failed };
    return this.writing(async () => {
      const moving = changed.filter((u) => {
        const e = existing.get(u.id);
        return e !== undefined && e.upnLower !== u.userPrincipalName.toLowerCase();
      });
      for (let i = 0; i < moving.length; i += 500) {
        const ids = moving.slice(i, i + 500).map((u) => u.id);
        await this.ds
          .createQueryBuilder()
          .update(UserEntity)
          .set({ upnLower: () => `'${MOVING_PREFIX}' || id` })
          .where({ id: In(ids) })
          .execute();
      }
      let written = 0;
      for (let i = 0; i < changed.length; i += 500) {
        const part = changed.slice(i, i + 500);
        try {
          await writeTransaction(this.ds, (m) => this.write(m, part, now));
          written += part.length;
        } catch {
          for (const u of part) {
            try {
              await writeTransaction(this.ds, (m) => this.write(m, [u], now));
              written++;
            } catch (error) {
              failed.push({ user: u, error });
            }
          }
        }
      }
      return { written, failed };
    });
  }

  /**
   * Writes one user as the directory has them now (a single-user lookup): a cached row of another
   * id holding the same UPN gives it up first (its holder left or was renamed; the next full sync
   * settles it).
   */
  async claim(user: DirectoryUser, now: number): Promise<void> {
    await this.writing(() =>
      writeTransaction(this.ds, async (m) => {
        await m
          .createQueryBuilder()
          .update(UserEntity)
          .set({ upnLower: () => `'${MOVING_PREFIX}' || id` })
          .where('upn_lower = :upn AND id <> :id', { upn: user.userPrincipalName.toLowerCase(), id: user.id })
          .execute();
        await this.write(m, [user], now);
      }),
    );
  }

  private async write(m: EntityManager, users: DirectoryUser[], now: number): Promise<void> {
    const updatedAt = toInstant(now);
    await m.getRepository(UserEntity).upsert(
      users.map((u) => ({
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
  }

  /** Removes users (their events, series and sync state cascade). */
  async remove(ids: string[]): Promise<number> {
    return this.writing(async () => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) {
        const r = await this.ds.getRepository(UserEntity).delete({ id: In(ids.slice(i, i + 500)) });
        n += r.affected ?? 0;
      }
      return n;
    });
  }
}
