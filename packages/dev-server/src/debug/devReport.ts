import type { Environ } from "tsgi";
import { buildErrorReport as buildReport, environSections, packageRoots, renderTextReport } from "tsgi/debug";
import type { ErrorReport, ErrorReportOptions } from "tsgi/debug";

// The dev server's own frames are machinery, not the user's code: the page collapses them.
const DEV_SERVER_ROOTS = packageRoots("@tsgi/dev-server", import.meta.url);

const FOOTER = "You see this page because tsgi-dev shows errors in development. Never use tsgi-dev in production.";

/**
 * What tsgi-dev's debug page shows about `error` (the `tsgi/debug` report):
 * the cause chain with source-mapped frames and source lines, tsgi-dev's and
 * tsgi's frames collapsed, the caller's heading, summary rows and code frame, and, with an environ, the request line, the headers
 * and the environ with sensitive values masked.
 *
 * @example
 * const report = buildErrorReport(error, environ);
 * console.log(report.title); // "TypeError: Cannot read properties of undefined"
 */
export function buildErrorReport(error: unknown, environ?: Environ, rawTarget?: string, headline: Pick<ErrorReportOptions, "heading" | "summary" | "codeFrame"> = {}): ErrorReport {
  const request = environ ? environSections(environ, rawTarget) : undefined;
  return buildReport(error, { ...headline, libraryRoots: DEV_SERVER_ROOTS, requestLine: request?.requestLine, sections: request?.sections, footer: FOOTER });
}

/**
 * The error as the terminal shows it: the title, the rule a validator error
 * broke, and the frames with the app's source lines (no request, no footer).
 *
 * @example
 * process.stderr.write(terminalReport(error));
 */
export function terminalReport(error: unknown): string {
  return renderTextReport(buildErrorReport(error), { includeSections: false, includeFooter: false });
}
