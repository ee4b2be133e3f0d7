import type { WorkerInfo } from "../hooks/hooks.js";
import { LATENCY_BUCKETS } from "./workerStats.js";
import type { WorkerStatsSnapshot } from "./workerStats.js";

/** Everything the stats endpoint reports. */
export interface ArbiterStats {
  master: { pid: number; startedAt: number; targetWorkers: number; restarts: number };
  workers: Array<WorkerInfo & { state: string; restarts: number; stats: WorkerStatsSnapshot | undefined }>;
}

/**
 * The stats as JSON, shaped like uWSGI's stats server output: one object per worker.
 *
 * @example
 * response.end(statsToJson(await arbiter.collectStats()));
 */
export function statsToJson(stats: ArbiterStats): string {
  return JSON.stringify({
    pid: stats.master.pid,
    started_at: new Date(stats.master.startedAt).toISOString(),
    target_workers: stats.master.targetWorkers,
    restarts: stats.master.restarts,
    latency_buckets_seconds: [...LATENCY_BUCKETS, "+Inf"],
    workers: stats.workers.map((worker) => ({
      id: worker.id,
      pid: worker.pid,
      age: worker.age,
      state: worker.state,
      restarts: worker.restarts,
      requests: worker.stats?.requests ?? 0,
      in_flight: worker.stats?.inFlight ?? 0,
      status_counts: worker.stats?.statusCounts ?? {},
      latency_buckets: worker.stats?.latencyBuckets ?? [],
      latency_sum_seconds: worker.stats?.latencySumSeconds ?? 0,
      rss_bytes: worker.stats?.rssBytes ?? 0,
      websockets: worker.stats?.websockets ?? 0,
    })),
  }, null, 2) + "\n";
}

/**
 * The stats in Prometheus' text exposition format (version 0.0.4), labelled by worker slot and pid.
 *
 * @example
 * response.setHeader("content-type", PROMETHEUS_CONTENT_TYPE).end(statsToPrometheus(stats));
 */
export function statsToPrometheus(stats: ArbiterStats): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const label = (worker: WorkerInfo) => `worker="${worker.id}",pid="${worker.pid}"`;

  metric("tsgi_master_workers_target", "gauge", "Workers the master keeps running.");
  lines.push(`tsgi_master_workers_target ${stats.master.targetWorkers}`);
  metric("tsgi_master_worker_restarts_total", "counter", "Workers replaced since the master started.");
  lines.push(`tsgi_master_worker_restarts_total ${stats.master.restarts}`);
  metric("tsgi_worker_requests_total", "counter", "Requests finished by the worker.");
  for (const worker of stats.workers) lines.push(`tsgi_worker_requests_total{${label(worker)}} ${worker.stats?.requests ?? 0}`);
  metric("tsgi_worker_requests_in_flight", "gauge", "Requests being served by the worker.");
  for (const worker of stats.workers) lines.push(`tsgi_worker_requests_in_flight{${label(worker)}} ${worker.stats?.inFlight ?? 0}`);
  metric("tsgi_worker_websockets_open", "gauge", "WebSockets open in the worker (also counted as requests in flight).");
  for (const worker of stats.workers) lines.push(`tsgi_worker_websockets_open{${label(worker)}} ${worker.stats?.websockets ?? 0}`);
  metric("tsgi_worker_responses_total", "counter", "Responses by status code.");
  for (const worker of stats.workers) {
    for (const [status, count] of Object.entries(worker.stats?.statusCounts ?? {})) lines.push(`tsgi_worker_responses_total{${label(worker)},status="${status}"} ${count}`);
  }
  metric("tsgi_worker_request_duration_seconds", "histogram", "Request duration, from the request head to the last byte.");
  for (const worker of stats.workers) {
    const buckets = worker.stats?.latencyBuckets ?? [];
    LATENCY_BUCKETS.forEach((bound, index) => lines.push(`tsgi_worker_request_duration_seconds_bucket{${label(worker)},le="${bound}"} ${buckets[index] ?? 0}`));
    lines.push(`tsgi_worker_request_duration_seconds_bucket{${label(worker)},le="+Inf"} ${buckets[LATENCY_BUCKETS.length] ?? 0}`);
    lines.push(`tsgi_worker_request_duration_seconds_sum{${label(worker)}} ${worker.stats?.latencySumSeconds ?? 0}`);
    lines.push(`tsgi_worker_request_duration_seconds_count{${label(worker)}} ${worker.stats?.requests ?? 0}`);
  }
  metric("tsgi_worker_resident_memory_bytes", "gauge", "Worker resident set size.");
  for (const worker of stats.workers) lines.push(`tsgi_worker_resident_memory_bytes{${label(worker)}} ${worker.stats?.rssBytes ?? 0}`);
  metric("tsgi_worker_restarts_total", "counter", "Times this worker slot was restarted.");
  for (const worker of stats.workers) lines.push(`tsgi_worker_restarts_total{${label(worker)}} ${worker.restarts}`);
  return lines.join("\n") + "\n";
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
