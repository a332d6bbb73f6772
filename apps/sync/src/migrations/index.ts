import { SyncSchema1767225600000 } from './1767225600000-sync-schema';
import { SyncStartIndex1767312000000 } from './1767312000000-sync-start-index';
import { SyncDropStartIndex1767398400000 } from './1767398400000-sync-drop-start-index';
import { SyncDropSeriesIndex1767484800000 } from './1767484800000-sync-drop-series-index';
import { SyncSubscriptions1767571200000 } from './1767571200000-sync-subscriptions';
import { SyncRunJobs1767571200000 } from './1767571200000-sync-run-jobs';

/** Every migration of this service, in order. */
export const migrations = [
  SyncSchema1767225600000,
  SyncStartIndex1767312000000,
  SyncDropStartIndex1767398400000,
  SyncDropSeriesIndex1767484800000,
  SyncSubscriptions1767571200000,
  SyncRunJobs1767571200000,
];
