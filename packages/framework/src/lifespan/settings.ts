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
