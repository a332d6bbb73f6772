/** Knobs of the sync engine that are not deployment settings (tests and the benchmark override them). */
export interface SyncTuning {
  /** Events per page asked of Graph (`Prefer: odata.maxpagesize`; Graph's maximum is 1000). */
  pageSize: number;
  /** `$batch` requests (of up to 20 mailboxes each) in flight during a run. */
  batchesInFlight: number;
  /** A delta link whose window started longer ago than this is replaced by a full fetch (the window rolls). */
  deltaMaxAgeMs: number;
  /**
   * Graph counts a batch's items when the batch arrives: at most GRAPH_MAX_REQUESTS_PER_SECOND
   * items are sent in any second plus this margin (network and server jitter).
   */
  batchSpacingMarginMs: number;
}

export const SYNC_TUNING = Symbol('SYNC_TUNING');

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  pageSize: 1000,
  batchesInFlight: 4,
  deltaMaxAgeMs: 24 * 3_600_000,
  batchSpacingMarginMs: 25,
};
