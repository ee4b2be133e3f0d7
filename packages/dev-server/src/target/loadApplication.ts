import { loadTarget, TargetLoadError } from "tsgi/helpers";
import type { TargetSpec } from "tsgi/helpers";
import type { Application } from "tsgi";

export { resolveTargetModule } from "tsgi/helpers";

/**
 * Imports the TARGET module and returns the application it names, with
 * `tsgi/helpers`' `loadTarget` (tsx must be registered first for TypeScript).
 * A module or factory that throws rejects with the app's own error, so the
 * debug page and the terminal show the syntax error or the failing line itself.
 *
 * @example
 * const app = await loadApplication(parseTarget("src/tsgi.ts:application"), { cwd: process.cwd() });
 */
export async function loadApplication(spec: TargetSpec, options: { cwd: string }): Promise<Application> {
  try {
    return await loadTarget(spec, { cwd: options.cwd });
  } catch (error) {
    throw error instanceof TargetLoadError ? error.cause : error;
  }
}
