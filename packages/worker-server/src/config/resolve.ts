import { parseArgs } from "../cli/parseArgs.js";
import { parseBindAddress } from "./bind.js";
import { findDefaultConfigFile, loadConfigFile } from "./configFile.js";
import { environmentSettings } from "./environment.js";
import { ConfigError } from "./errors.js";
import { OPTIONS } from "./options.js";
import type { ResolvedConfig } from "./resolvedConfig.js";
import type { Settings } from "./settings.js";

/** Where settings come from. */
export interface ConfigSources {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Every setting at its default. */
export function defaultSettings(): Settings {
  const settings: Partial<Record<keyof Settings, unknown>> = {};
  for (const option of OPTIONS) settings[option.key] = structuredClone(option.default);
  return settings as Settings;
}

/**
 * Merges settings: command line > config file > environment > defaults (the order).
 * Throws `ConfigError` naming the option for a bad value.
 *
 * @example
 * const { settings, hooks } = await resolveConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
 */
export async function resolveConfig(sources: ConfigSources): Promise<ResolvedConfig> {
  const cli = parseArgs(sources.argv).values;
  const env = environmentSettings(sources.env);
  const configPath = (cli.config as string | null | undefined) ?? (env.config as string | null | undefined) ?? findDefaultConfigFile(sources.cwd);
  const file = configPath ? await loadConfigFile(configPath, sources.cwd) : undefined;
  const settings = { ...defaultSettings(), ...env, ...file?.values, ...cli } as Settings;
  settings.config = file?.path ?? null;
  validateSettings(settings);
  return { settings, hooks: file?.hooks ?? {} };
}

/** Checks rules that span settings (a single value is checked when parsed). */
export function validateSettings(settings: Settings): void {
  if ((settings.certfile === null) !== (settings.keyfile === null)) {
    throw new ConfigError("--certfile and --keyfile must be given together", settings.certfile === null ? "--certfile" : "--keyfile");
  }
  const notTcp = settings.reusePort ? settings.bind.find((bind) => parseBindAddress(bind).kind !== "tcp") : undefined;
  if (notTcp !== undefined) {
    throw new ConfigError(`works with HOST:PORT binds only, not ${JSON.stringify(notTcp)} (each worker opens its own TCP socket)`, "--reuse-port");
  }
  if (settings.certfile !== null && settings.protocol === "uwsgi") {
    // The uwsgi protocol has no TLS here: the certificate would be ignored and traffic served in the clear.
    throw new ConfigError("HTTPS applies to --protocol http only (uwsgi is spoken in the clear to a local nginx)", "--certfile");
  }
}
