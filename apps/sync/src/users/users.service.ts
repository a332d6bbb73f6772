import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@ocb/clock';
import { ApiError } from '@ocb/http';
import type { UserRef } from '@ocb/service-clients';
import { CalendarGraph } from '../graph/calendar.graph';
import type { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

export function userRef(u: UserEntity): UserRef {
  return { id: u.id, userPrincipalName: u.userPrincipalName, mail: u.mail, displayName: u.displayName };
}

/** Resolves `{user}` (id, UPN or mail) to a cached user. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly graph: CalendarGraph,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The cached user; 404 NOT_FOUND when not cached. The read API's lookup: a user found in the last
   * few seconds is answered from memory (`UsersRepository.findRecent`).
   */
  async cached(user: string): Promise<UserEntity> {
    const found = await this.users.findRecent(user);
    if (!found) throw ApiError.notFound(`user: no user "${user}" in the cache`);
    return found;
  }

  /** The cached user, or the tenant's (looked up in Graph and added); 404 NOT_FOUND when neither knows it. */
  async resolve(user: string): Promise<{ user: UserEntity; added: boolean }> {
    const found = await this.users.find(user);
    if (found) return { user: found, added: false };
    const remote = await this.graph.user(user);
    if (!remote) throw ApiError.notFound(`user: no user "${user}" in the tenant`);
    await this.users.claim(remote, this.clock.now());
    const added = await this.users.find(remote.id);
    if (!added) throw ApiError.notFound(`user: "${user}" could not be added to the cache`);
    return { user: added, added: true };
  }

  /**
   * After Graph answered 404 for the cached user `stale` (found by `name`): asks the directory
   * again. A user gone from it leaves the cache (`removeStale`, which drops their events and delta
   * state); the current holder of `name`, if another id, is added (taking the UPN over) and returned.
   */
  async recheck(name: string, stale: UserEntity, removeStale: () => Promise<void>): Promise<UserEntity | null> {
    const [still, holder] = await Promise.all([this.graph.user(stale.id), name === stale.id ? Promise.resolve(null) : this.graph.user(name)]);
    if (!still) await removeStale();
    else if (still.userPrincipalName !== stale.userPrincipalName) await this.users.claim(still, this.clock.now());
    if (!holder || holder.id === stale.id) return null;
    await this.users.claim(holder, this.clock.now());
    return this.users.find(holder.id);
  }
}
