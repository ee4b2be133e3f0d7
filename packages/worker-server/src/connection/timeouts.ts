import type { HttpServerOptions } from "./options.js";

/** The connection timeouts in milliseconds. */
export interface ConnectionTimeouts {
  /** Idle time allowed between requests on a keep-alive connection; 0 means keep-alive is off. */
  keepAliveMs: number;
  headersMs: number;
  requestMs: number;
  /** How often the connection sweep checks every connection against them. */
  checkIntervalMs: number;
}

/**
 * The longest timeout in seconds: Node's timers hold at most 2^31 - 1 ms (24.8 days) and fire
 * at once beyond it, which would turn a "very long" timeout into an immediate one.
 */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Thrown for a negative, non-numeric or too long timeout. */
export class InvalidTimeoutError extends Error {
  constructor(option: string, value: unknown) {
    super(`${option} must be a number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}, got ${String(value)}`);
    this.name = "InvalidTimeoutError";
  }
}

/**
 * Resolves the timeouts. Keep-alive defaults to 75 s: above the idle timeouts of common load
 * balancers (AWS ALB and nginx 60 s), so the balancer always closes an idle connection first
 * and never reuses one we are closing (a reset on reuse). The head timeout defaults to a second
 * above it (and at least 60 s), so a reused connection never races it; the whole-request timeout
 * to 300 s (Node's own default).
 *
 * @example
 * resolveTimeouts({ keepAlive: 5 }); // { keepAliveMs: 5000, headersMs: 60000, requestMs: 300000, checkIntervalMs: 1000 }
 */
export function resolveTimeouts(options: HttpServerOptions): ConnectionTimeouts {
  const keepAlive = seconds("keepAlive", options.keepAlive ?? 75);
  const headers = seconds("headersTimeout", options.headersTimeout ?? Math.max(60, keepAlive + 1));
  const request = seconds("requestTimeout", options.requestTimeout ?? 300);
  const headersMs = Math.round(headers * 1000);
  // The whole request cannot be given less time than its head (0 disables the request timeout).
  const requestMs = request === 0 ? 0 : Math.max(Math.round(request * 1000), headersMs);
  const shortest = Math.min(headersMs || Infinity, requestMs || Infinity);
  return {
    keepAliveMs: Math.round(keepAlive * 1000),
    headersMs,
    requestMs,
    checkIntervalMs: Math.max(50, Math.min(1000, Math.floor(shortest / 4))),
  };
}

function seconds(option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_SECONDS) throw new InvalidTimeoutError(option, value);
  return value;
}
