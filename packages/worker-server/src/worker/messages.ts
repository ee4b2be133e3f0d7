import type { Settings } from "../config/settings.js";
import type { WorkerStatsSnapshot } from "../stats/workerStats.js";

/** File descriptor of the first listening socket in a worker: stdio 0-2, the IPC channel at 3, sockets from 4 on. */
export const FIRST_LISTEN_FD = 4;

/** What a worker needs to start, sent by the master as the first IPC message. */
export interface BootMessage {
  type: "boot";
  settings: Settings;
  id: number;
  age: number;
  /** One entry per listening socket (fd FIRST_LISTEN_FD + index); with --reuse-port, the address to open instead. */
  listeners: Array<{ fd: number } | { host: string; port: number; reusePort: true }>;
}

/** Master -> worker. Stops are also sent as signals (TERM graceful, QUIT quick), as Gunicorn does. */
export type MasterMessage =
  | BootMessage
  | { type: "reopenLogs" }
  | { type: "statsRequest"; requestId: number }
  /** Sent just before a graceful stop on a --reload: stop accepting, close open WebSockets now with `code` (1012, service restart). */
  | { type: "closeWebSockets"; code: number; reason: string };

/** Worker -> master. */
export type WorkerMessage =
  | { type: "heartbeat"; stats: WorkerStatsSnapshot }
  | { type: "ready"; stats: WorkerStatsSnapshot }
  | { type: "bootError"; message: string; /** The error with its stack, logged once by the master however many workers fail alike. */ report: string }
  | { type: "stats"; requestId: number; stats: WorkerStatsSnapshot }
  | { type: "retire"; reason: string };

/** Exit status of a worker whose app failed to load (Gunicorn's WORKER_BOOT_ERROR). */
export const WORKER_BOOT_ERROR = 3;

/** How often a worker with `timeout` seconds reports in: well inside the timeout, at most once a second. */
export function heartbeatIntervalMs(timeoutSeconds: number): number {
  if (timeoutSeconds <= 0) return 1000;
  return Math.max(50, Math.min(1000, (timeoutSeconds * 1000) / 4));
}

/** Narrows an IPC payload to a message of this protocol. */
export function isMessage<T extends { type: string }>(value: unknown): value is T {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
