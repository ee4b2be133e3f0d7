import { ServiceUnavailable } from "../exceptions.js";

/**
 * The cache server did not answer (down, unreachable, or slower than `COMMAND_TIMEOUT_MS`).
 * A `ServiceUnavailable`, so a request that needed the cache gets a 503 with `Retry-After`;
 * the client reconnects by itself when the server is back.
 *
 * @example
 * try { await cache.get("k"); } catch (error) { if (error instanceof CacheUnavailable) ... }
 */
export class CacheUnavailable extends ServiceUnavailable {}
