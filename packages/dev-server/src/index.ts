// Programmatic API of @tsgi/dev-server (the CLI lives in cli.ts).
export { makeServer, type DevServer, type MakeServerOptions } from "./server/makeServer.js";
export { serve, type ServeOptions, type ServingHandle } from "./server/serve.js";
export { demoApp } from "./server/demoApp.js";
export { buildDevApplication, type DevApplicationOptions } from "./server/devApp.js";
export { createDevListener, type DevListenerOptions } from "./server/devListener.js";
export { debugErrors, type DebugErrorsOptions } from "./debug/debugErrors.js";
export { buildErrorReport, terminalReport } from "./debug/devReport.js";
export type { ErrorReport } from "tsgi/debug";
export { staticFiles, type StaticFilesOptions, type StaticMount } from "./static/staticFiles.js";
export { parseTarget, type TargetSpec } from "./target/parseTarget.js";
export { loadApplication } from "./target/loadApplication.js";
export * from "./errors.js";
