import { OperationalError } from "../db/errors.js";
import { isServerUnreachable } from "../db/unreachable.js";
import { ServiceUnavailable } from "../exceptions.js";

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
  if (error instanceof OperationalError && isServerUnreachable(error)) return DATABASE_RETRY_AFTER;
  return undefined;
}
