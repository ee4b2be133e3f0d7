import { readFileSync } from "node:fs";
import { Arbiter } from "../arbiter/arbiter.js";
import { BindError } from "../arbiter/listeners.js";
import { PidfileError } from "../arbiter/pidfile.js";
import { checkSettingFiles } from "../config/checkFiles.js";
import { ConfigError } from "../config/errors.js";
import { formatConfig } from "../config/printConfig.js";
import { applyProcessSettings } from "../config/processSettings.js";
import { resolveConfig } from "../config/resolve.js";
import type { ConfigSources } from "../config/resolve.js";
import { ErrorLog } from "../log/errorLog.js";
import { loadApp } from "../worker/loadApp.js";
import { parseArgs } from "./parseArgs.js";
import { usage } from "./usage.js";
import { errorMessage } from "tsgi/helpers";

/** Exit statuses, Gunicorn's where it has one. */
export const EXIT = { ok: 0, failure: 1, usage: 2, workerBootError: 3, appLoadError: 4 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function firstLine(error: unknown): string {
  return errorMessage(error).split("\n")[0] ?? "";
}

/**
 * Runs `tsgi-worker` with `sources.argv`; resolves with the process exit status
 * (2 for a bad option, 1 when --check-config or --print-config cannot load the app,
 * 3 when workers cannot boot, 4 when --preload cannot load the app).
 *
 * @example
 * process.exitCode = await main({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
 */
export async function main(sources: ConfigSources): Promise<number> {
  let config;
  try {
    const parsed = parseArgs(sources.argv);
    if (parsed.help) {
      process.stdout.write(usage());
      return EXIT.ok;
    }
    if (parsed.version) {
      process.stdout.write(`tsgi-worker ${version()} (node ${process.version})\n`);
      return EXIT.ok;
    }
    config = await resolveConfig(sources);
    sources = applyProcessSettings(config.settings, sources);
    checkSettingFiles(config.settings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`usage: tsgi-worker [options] TARGET\ntsgi-worker: error: ${firstLine(error)}\n`);
    return EXIT.usage;
  }
  const { settings } = config;
  if (!settings.app) {
    process.stderr.write("usage: tsgi-worker [options] TARGET\ntsgi-worker: error: the following arguments are required: TARGET\n");
    return EXIT.usage;
  }
  // Gunicorn's --print-config "implies --check-config": print, then prove the app loads.
  if (settings.printConfig) process.stdout.write(formatConfig(config));
  if (settings.checkConfig || settings.printConfig) {
    try {
      await loadApp(settings.app, sources.cwd);
      // --print-config's output stays only `key = value` lines, for scripts that read it.
      if (settings.checkConfig) process.stdout.write(`Configuration OK (app ${settings.app}${settings.config ? `, config ${settings.config}` : ""})\n`);
      return EXIT.ok;
    } catch (error) {
      process.stderr.write(`tsgi-worker: error: ${errorMessage(error)}\n`);
      return EXIT.failure;
    }
  }
  let log: ErrorLog;
  try {
    log = new ErrorLog({ file: settings.errorLogfile, level: settings.logLevel });
  } catch (error) {
    process.stderr.write(`tsgi-worker: error: argument --error-logfile: cannot open ${settings.errorLogfile}: ${firstLine(error)}\n`);
    return EXIT.usage;
  }
  if (settings.preload) {
    try {
      // Fail fast in the master; workers still load their own copy (Node processes share no memory).
      await loadApp(settings.app, sources.cwd);
    } catch (error) {
      log.critical(`Failed to load application: ${errorMessage(error)}`);
      return EXIT.appLoadError;
    }
  }
  try {
    return await new Arbiter(config, sources, log).run();
  } catch (error) {
    if (error instanceof BindError || error instanceof PidfileError) {
      log.error(error.message);
      return EXIT.failure;
    }
    throw error;
  }
}
