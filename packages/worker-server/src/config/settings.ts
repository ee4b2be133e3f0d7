import type { Hooks } from "../hooks/hooks.js";

/** Error log levels, least to most severe (Gunicorn's names). */
export const LOG_LEVELS = ["debug", "info", "warning", "error", "critical"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every setting of `tsgi-worker`, after all sources are merged. Keys are the camelCase
 * of the long CLI flag; a config file may also use Gunicorn's setting names (see aliases in options.ts).
 */
export interface Settings {
  /** TARGET: `module[:export]` or `module:factory()`. */
  app: string | null;
  /** The config file the settings came from, if any. */
  config: string | null;
  bind: string[];
  workers: number;
  timeout: number;
  gracefulTimeout: number;
  keepAlive: number;
  maxRequests: number;
  maxRequestsJitter: number;
  limitRequestLine: number;
  limitRequestFields: number;
  limitRequestFieldSize: number;
  backlog: number;
  preload: boolean;
  reload: boolean;
  reloadExtraFiles: string[];
  pidfile: string | null;
  accessLogfile: string | null;
  accessLogFormat: string;
  errorLogfile: string;
  logLevel: LogLevel;
  forwardedAllowIps: string[];
  proxyProtocol: boolean;
  proxyAllowFrom: string[];
  certfile: string | null;
  keyfile: string | null;
  name: string | null;
  stats: string | null;
  protocol: "http" | "uwsgi";
  reusePort: boolean;
  /** `--chdir`: the directory the master changes to before loading the config's TARGET and app. */
  chdir: string | null;
  /** `-e/--env KEY=VALUE`: variables set in the master's environment, so every worker inherits them. */
  env: string[];
  /** `-u/--user`: run workers as this user (name or uid); the master must be started as root. */
  user: string | null;
  /** `-g/--group`: run workers with this group (name or gid). */
  group: string | null;
  checkConfig: boolean;
  printConfig: boolean;
}

/** Settings plus the hooks a JS/TS config file may define (hooks cannot come from the CLI or JSON). */
export interface ResolvedConfig {
  settings: Settings;
  hooks: Hooks;
}

/** What a config file exports: any subset of the settings, plus hooks. */
export type ConfigFile = Partial<Omit<Settings, "config" | "checkConfig" | "printConfig">> & Hooks;

/**
 * Types a config file's default export.
 *
 * @example
 * // tsgi.config.ts
 * export default defineConfig({ workers: 4, bind: ["0.0.0.0:8000"], whenReady: (arbiter) => arbiter.log.info("up") });
 */
export function defineConfig(config: ConfigFile): ConfigFile {
  return config;
}
