import type { Colors } from "./colors.js";

/** What one access-log line reports. */
export interface AccessLogEntry {
  time: Date;
  method: string;
  /** The request target as sent (path and query). */
  path: string;
  /** The status code sent, or undefined when the connection was aborted before headers. */
  status: number | undefined;
  bytes: number;
  milliseconds: number;
}

/**
 * Formats one access-log line: time, method, path, status, bytes, milliseconds.
 * Status is colored by class (2xx green, 3xx cyan, 4xx yellow, 5xx red).
 *
 * @example
 * formatAccessLine({ time: new Date(), method: "GET", path: "/", status: 200, bytes: 12, milliseconds: 1.4 }, colors);
 * // "[14:02:11] GET / 200 12 B 1.4 ms"
 */
export function formatAccessLine(entry: AccessLogEntry, colors: Colors): string {
  const time = colors.dim(`[${entry.time.toTimeString().slice(0, 8)}]`);
  const status = colorStatus(entry.status, colors);
  const size = colors.dim(`${formatBytes(entry.bytes)}`);
  const ms = colors.dim(`${entry.milliseconds.toFixed(1)} ms`);
  return `${time} ${colors.bold(entry.method)} ${entry.path} ${status} ${size} ${ms}`;
}

function colorStatus(status: number | undefined, colors: Colors): string {
  if (status === undefined) return colors.red("---");
  const text = String(status);
  if (status >= 500) return colors.red(text);
  if (status >= 400) return colors.yellow(text);
  if (status >= 300) return colors.cyan(text);
  return colors.green(text);
}

/** `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
