import type { EntityManager } from 'typeorm';

/**
 * Holds the mailbox's write lock until the end of the open transaction. PostgreSQL: a
 * transaction-scoped advisory lock on the user id, so replicas on one database write a mailbox one
 * at a time (a run's group and a Refresh on another replica never interleave); released by the
 * commit or rollback, and by PostgreSQL if the replica dies. SQLite: one writer per database
 * already (the process's serialised connection), nothing to take.
 */
export async function lockMailbox(m: EntityManager, userId: string): Promise<void> {
  if (m.connection.options.type !== 'postgres') return;
  await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sync-mailbox:${userId}`]);
}
