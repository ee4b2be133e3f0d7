import { existsSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { errorMessage } from "tsgi/helpers";
import { isHookName } from "../hooks/hooks.js";
import type { Hooks } from "../hooks/hooks.js";
import { ConfigError } from "./errors.js";
import { notApplicableReason } from "./notApplicable.js";
import { OPTIONS, optionForKey } from "./options.js";
import { closestName } from "./suggest.js";
import type { Settings } from "./settings.js";

/** Config file names looked for in the working directory when `-c` is not given. */
export const DEFAULT_CONFIG_FILES = ["tsgi.config.ts", "tsgi.config.mts", "tsgi.config.js", "tsgi.config.mjs", "tsgi.config.json"];

/** What a config file contributed. */
export interface LoadedConfigFile {
  path: string;
  values: Partial<Record<keyof Settings, unknown>>;
  hooks: Hooks;
}

/** The default config file in `cwd`, if there is one. */
export function findDefaultConfigFile(cwd: string): string | undefined {
  return DEFAULT_CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/** A TS file outside a `"type": "module"` package compiles to CommonJS: its `export default` arrives wrapped. */
function unwrapCommonJs(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (record.__esModule === true || (keys.length === 1 && keys[0] === "default")) return record.default;
  return value;
}

/**
 * Loads `tsgi.config.ts|js|json`: its default export (or, without one, its named exports),
 * every key checked against the known settings and hooks. TS files load through tsx,
 * which the CLI registers. Each call re-imports the file, so HUP picks up edits.
 *
 * @example
 * const { values, hooks } = await loadConfigFile("tsgi.config.ts", process.cwd());
 */
export async function loadConfigFile(file: string, cwd: string): Promise<LoadedConfigFile> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`, "-c/--config");
  let exported: unknown;
  try {
    if (extname(path) === ".json") {
      exported = JSON.parse(readFileSync(path, "utf8"));
    } else {
      // tsImport loads through tsx in a fresh namespace each time (so a HUP re-reads an edited file),
      // whatever the file's folder says about module type.
      // Imported here, not at the top: a server without a .ts/.js config never loads tsx.
      const { tsImport } = await import("tsx/esm/api");
      const namespace = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
      exported = "default" in namespace ? unwrapCommonJs(namespace.default) : { ...namespace };
    }
  } catch (error) {
    throw new ConfigError(`cannot load config file ${path}: ${errorMessage(error).split("\n")[0]}`);
  }
  if (typeof exported === "function") exported = await (exported as () => unknown)();
  if (typeof exported !== "object" || exported === null || Array.isArray(exported)) {
    throw new ConfigError(`config file ${path} must export an object of settings (got ${Array.isArray(exported) ? "an array" : typeof exported})`);
  }
  const values: Partial<Record<keyof Settings, unknown>> = {};
  const hooks: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(exported)) {
    if (isHookName(key)) {
      if (typeof raw !== "function") throw new ConfigError(`hook ${key} in ${path} must be a function, got ${typeof raw}`);
      hooks[key] = raw;
      continue;
    }
    const option = optionForKey(key);
    if (!option || option.key === "config" || option.key === "checkConfig" || option.key === "printConfig") throw unknownSetting(key, path);
    values[option.key] = option.coerce(raw, `${key} (in ${path})`);
  }
  return { path, values, hooks: hooks as Hooks };
}

/** An unknown config key: why, when it is a Gunicorn setting tsgi-worker leaves out; else the nearest known name. */
function unknownSetting(key: string, path: string): ConfigError {
  const reason = notApplicableReason(key);
  if (reason !== undefined) return new ConfigError(`setting "${key}" in config file ${path}: ${reason}`);
  const names = OPTIONS.filter((option) => !["config", "checkConfig", "printConfig"].includes(option.key)).flatMap((option) => [option.key, ...(option.aliases ?? [])]);
  const suggestion = closestName(key, names);
  return new ConfigError(
    `unknown setting "${key}" in config file ${path} (${suggestion ? `did you mean "${suggestion}"? ` : ""}see tsgi-worker --help for settings; hooks are onStarting, whenReady, ...)`,
  );
}
