import { closeSync, openSync, readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { ConfigError } from "./errors.js";
import type { Settings } from "./settings.js";
import { errorMessage } from "tsgi/helpers";

function reason(error: unknown): string {
  return errorMessage(error).split("\n")[0] ?? "";
}

function readOrFail(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${reason(error)}`, option);
  }
}

/**
 * Checks, in the master and before anything starts, the files that settings name and workers
 * open: the access log can be appended to, and the certificate and key are readable, valid
 * PEM and belong together. Otherwise every worker would crash on the same bad value at boot,
 * where the master could only report "Worker failed to boot".
 *
 * @example
 * checkSettingFiles(settings); // throws ConfigError("argument --access-logfile: cannot open ...")
 */
export function checkSettingFiles(settings: Settings): void {
  if (settings.accessLogfile !== null && settings.accessLogfile !== "-") {
    try {
      // Append mode creates the file as the workers would, and never truncates it.
      closeSync(openSync(settings.accessLogfile, "a"));
    } catch (error) {
      throw new ConfigError(`cannot open ${settings.accessLogfile}: ${reason(error)}`, "--access-logfile");
    }
  }
  if (settings.certfile !== null && settings.keyfile !== null) {
    const cert = readOrFail(settings.certfile, "--certfile");
    const key = readOrFail(settings.keyfile, "--keyfile");
    try {
      createSecureContext({ cert, key });
    } catch (error) {
      throw new ConfigError(`not a usable PEM certificate and key (${reason(error)})`, "--certfile/--keyfile");
    }
  }
}
