import { Store, type SessionData } from 'express-session';
import { LessThan, type Repository } from 'typeorm';
import type { SessionEntity } from './session.entity';

type Callback = (err?: unknown) => void;

/** express-session's Store over a TypeORM repository (SQLite or PostgreSQL); expired rows are swept. */
export class TypeormSessionStore extends Store {
  constructor(
    private readonly repo: Repository<SessionEntity>,
    private readonly defaultTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    this.repo
      .findOneBy({ sid })
      .then((row) => cb(null, row && row.expiresAt > this.now() ? (JSON.parse(row.data) as SessionData) : null))
      .catch((e: unknown) => cb(e));
  }

  override set(sid: string, session: SessionData, cb?: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : this.now() + this.defaultTtlMs;
    this.repo
      .upsert({ sid, data: JSON.stringify(session), expiresAt: expires }, ['sid'])
      .then(() => cb?.())
      .catch((e: unknown) => cb?.(e));
  }

  /**
   * Extends the expiry only. Writing the whole session here (as `set` does) would put back the
   * data an unmodified request loaded at its start, over what a concurrent request changed
   * meanwhile (a background fetch undoing a form submit's flash).
   */
  override touch(sid: string, session: SessionData, cb?: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : this.now() + this.defaultTtlMs;
    this.repo
      .update({ sid }, { expiresAt: expires })
      .then(() => cb?.())
      .catch((e: unknown) => cb?.(e));
  }

  override destroy(sid: string, cb?: Callback): void {
    this.repo
      .delete({ sid })
      .then(() => cb?.())
      .catch((e: unknown) => cb?.(e));
  }

  /** Removes expired sessions; returns how many. */
  async sweep(): Promise<number> {
    const r = await this.repo.delete({ expiresAt: LessThan(this.now()) });
    return r.affected ?? 0;
  }
}
