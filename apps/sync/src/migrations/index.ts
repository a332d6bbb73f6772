import { SyncSchema1767225600000 } from './1767225600000-sync-schema';

/** Every migration of this service, in order. */
export const migrations = [SyncSchema1767225600000];
