/** Request counters for `GET /_sim/stats`. */
export interface StatsSnapshot {
  requests: Record<string, Record<string, number>>;
  throttled: number;
  peakConcurrencyByMailbox: Record<string, number>;
  writes: Record<string, number>;
  total: number;
}

export class Stats {
  private requests: Record<string, Record<string, number>> = {};
  private writes: Record<string, number> = {};
  throttled = 0;
  total = 0;

  record(routeKey: string, status: number | 'reset'): void {
    const byStatus = (this.requests[routeKey] ??= {});
    const k = String(status);
    byStatus[k] = (byStatus[k] ?? 0) + 1;
    this.total++;
    if (status === 429) this.throttled++;
  }

  recordWrite(routeKey: string): void {
    this.writes[routeKey] = (this.writes[routeKey] ?? 0) + 1;
  }

  reset(): void {
    this.requests = {};
    this.writes = {};
    this.throttled = 0;
    this.total = 0;
  }

  snapshot(peaks: Map<string, number>): StatsSnapshot {
    return {
      requests: JSON.parse(JSON.stringify(this.requests)),
      throttled: this.throttled,
      peakConcurrencyByMailbox: Object.fromEntries(peaks),
      writes: { ...this.writes },
      total: this.total,
    };
  }
}
