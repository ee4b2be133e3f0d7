import type { Environ } from "tsgi";
import { buildErrorReport, terminalReport } from "../debug/devReport.js";
import type { Colors } from "./colors.js";

/** Something to write terminal output to. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * A reporter that prints an app error to the terminal: a red headline with the
 * request it broke, the TSGI rule for validator violations (loudly), then the
 * source-mapped stack with the app's source lines.
 *
 * @example
 * const report = createErrorReporter(process.stderr, colorsFor(process.stderr));
 * report(error, environ);
 */
export function createErrorReporter(sink: TextSink, colors: Colors): (error: unknown, environ?: Environ) => void {
  return (error, environ) => {
    const report = buildErrorReport(error);
    const where = environ ? ` in ${environ.REQUEST_METHOD} ${environ.SCRIPT_NAME}${environ.PATH_INFO}` : "";
    const rules = report.errors.map((summary) => summary.rule).filter((rule) => rule !== undefined);
    const lines = [colors.red(colors.bold(`Error${where}`))];
    for (const rule of rules) lines.push(colors.bgRed(colors.white(colors.bold(` TSGI VALIDATION: rule ${rule} broken `))));
    lines.push(terminalReport(error));
    sink.write(lines.join("\n"));
  };
}
