import type { StaticMount } from "../static/staticFiles.js";
import type { TargetSpec } from "../target/parseTarget.js";
import { exitCodeOf } from "../errors.js";

/** What the supervisor tells a new app process (passed in an environment variable). */
export interface ChildConfig {
  target: TargetSpec;
  cwd: string;
  validate: boolean;
  staticMounts: StaticMount[];
}

/** Where the child bootstrap puts its function that reports pending imports at once. */
export const FLUSH_IMPORTS = Symbol.for("tsgi-dev.flushImports");

/** The environment variable that carries the {@link ChildConfig} as JSON. */
export const CHILD_CONFIG_ENV = "TSGI_DEV_CHILD_CONFIG";

/** An error sent over IPC: enough to print it and to render the error page. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  /** Set for TARGET problems (not found, no such export, not an app), which stop the server at start-up. */
  exitCode: number | undefined;
  rule: string | undefined;
  cause: SerializedError | undefined;
}

/**
 * Supervisor -> app process. `load` makes a warmed-up process import the app;
 * a `connection` message carries the accepted socket as its handle.
 */
export type SupervisorMessage = { type: "load" } | { type: "connection" } | { type: "stop" };

/** App process -> supervisor. */
export type ChildMessage =
  | { type: "imported"; files: string[] }
  | { type: "standby" } // warmed up (tsx and the server loaded), waiting for `load`
  | { type: "ready" }
  | { type: "failed"; error: SerializedError };

/**
 * Flattens an error (and its causes) for IPC.
 *
 * @example
 * process.send?.({ type: "failed", error: serializeError(error) });
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: "Error", message: String(error), stack: undefined, exitCode: undefined, rule: undefined, cause: undefined };
  }
  const exitCode = exitCodeOf(error);
  const rule = (error as { rule?: unknown }).rule;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    exitCode,
    rule: typeof rule === "string" ? rule : undefined,
    cause: error.cause !== undefined && depth < 10 ? serializeError(error.cause, depth + 1) : undefined,
  };
}

/**
 * Rebuilds an `Error` from its serialized form, so the debug page can render it.
 *
 * @example
 * const error = deserializeError(message.error);
 */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message, serialized.cause ? { cause: deserializeError(serialized.cause) } : undefined);
  error.name = serialized.name;
  error.stack = serialized.stack ?? `${serialized.name}: ${serialized.message}`;
  if (serialized.rule !== undefined) Object.assign(error, { rule: serialized.rule });
  return error;
}
