import { configuredAliases, connections } from "../db/connections.js";
import { ConnectionDoesNotExist } from "../db/errors.js";
import type { Settings } from "../settings/types.js";

/** Where the start-up's warnings go: the process's stderr, which tsgi-worker and tsgi-dev pass to their log. */
export type WarningSink = (line: string) => void;

const toStderr: WarningSink = (line) => void process.stderr.write(`${line}\n`);

/**
 * The lifespan's database step: opens every configured database with one round trip. A wrong
 * configuration (authentication failed, no such database, a bad SQLite path, an alias
 * LIFESPAN_REQUIRE_DATABASES names that DATABASES lacks) rejects, failing the start-up. A server
 * that is down or cut off gets one warning line naming the alias, and the process starts anyway:
 * a worker restarted during a database outage (max-requests, HUP, a crash) must not turn the
 * outage into an application outage. Requests that need it get 503 with Retry-After and the
 * pool connects on first use once the server is back, as Django connects lazily. With
 * LIFESPAN_REQUIRE_DATABASES (`true`, or the alias listed) it is a boot failure instead.
 * Resolves with the aliases left unopened.
 *
 * @example
 * const down = await openDatabases(settings); // ["default"] while PostgreSQL restarts, after one warning
 */
export async function openDatabases(settings: Settings, warn: WarningSink = toStderr): Promise<string[]> {
  const required = settings.LIFESPAN_REQUIRE_DATABASES ?? false;
  if (Array.isArray(required)) {
    const configured = configuredAliases(settings);
    const unknown = required.find((alias) => !configured.includes(alias));
    if (unknown !== undefined) {
      throw new ConnectionDoesNotExist(
        `LIFESPAN_REQUIRE_DATABASES names ${JSON.stringify(unknown)}, which is not a configured database (configured: ${configured.join(", ") || "none"}); list DATABASES aliases only`,
      );
    }
  }
  const unreachable = await connections.connect(settings, {
    failWhenUnreachable: required,
    onUnreachable: (error) =>
      warn(
        `WARNING (pid ${process.pid}): ${error.message}. Starting without it: requests that use it get 503 with Retry-After until it answers, ` +
          `then it is connected on first use (LIFESPAN_REQUIRE_DATABASES makes this a boot failure instead).`,
      ),
  });
  return unreachable.map((error) => error.alias);
}
