/**
 * PostgreSQL SQLSTATEs meaning "the server is not there right now": class 08 (connection
 * exceptions), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting
 * up, shutting down, in recovery), 53300 too many connections.
 */
const UNREACHABLE_SQLSTATE = /^(08\w{3}|57P0[1-3]|53300)$/;

/**
 * Socket errors of a server that is down or cut off. ENOENT is a missing unix socket, which is
 * what a stopped local server leaves; EAI_AGAIN is a DNS server that did not answer. ENOTFOUND is
 * not here: a host name that does not exist is a wrong HOST, not an outage.
 */
const UNREACHABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOENT", "EPIPE", "EAI_AGAIN"]);

/**
 * What pg says, without a code, when the server closed the socket or a connect timed out; "not
 * queryable" is a query on a pooled client whose socket died while it was checked out (a restart);
 * "timeout exceeded" is a wait for a pooled client past `connect_timeout` (every client of the
 * pool stuck connecting to a server that does not answer, or all busy).
 */
const UNREACHABLE_MESSAGE = /Connection terminated|connection timeout|terminating connection|connection error and is not queryable|timeout exceeded when trying to connect/i;

/**
 * Whether `error` (or one of its causes) says the database server cannot be reached right now,
 * as opposed to a wrong configuration (authentication failed, no such database) or a bug in a
 * query. One rule for the whole framework: such a failure answers requests with 503 and
 * `Retry-After` (handler), keeps readiness at 503 (health) and does not fail the lifespan
 * start-up unless the project asks for that (`LIFESPAN_REQUIRE_DATABASES`).
 *
 * @example
 * try { await query; } catch (error) { if (isServerUnreachable(error)) retryLater(); else throw error; }
 */
export function isServerUnreachable(error: unknown): boolean {
  // The pg driver's error is the framework error's cause; its own cause may be the socket error.
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (UNREACHABLE_SQLSTATE.test(code) || UNREACHABLE_ERRNO.has(code))) return true;
    if (UNREACHABLE_MESSAGE.test(current.message)) return true;
  }
  return false;
}
