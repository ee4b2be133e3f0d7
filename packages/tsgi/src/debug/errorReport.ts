import { display } from "./mask.js";
import { SourceFiles } from "./sourceLines.js";
import type { SourceLine } from "./sourceLines.js";
import { framesFromCompileError, parseStack } from "./stackFrames.js";
import type { FrameOptions, StackFrame } from "./stackFrames.js";

/** One error of the chain: the thrown one first, then each `cause`. */
export interface ErrorSummary {
  name: string;
  message: string;
  /** The broken rule, for a `TsgiValidationError` (or any error with a string `rule`). */
  rule: string | undefined;
  frames: StackFrame[];
}

/** A name and the text shown for it (already masked where it must be). */
export type ReportRow = readonly [name: string, value: string];

/** What a section holds: a table of rows, a block of text, or numbered source lines. */
export type ReportBlock =
  | { kind: "table"; heading?: string; rows: readonly ReportRow[]; empty?: string; separator?: string }
  | { kind: "text"; heading?: string; text: string }
  | { kind: "source"; heading?: string; lines: readonly SourceLine[] };

/** A titled part of the page besides the traceback (the request, the settings, a template error). */
export interface ReportSection {
  id: string;
  title: string;
  blocks: ReportBlock[];
}

/** Everything a debug page shows, for both the HTML and the text rendering. */
export interface ErrorReport {
  /** `TypeError: Cannot read properties of undefined`: the page title and the text's first line. */
  title: string;
  /** The page heading (default: the first error's name). */
  heading: string;
  errors: ErrorSummary[];
  /** The innermost frame of the app's own code in the deepest cause that has one: where to look first. */
  location: StackFrame | undefined;
  /** `GET /path?query HTTP/1.1`, when known. */
  requestLine: string | undefined;
  /** Rows shown under the message (Django's Request Method, Request URL, Exception Type, ...). */
  summary: ReportRow[];
  /** Sections shown before the traceback (a template error). */
  before: ReportSection[];
  /** Sections shown after the traceback (the request, the environ, the settings). */
  sections: ReportSection[];
  /** Why the page is shown and how to turn it off. */
  footer: string;
  /**
   * The source lines around {@link location}, shown in the headline under it (with a caret at the column),
   * as Vite's overlay shows a syntax error: set with the `codeFrame` option.
   */
  codeFrame?: CodeFrame;
}

/** Source lines shown in the headline; `column` (1-based) puts a caret under the current line. */
export interface CodeFrame {
  lines: readonly SourceLine[];
  column: number | undefined;
}

/** What a caller adds to the report: its sections, summary rows, heading and footer. */
export interface ErrorReportOptions extends FrameOptions {
  heading?: string;
  requestLine?: string;
  summary?: ReportRow[];
  before?: ReportSection[];
  sections?: ReportSection[];
  footer?: string;
  /** Show the lines around the location in the headline (default false: the traceback shows them). */
  codeFrame?: boolean;
}

const MAX_CAUSES = 10;

/**
 * Collects what a debug page shows about `error`: its chain of causes, each
 * with source-mapped frames and the source lines around the app's own frames,
 * and where in the app's code it was raised, plus the caller's sections.
 *
 * @example
 * const report = buildErrorReport(error, { sections: requestSections(environ).sections, libraryRoots: [myServerRoot] });
 * report.title; // "TypeError: Cannot read properties of undefined"
 */
export function buildErrorReport(error: unknown, options: ErrorReportOptions = {}): ErrorReport {
  const sources = new SourceFiles();
  const errors = errorChain(error).map((item) => summarize(item, options, sources));
  const first = errors[0] as ErrorSummary;
  const location = rootLocation(errors);
  const codeFrame = options.codeFrame && location && location.context.length > 0 ? { codeFrame: { lines: location.context, column: location.column } } : {};
  return {
    title: headline(first),
    heading: options.heading ?? first.name,
    errors,
    location,
    requestLine: options.requestLine,
    summary: options.summary ?? [],
    before: options.before ?? [],
    sections: options.sections ?? [],
    footer: options.footer ?? "You see this page because the server shows errors in development. Never show it in production.",
    ...codeFrame,
  };
}

/**
 * `Name: message`, or the name alone for an empty message.
 *
 * @example
 * headline({ name: "TypeError", message: "x" }); // "TypeError: x"
 */
export function headline(error: Pick<ErrorSummary, "name" | "message">): string {
  return error.message === "" ? error.name : `${error.name}: ${error.message}`;
}

/** The innermost app frame of the deepest error that has one: where the root cause was raised. */
function rootLocation(errors: readonly ErrorSummary[]): StackFrame | undefined {
  for (const error of [...errors].reverse()) {
    const frame = error.frames.find((candidate) => candidate.isApplicationCode && candidate.line !== undefined);
    if (frame) return frame;
  }
  return undefined;
}

/** The error and its causes, stopping at cycles and after a reasonable depth. */
function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (chain.length <= MAX_CAUSES && !chain.includes(current)) {
    chain.push(current);
    if (!(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  return chain;
}

function summarize(error: unknown, options: FrameOptions, sources: SourceFiles): ErrorSummary {
  if (!(error instanceof Error)) {
    return { name: "Thrown value", message: typeof error === "string" ? error : display(error), rule: undefined, frames: [] };
  }
  const rule = (error as { rule?: unknown }).rule;
  return {
    name: error.name || error.constructor.name,
    message: error.message,
    rule: typeof rule === "string" ? rule : undefined,
    frames: [...framesFromCompileError(error.message, options, sources), ...parseStack(error.stack ?? "", options, sources)],
  };
}
