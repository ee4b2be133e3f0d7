import { OperationalError } from "../db/errors.js";
import { ServiceUnavailable } from "../exceptions.js";

/** PostgreSQL SQLSTATE classes meaning "the server is not there right now": 08 connection, 57P admin shutdown/crash, 53 resources. */
const UNREACHABLE_SQLSTATE = /^(08\w{3}|57P0[1-3]|53300)$/;
const UNREACHABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOENT", "EPIPE"]);

/** How long to ask clients to wait when the database is unreachable. */
const DATABASE_RETRY_AFTER = 5;

/**
 * Seconds for `Retry-After` when `error` means a backing service is unavailable (a
 * {@link ServiceUnavailable}, or a database error caused by an unreachable server),
 * else undefined: such errors are answered with 503, not 500, so the load balancer
 * and the client retry instead of reporting a bug.
 *
 * @example
 * const retryAfter = retryAfterFor(error); // 5 while PostgreSQL restarts
 */
export function retryAfterFor(error: unknown): number | undefined {
  if (error instanceof ServiceUnavailable) return error.retryAfter;
  if (error instanceof OperationalError && isUnreachable(error)) return DATABASE_RETRY_AFTER;
  return undefined;
}

function isUnreachable(error: Error): boolean {
  // The pg driver's error is the cause; its own cause may be the socket error.
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (UNREACHABLE_SQLSTATE.test(code) || UNREACHABLE_ERRNO.has(code))) return true;
    if (/Connection terminated|connection timeout|terminating connection/i.test(current.message)) return true;
  }
  return false;
}
