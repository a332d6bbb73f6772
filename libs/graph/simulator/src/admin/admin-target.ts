import type { IdentityPlatform } from '../identity';
import type { GraphDeps } from '../graph/context';
import type { StatsSnapshot } from '../graph/stats';
import type { FaultSettings, FaultSettingsUpdate } from '../faults/faults';
import type { SeedOptions, SeedResult } from '../seed/seed';
import type { ExplicitTenant } from '../seed/tenant';
import type { SimState } from '../state/store';
import type { Subscriptions } from '../subscriptions/subscriptions';

export type SeedRequest = (Partial<SeedOptions> & { tenant?: undefined }) | { tenant: ExplicitTenant };

/** What the admin API (`/_sim/...`) works on: the part of a simulator it reads and changes. */
export interface AdminTarget {
  readonly state: SimState;
  readonly identity: IdentityPlatform;
  readonly graphDeps: GraphDeps;
  readonly subscriptions: Subscriptions;
  /** Empty tenant, faults off, stats and throttling state cleared, identity reset. */
  reset(): void;
  seed(request: SeedRequest): SeedResult | { users: number; mailboxes: number; events: number };
  /** Current faults; assigning merges (a field left out keeps its value, 0 turns it off). */
  get faults(): FaultSettings;
  set faults(update: FaultSettingsUpdate);
  stats(): StatsSnapshot;
  resetStats(): void;
}
