import { describeError, loadTarget, parseTarget, resolveTargetModule, TargetError, TargetLoadError } from "tsgi/helpers";
import type { TargetSpec } from "tsgi/helpers";
import type { Application } from "tsgi";
import { ensureTypeScriptLoader, isTypeScriptFile } from "./typescript.js";

/** The app could not be loaded: a missing file or export, a throwing module, or not an app. Gunicorn exits 4 for this. */
export class AppLoadError extends Error {
  override readonly name = "AppLoadError";
}

/** A parsed TARGET (tsgi/helpers' `TargetSpec`). */
export type AppTarget = TargetSpec;

/**
 * Parses TARGET with tsgi/helpers' `parseTarget`, the rules every TSGI server
 * shares: `path/to/module[:export]` or `module:factory()`.
 *
 * @example
 * parseAppTarget("src/app.ts:createApp()"); // { modulePath: "src/app.ts", exportName: "createApp", callFactory: true }
 */
export function parseAppTarget(target: string): AppTarget {
  if (target.trim() === "") throw new AppLoadError("missing TARGET (usage: tsgi-worker [options] path/to/module[:export])");
  return asAppLoadError(() => parseTarget(target));
}

/**
 * The module file TARGET names (tsgi/helpers' `resolveTargetModule`): reads
 * only the file system, never the module, so the master can check TARGET
 * before it forks workers.
 *
 * @example
 * resolveAppModule(parseAppTarget("src/app"), "/srv/shop"); // "/srv/shop/src/app.ts"
 */
export function resolveAppModule(target: AppTarget, cwd: string): string {
  return asAppLoadError(() => resolveTargetModule(target, cwd));
}

/**
 * Imports TARGET and returns the application it names (tsgi/helpers'
 * `loadTarget`; a TypeScript module through tsx, registered on demand). Every
 * failure is an `AppLoadError` carrying the cause; for a module or factory that
 * throws, its message holds the app's stack.
 *
 * @example
 * const app = await loadApp("src/app.ts:createApp()", process.cwd());
 */
export async function loadApp(target: string, cwd: string): Promise<Application> {
  const spec = parseAppTarget(target);
  try {
    return await loadTarget(spec, { cwd, beforeImport: async (file) => (isTypeScriptFile(file) ? ensureTypeScriptLoader() : undefined) });
  } catch (error) {
    if (error instanceof TargetLoadError) {
      throw new AppLoadError(`${error.what}: ${describeError(error.cause)}`, { cause: error.cause });
    }
    if (error instanceof TargetError) throw new AppLoadError(error.message, { cause: error });
    throw error;
  }
}

function asAppLoadError<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw error instanceof TargetError ? new AppLoadError(error.message, { cause: error }) : error;
  }
}
