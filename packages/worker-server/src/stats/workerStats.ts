/** Upper bounds (seconds) of the request latency histogram buckets, Prometheus' defaults. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** One worker's counters, as sent to the master (plain data: it crosses IPC). */
export interface WorkerStatsSnapshot {
  pid: number;
  /** Requests finished (responded or aborted). */
  requests: number;
  inFlight: number;
  /** Finished requests by status code (`"200"`, `"404"`; `"aborted"` when no status went out). */
  statusCounts: Record<string, number>;
  /** Cumulative counts per `LATENCY_BUCKETS` bound, plus the +Inf count last. */
  latencyBuckets: number[];
  latencySumSeconds: number;
  rssBytes: number;
  /** WebSockets open (also counted in `inFlight`: an open socket is a request in progress). */
  websockets: number;
  /** Unix time (ms) the worker started. */
  startedAt: number;
}

/**
 * Per-worker request counters, kept in the worker and cheap to update on the request
 * path (a few integer increments).
 *
 * @example
 * const stats = new WorkerStats();
 * stats.requestStarted();
 * stats.requestFinished("200 OK", 12.5);
 */
export class WorkerStats {
  private requests = 0;
  private inFlight = 0;
  private readonly statusCounts: Record<string, number> = {};
  // Per-bucket (not cumulative) counts; the last slot is +Inf.
  private readonly bucketCounts = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  private latencySum = 0;
  private readonly startedAt = Date.now();
  private websocketSource: { readonly websockets: number } | undefined;

  requestStarted(): void {
    this.inFlight++;
  }

  /** Records a finished request: `status` is the status line sent (or undefined), `durationMs` its duration. */
  requestFinished(status: string | undefined, durationMs: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.requests++;
    const code = status === undefined ? "aborted" : status.length === 3 ? status : status.slice(0, 3);
    this.statusCounts[code] = (this.statusCounts[code] ?? 0) + 1;
    const seconds = durationMs / 1000;
    this.latencySum += seconds;
    let index = 0;
    while (index < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[index] as number)) index++;
    this.bucketCounts[index] = (this.bucketCounts[index] ?? 0) + 1;
  }

  /** Reads the open WebSocket count from `server` in each snapshot (once the worker's server exists). */
  countWebSockets(server: { readonly websockets: number }): void {
    this.websocketSource = server;
  }

  get requestCount(): number {
    return this.requests;
  }

  snapshot(): WorkerStatsSnapshot {
    let running = 0;
    const cumulative = this.bucketCounts.map((count) => (running += count));
    return {
      pid: process.pid,
      requests: this.requests,
      inFlight: this.inFlight,
      statusCounts: { ...this.statusCounts },
      latencyBuckets: cumulative,
      latencySumSeconds: this.latencySum,
      rssBytes: process.memoryUsage.rss(),
      websockets: this.websocketSource?.websockets ?? 0,
      startedAt: this.startedAt,
    };
  }
}
