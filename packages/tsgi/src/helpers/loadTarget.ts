import { existsSync, statSync } from "node:fs";
import { extname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isApplication } from "../application.js";
import type { Application } from "../types.js";
import { describeTarget } from "./parseTarget.js";
import type { TargetSpec } from "./parseTarget.js";
import { ExportNotFoundError, NotAnApplicationError, TargetLoadError, TargetNotFoundError } from "./targetErrors.js";

/** Module extensions, in the order they are tried when TARGET names a module without one. */
export const MODULE_EXTENSIONS = [".ts", ".mts", ".tsx", ".js", ".mjs", ".cjs", ".cts"];

/**
 * The module file TARGET names: the path as given when it has a module
 * extension, else the path with each extension added, then `index.*` inside it
 * (as Node users expect). Reads only the file system, never the module, so a
 * server can check TARGET before it starts anything. `TargetNotFoundError`
 * says which files were looked for.
 *
 * @example
 * resolveTargetModule(parseTarget("src/app"), "/srv/shop"); // "/srv/shop/src/app.ts"
 */
export function resolveTargetModule(spec: TargetSpec, cwd: string): string {
  const base = isAbsolute(spec.modulePath) ? spec.modulePath : resolve(cwd, spec.modulePath);
  const hasExtension = MODULE_EXTENSIONS.includes(extname(base));
  const candidates = hasExtension ? [base] : [base, ...MODULE_EXTENSIONS.map((ext) => base + ext), ...MODULE_EXTENSIONS.map((ext) => resolve(base, "index" + ext))];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found) return found;
  const lookedFor = hasExtension
    ? `there is no file ${base}`
    : `looked for ${base} with ${MODULE_EXTENSIONS.join(", ").replace(/, ([^,]*)$/, " or $1")} added, and for ${resolve(base, "index")}.ts or .js`;
  throw new TargetNotFoundError(spec.modulePath, lookedFor);
}

/** Options for {@link loadTarget}. */
export interface LoadTargetOptions {
  /** Relative module paths resolve here. */
  cwd: string;
  /** Called with the module file before it is imported (to register a TypeScript loader on demand). */
  beforeImport?(file: string): void | Promise<void>;
}

/**
 * Imports the TARGET module and returns the application it names, calling the
 * factory for `module:createApp()` (sync or async). Every failure is a typed
 * `TargetError`: `TargetNotFoundError`, `ExportNotFoundError`,
 * `NotAnApplicationError`, or `TargetLoadError` (the import or the factory
 * threw; the app's error is its `cause`).
 *
 * @example
 * const app = await loadTarget(parseTarget("src/tsgi.ts:application"), { cwd: process.cwd() });
 */
export async function loadTarget(spec: TargetSpec, options: LoadTargetOptions): Promise<Application> {
  const file = resolveTargetModule(spec, options.cwd);
  let namespace: Record<string, unknown>;
  try {
    await options.beforeImport?.(file);
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TargetLoadError(file, "import", `cannot import ${file}${importHint(error)}`, error);
  }
  if (!(spec.exportName in namespace)) throw new ExportNotFoundError(spec.modulePath, spec.exportName, Object.keys(namespace).sort());
  let value = namespace[spec.exportName];
  if (spec.callFactory) {
    if (typeof value !== "function") {
      throw new NotAnApplicationError(`${spec.modulePath}:${spec.exportName}`, `${describeType(value)}, which cannot be called as a factory`);
    }
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      throw new TargetLoadError(file, "factory", `${spec.exportName}() in ${file} threw`, error);
    }
  }
  if (!isApplication(value)) throw new NotAnApplicationError(describeTarget(spec), describeType(value));
  return value;
}

function importHint(error: unknown): string {
  return (error as { code?: unknown } | null)?.code === "ERR_UNKNOWN_FILE_EXTENSION"
    ? " (a JavaScript TARGET that imports TypeScript files: point TARGET at the .ts entry, or compile the app)"
    : "";
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object without a call method";
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
