import { relative } from "node:path";
import { renderTextReport } from "tsgi/debug";
import type { ErrorReport } from "tsgi/debug";
import { buildErrorReport } from "../debug/devReport.js";
import type { Colors } from "../log/colors.js";
import type { TextSink } from "../log/errorLog.js";
import { locationOf, presentLoadError } from "./loadErrorLocation.js";

/** Why the app is not serving: what the terminal and the failure page say. */
export type FailureKind = "failed-to-start" | "crashed" | "exited";

const STATUS: Record<FailureKind, string> = {
  "failed-to-start": "the app failed to start; fix the error and save: tsgi-dev reloads by itself",
  crashed: "the app process crashed; fix the error and save: tsgi-dev reloads by itself",
  exited: "the app process stopped; save a file to restart it",
};

/** What the terminal and the failure page show while the app is not serving. */
export interface Failure {
  kind: FailureKind;
  /** What happened and what to do (`the app failed to start; fix the error and save: ...`). */
  status: string;
  /** The app's error, led by its place in the source when it has one (see `presentLoadError`); none when the process just exited. */
  error: Error | undefined;
}

/**
 * The failure to show: the app's own error first (a syntax error as
 * `file:line:column`, its message and the code around it), with what happened
 * to the app process and what to do as a status line.
 *
 * @example
 * const failure = describeFailure("failed-to-start", syntaxError);
 * failure.error?.message; // 'Unexpected ";"'
 */
export function describeFailure(kind: FailureKind, cause?: Error, detail?: string): Failure {
  return { kind, status: detail ? `${STATUS[kind]} (${detail})` : STATUS[kind], error: cause ? presentLoadError(cause) : undefined };
}

/**
 * The debug report for a failure: headed by the error and where it is (`SyntaxError in src/app.ts:3:22`), the
 * code frame under it, the status as a summary row; for an exit without an error, the status is the error.
 *
 * @example
 * const report = failureReport(failure, environ);
 */
export function failureReport(failure: Failure, environ?: Parameters<typeof buildErrorReport>[1], rawTarget?: string): ErrorReport {
  if (!failure.error) {
    const error = new Error(failure.status);
    error.stack = `${error.name}: ${error.message}`;
    return buildErrorReport(error, environ, rawTarget);
  }
  const location = locationOf(failure.error);
  const heading = location ? `${failure.error.name} in ${displayPath(location.file)}:${location.line}:${location.column}` : failure.error.name;
  return buildErrorReport(failure.error, environ, rawTarget, { heading, summary: [["tsgi-dev", failure.status]], codeFrame: true });
}

/**
 * Prints a failure in the terminal, led by the error: a red, timestamped
 * `SyntaxError: Unexpected ";"`, where it is with the code around it, the
 * app's frames (library ones folded into one line each), then the status.
 */
export function printFailure(sink: TextSink, colors: Colors, failure: Failure): void {
  if (!failure.error) {
    sink.write(colors.red(colors.bold(`${timestamp()} tsgi-dev: ${failure.status}\n`)));
    return;
  }
  const [title = "", ...rest] = loadErrorText(failure.error).split("\n");
  sink.write(colors.red(colors.bold(`${timestamp()} ${title}\n`)) + rest.join("\n"));
  sink.write(colors.yellow(`${timestamp()} tsgi-dev: ${failure.status}\n`));
}

/**
 * A load error as the terminal shows it: `SyntaxError: Unexpected ";"`, where it is with the code around it
 * (a caret under the column), and, for an error thrown at import time, its frames (library ones folded).
 *
 * @example
 * process.stderr.write(loadErrorText(presentLoadError(error)));
 */
export function loadErrorText(error: Error): string {
  const report = failureReport({ kind: "failed-to-start", status: "", error });
  // A syntax error or a missing import is fully said by its place and code frame; a throw at import time needs its frames.
  return renderTextReport(report, { includeSections: false, includeFooter: false, collapseLibraryFrames: true, includeTraceback: !locationOf(error) });
}

/** `[14:02:11]`, as the access log shows time. */
export function timestamp(): string {
  return `[${new Date().toTimeString().slice(0, 8)}]`;
}

/** A path under the working folder as `src/app.ts`; others as they are. */
function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith("..") || shown === "" ? file : shown;
}
