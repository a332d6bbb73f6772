/** Knobs of the sync engine that are not deployment settings (tests and the benchmark override them). */
export interface SyncTuning {
  /** Events per page asked of Graph (`Prefer: odata.maxpagesize`; Graph's maximum is 1000). */
  pageSize: number;
  /** `$batch` requests (of up to 20 mailboxes each) in flight during a run. */
  batchesInFlight: number;
  /** Mailboxes of a group written per transaction (a turn of the event loop between transactions). */
  mailboxesPerCommit: number;
  /** A delta link whose window started longer ago than this is replaced by a full fetch (the window rolls). */
  deltaMaxAgeMs: number;
  /**
   * Safety margin of the rate limiter's sliding window (ms): at most GRAPH_MAX_REQUESTS_PER_SECOND
   * requests (batch items included) leave in any second plus this margin, which absorbs the jitter
   * between a permit and the request's arrival at Graph (event loop, network, Graph's front end).
   */
  rateWindowMarginMs: number;
}

export const SYNC_TUNING = Symbol('SYNC_TUNING');

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  pageSize: 1000,
  batchesInFlight: 8,
  mailboxesPerCommit: 5,
  deltaMaxAgeMs: 24 * 3_600_000,
  rateWindowMarginMs: 25,
};
