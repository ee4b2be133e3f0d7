/**
 * The worker's connection layer, as the worker process and embedders use it: what happens on a
 * connection inside one worker process, from the first byte on the wire to the access log line.
 * (Modules inside the layer import each other directly, never through this file.)
 */
export { createWorkerServer, createHttpServer } from "./createWorkerServer.js";
export type { RequestEvents, RequestOutcome, ServeTarget, WorkerHttpServer } from "./types.js";
export type { AccessLogOptions, HttpServerOptions, TlsOptions } from "./options.js";
// Typed errors createWorkerServer()/serve() throw for bad settings, for the CLI to report.
export { InvalidLimitError } from "./limits.js";
export { InvalidTimeoutError, MAX_TIMEOUT_SECONDS } from "./timeouts.js";
export { TlsFileError } from "./tls.js";
export { ServeError } from "./acceptors.js";
export { InvalidAllowListError } from "../proxy/ipAllowList.js";
export { AccessLogOpenError } from "../log/accessLog.js";
