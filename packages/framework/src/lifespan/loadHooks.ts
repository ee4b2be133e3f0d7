import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { errorMessage } from "tsgi/helpers";
import type { Settings } from "../settings/types.js";
import { appDirectories, resolveSettingsPath } from "../staticfiles/settings.js";
import { LifespanHookError } from "./errors.js";
import type { LifespanHook } from "./types.js";

/** A hook with the name its errors use. */
export interface NamedHook {
  readonly label: string;
  readonly run: LifespanHook;
}

const APP_MODULES = ["apps.ts", "apps.mts", "apps.js", "apps.mjs"];

/**
 * The start-up hooks of a project, in the order they run: each installed app's `ready` export
 * from its `apps.ts` (Django's `AppConfig.ready()`), in INSTALLED_APPS order, then the LIFESPAN
 * entries in order. String targets are imported here; a missing module or export is a
 * {@link LifespanHookError} naming the setting and the fix.
 *
 * @example
 * for (const hook of await loadHooks(settings)) await hook.run({ settings, state });
 */
export async function loadHooks(settings: Settings): Promise<NamedHook[]> {
  const hooks: NamedHook[] = [];
  for (const dir of appDirectories(settings)) {
    const file = APP_MODULES.map((name) => join(dir, name)).find((path) => existsSync(path));
    if (file === undefined) continue;
    const label = `${basename(dir)}/${basename(file)} ready`;
    const ready = (await importModule(pathToFileURL(file).href, label))["ready"];
    if (ready === undefined) continue;
    if (typeof ready !== "function") throw new LifespanHookError(`${label}: "ready" must be a function (context) => cleanup | void, got ${typeof ready}`);
    hooks.push({ label, run: ready as LifespanHook });
  }
  for (const [index, target] of (settings.LIFESPAN ?? []).entries()) {
    if (typeof target === "function") {
      hooks.push({ label: `LIFESPAN[${index}] (${target.name || "anonymous function"})`, run: target });
      continue;
    }
    const label = `LIFESPAN[${index}] (${target})`;
    const { specifier, exportName } = parseTarget(settings, target);
    const hook = (await importModule(specifier, label))[exportName];
    if (typeof hook !== "function") {
      throw new LifespanHookError(`${label}: the module has no function export ${JSON.stringify(exportName)}; export it, or name another with "module.ts:exportName"`);
    }
    hooks.push({ label, run: hook as LifespanHook });
  }
  return hooks;
}

/** `"hooks.ts:warm"` -> the module's URL (resolved against BASE_DIR) and `warm`; no `:name` means the default export. */
function parseTarget(settings: Settings, target: string): { specifier: string; exportName: string } {
  const colon = target.lastIndexOf(":");
  const named = colon > 0 && !target.slice(colon + 1).includes("/");
  const module = named ? target.slice(0, colon) : target;
  const exportName = named ? target.slice(colon + 1) : "default";
  const specifier = module.startsWith("file:") ? module : pathToFileURL(resolveSettingsPath(settings, module)).href;
  return { specifier, exportName };
}

async function importModule(specifier: string, label: string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new LifespanHookError(`${label}: cannot import ${specifier}: ${errorMessage(error)}`, { cause: error });
  }
}
