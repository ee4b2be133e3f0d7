import type { Check } from "../settings/checks.js";
import type { LifespanHook } from "./types.js";

/** One LIFESPAN entry: a hook function, or `"path/to/module.ts:exportName"` naming one. */
export type LifespanTarget = LifespanHook | string;

declare module "../settings/types.js" {
  interface Settings {
    /**
     * Start-up hooks run once per process before it serves, in order, after the databases are
     * opened and the installed apps' `ready` hooks ran; each may return a cleanup, run at
     * shutdown in reverse order. Entries are functions or `"module.ts:exportName"` targets
     * (resolved against BASE_DIR; `"module.ts"` alone names the default export).
     */
    LIFESPAN?: readonly LifespanTarget[];
    /**
     * Which databases must be reachable for the lifespan start-up to succeed. By default
     * (`false`) a database server that is down or cut off at start-up is logged as a warning and
     * the process serves on (requests that need it get 503 with Retry-After; the pool connects
     * once the server is back), as Django connects lazily; a wrong configuration (authentication
     * failed, no such database, a bad SQLite path) fails the start-up whatever this says. `true`
     * makes any database that cannot be opened a boot failure (fail fast); a list of aliases
     * does that for those aliases only.
     */
    LIFESPAN_REQUIRE_DATABASES?: boolean | readonly string[];
  }
}

/**
 * LIFESPAN: a list of hook functions and `"module.ts[:exportName]"` targets.
 *
 * @example
 * checkLifespanSetting(["hooks.ts:"]); // 'item 0: expected a function or "module.ts[:exportName]" ...'
 */
export const checkLifespanSetting: Check = (value) => {
  if (!Array.isArray(value)) return `expected a list of hooks (functions or "module.ts:exportName"), got ${typeof value}`;
  for (const [index, item] of value.entries()) {
    if (typeof item === "function") continue;
    if (typeof item === "string" && item.length > 0 && !item.endsWith(":") && !item.startsWith(":")) continue;
    return `item ${index}: expected a function or "module.ts[:exportName]" such as "hooks.ts:openSearchIndex", got ${JSON.stringify(item)}`;
  }
  return undefined;
};

/**
 * LIFESPAN_REQUIRE_DATABASES: `true`, `false` or a list of `DATABASES` aliases.
 *
 * @example
 * checkRequireDatabasesSetting("default"); // 'expected true, false or a list of DATABASES aliases such as ["default"], got "default"'
 */
export const checkRequireDatabasesSetting: Check = (value) => {
  if (typeof value === "boolean") return undefined;
  if (Array.isArray(value) && value.every((alias) => typeof alias === "string" && alias.length > 0)) return undefined;
  return `expected true, false or a list of DATABASES aliases such as ["default"], got ${JSON.stringify(value)}`;
};
