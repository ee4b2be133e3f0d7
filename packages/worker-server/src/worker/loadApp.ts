import { existsSync, statSync } from "node:fs";
import { extname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isApplication } from "tsgi";
import type { Application } from "tsgi";
import { ensureTypeScriptLoader, isTypeScriptFile } from "./typescript.js";

/** The app could not be loaded: a missing file or export, a throwing module, or not an app. Gunicorn exits 4 for this. */
export class AppLoadError extends Error {
  override readonly name = "AppLoadError";
}

/** A parsed TARGET. */
export interface AppTarget {
  modulePath: string;
  exportName: string;
  /** `module:createApp()`: call the export (it may return a promise). */
  callFactory: boolean;
}

const EXPORT_SUFFIX = /:([A-Za-z_$][\w$]*)(\(\))?$/;
const EXTENSIONS = [".ts", ".mts", ".tsx", ".js", ".mjs", ".cjs", ".cts"];

/**
 * Parses TARGET as `tsgi-dev` does: `path/to/module[:export]` or `module:factory()`.
 *
 * @example
 * parseAppTarget("src/app.ts:createApp()"); // { modulePath: "src/app.ts", exportName: "createApp", callFactory: true }
 */
export function parseAppTarget(target: string): AppTarget {
  const trimmed = target.trim();
  if (trimmed === "") throw new AppLoadError("missing TARGET (usage: tsgi-worker [options] path/to/module[:export])");
  const match = EXPORT_SUFFIX.exec(trimmed);
  if (!match) return { modulePath: trimmed, exportName: "default", callFactory: false };
  return { modulePath: trimmed.slice(0, match.index), exportName: match[1] ?? "default", callFactory: match[2] !== undefined };
}

/**
 * The module file TARGET names: the path as given when it has a module extension, else the path
 * with each extension added, then `index.*` inside it (as Node users expect). Reads only the file
 * system, never the module, so the master can check TARGET before it forks workers.
 *
 * @example
 * resolveAppModule(parseAppTarget("src/app"), "/srv/shop"); // "/srv/shop/src/app.ts"
 * resolveAppModule(parseAppTarget("nope.ts"), "/srv/shop"); // throws: cannot find module nope.ts (... there is no file /srv/shop/nope.ts)
 */
export function resolveAppModule(target: AppTarget, cwd: string): string {
  const base = isAbsolute(target.modulePath) ? target.modulePath : resolve(cwd, target.modulePath);
  const hasExtension = EXTENSIONS.includes(extname(base));
  const candidates = hasExtension ? [base] : [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => resolve(base, "index" + ext))];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found) return found;
  const lookedFor = hasExtension
    ? `there is no file ${base}`
    : `looked for ${base} with ${EXTENSIONS.join(", ").replace(/, ([^,]*)$/, " or $1")} added, and for ${resolve(base, "index")}.ts or .js`;
  throw new AppLoadError(`cannot find module ${target.modulePath} (TARGET is path/to/module[:export]; ${lookedFor})`);
}

/**
 * Imports TARGET and returns the application it names (a TypeScript module through tsx,
 * registered on demand). Every failure is an `AppLoadError` carrying the cause.
 *
 * @example
 * const app = await loadApp("src/app.ts:createApp()", process.cwd());
 */
export async function loadApp(target: string, cwd: string): Promise<Application> {
  const spec = parseAppTarget(target);
  const file = resolveAppModule(spec, cwd);
  let namespace: Record<string, unknown>;
  try {
    if (isTypeScriptFile(file)) await ensureTypeScriptLoader();
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const hint =
      (error as { code?: unknown } | null)?.code === "ERR_UNKNOWN_FILE_EXTENSION"
        ? " (a JavaScript TARGET that imports TypeScript files: point TARGET at the .ts entry, or compile the app)"
        : "";
    throw new AppLoadError(`error while importing ${file}${hint}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { cause: error });
  }
  if (!(spec.exportName in namespace)) {
    throw new AppLoadError(`${file} has no export named "${spec.exportName}" (exports: ${Object.keys(namespace).sort().join(", ") || "none"})`);
  }
  let value = namespace[spec.exportName];
  if (spec.callFactory) {
    if (typeof value !== "function") throw new AppLoadError(`${spec.exportName} in ${file} is not a function, so it cannot be called as a factory`);
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      throw new AppLoadError(`${spec.exportName}() in ${file} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { cause: error });
    }
  }
  if (!isApplication(value)) {
    throw new AppLoadError(`${target} is not a TSGI application: expected a function (environ, startResponse) or an object with call(), got ${value === null ? "null" : typeof value}`);
  }
  return value;
}
