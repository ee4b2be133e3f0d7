/**
 * `@tsgi/worker-server`: the pre-fork production server (`tsgi-worker`). Most users run the CLI;
 * these exports are for config files (`defineConfig`, hook types) and for embedding.
 */
export { defineConfig } from "./config/resolvedConfig.js";
export type { ConfigFile, ResolvedConfig } from "./config/resolvedConfig.js";
export type { LogLevel, Settings } from "./config/settings.js";
export { ConfigError } from "./config/errors.js";
export { resolveConfig, defaultSettings } from "./config/resolve.js";
export type { ConfigSources } from "./config/resolve.js";
export { OPTIONS, DEFAULT_ACCESS_LOG_FORMAT } from "./config/options.js";
export { parseBindAddress, formatBindUrl } from "./config/bind.js";
export type { BindAddress } from "./config/bind.js";
export { formatConfig } from "./config/printConfig.js";
export { Arbiter } from "./arbiter/arbiter.js";
export { BindError } from "./arbiter/listeners.js";
export { PidfileError } from "./arbiter/pidfile.js";
export type { Hooks, ArbiterInfo, WorkerInfo, WorkerContext, WorkerExit } from "./hooks/hooks.js";
export { ErrorLog } from "./log/errorLog.js";
export type { Logger, ErrorLogOptions } from "./log/errorLog.js";
export { AppLoadError, loadApp, parseAppTarget } from "./worker/loadApp.js";
export { statsToJson, statsToPrometheus } from "./stats/format.js";
export type { ArbiterStats } from "./stats/format.js";
export { main } from "./cli/main.js";
export { createWorkerServer, createHttpServer } from "./connection/index.js";
export type { HttpServerOptions, RequestEvents, RequestOutcome, WorkerHttpServer } from "./connection/index.js";
