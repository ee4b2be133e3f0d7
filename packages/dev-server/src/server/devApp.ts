import { validator } from "tsgi";
import type { Application, Environ } from "tsgi";
import { debugErrors } from "../debug/debugErrors.js";
import { staticFiles } from "../static/staticFiles.js";
import type { StaticMount } from "../static/staticFiles.js";
import { RAW_URI_KEY } from "./devListener.js";

/** What the dev server wraps around an app. */
export interface DevApplicationOptions {
  /** Wrap the app in the `tsgi` validator (default true). */
  validate?: boolean;
  /** Show the debug page for errors raised before headers (default true). */
  debug?: boolean;
  /** `--static` mounts, served before the app. */
  staticMounts?: readonly StaticMount[];
  /** Told about each app error the debug page is shown for. */
  onError?(error: unknown, environ: Environ): void;
}

/**
 * Wraps an app the way `tsgi-dev` serves it, from the outside in: static files,
 * then the debug page, then the validator, then the app, so a validator
 * violation shows on the debug page with its rule name.
 *
 * @example
 * const app = buildDevApplication(myApp, { staticMounts: [{ prefix: "/static", directory: "public" }] });
 */
export function buildDevApplication(app: Application, options: DevApplicationOptions = {}): Application {
  let wrapped: Application = options.validate === false ? app : validator(app);
  if (options.debug !== false) {
    wrapped = debugErrors(wrapped, { rawTargetKey: RAW_URI_KEY, ...(options.onError ? { onError: options.onError } : {}) });
  }
  if (options.staticMounts && options.staticMounts.length > 0) {
    wrapped = staticFiles(wrapped, { mounts: options.staticMounts, rawTargetKey: RAW_URI_KEY });
  }
  return wrapped;
}
