import { terminalReport } from "../debug/devReport.js";
import type { Colors } from "../log/colors.js";
import type { TextSink } from "../log/errorLog.js";

/** Why the app is not serving: what the terminal and the failure page say. */
export type FailureKind = "failed-to-start" | "crashed" | "exited";

const HEADLINES: Record<FailureKind, string> = {
  "failed-to-start": "the app failed to start; fix the error and save: tsgi-dev reloads by itself",
  crashed: "the app process crashed; fix the error and save: tsgi-dev reloads by itself",
  exited: "the app process stopped; save a file to restart it",
};

/**
 * The error the failure page shows: a headline saying what happened and what to
 * do, with the app's own error as its cause. It carries no stack of its own (the
 * supervisor's frames say nothing about the app's problem).
 *
 * @example
 * const error = describeFailure("failed-to-start", syntaxError);
 */
export function describeFailure(kind: FailureKind, cause?: Error, detail?: string): Error {
  const message = detail ? `${HEADLINES[kind]} (${detail})` : HEADLINES[kind];
  const error = new Error(message, cause ? { cause } : undefined);
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/**
 * Prints a failure in the terminal: a red, timestamped headline, then the app's
 * error with its source-mapped frames and source lines.
 */
export function printFailure(sink: TextSink, colors: Colors, error: Error): void {
  sink.write(colors.red(colors.bold(`${timestamp()} tsgi-dev: ${error.message}\n`)));
  if (error.cause !== undefined) {
    sink.write(terminalReport(error.cause));
  }
}

/** `[14:02:11]`, as the access log shows time. */
export function timestamp(): string {
  return `[${new Date().toTimeString().slice(0, 8)}]`;
}
