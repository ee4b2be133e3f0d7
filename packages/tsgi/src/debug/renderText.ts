import { headline } from "./errorReport.js";
import type { ErrorReport, ReportBlock, ReportSection } from "./errorReport.js";
import type { SourceLine } from "./sourceLines.js";
import type { StackFrame } from "./stackFrames.js";

/** What {@link renderTextReport} leaves out: the sections (for a terminal) or the footer. */
export interface TextReportOptions {
  includeSections?: boolean;
  includeFooter?: boolean;
  /** Leave out the traceback (a terminal line for an error whose headline already shows where it is). */
  includeTraceback?: boolean;
  /** Fold each run of library frames (server, Node, packages) into one line naming them (default false: every frame). */
  collapseLibraryFrames?: boolean;
}

/**
 * The debug page as plain text, for curl and `Accept: text/plain`, and for the
 * terminal: the error, its causes with every frame (source lines under the
 * app's own), then the caller's sections.
 *
 * @example
 * process.stderr.write(renderTextReport(buildErrorReport(error), { includeSections: false, includeFooter: false }));
 */
export function renderTextReport(report: ErrorReport, options: TextReportOptions = {}): string {
  const withSections = options.includeSections !== false;
  const out: string[] = [report.title];
  if (report.errors[0]?.rule) out.push(`TSGI rule broken: ${report.errors[0].rule}`);
  if (withSections && report.requestLine) out.push(report.requestLine);
  if (withSections) for (const [name, value] of report.summary) out.push(`${name}: ${value}`);
  if (report.location) out.push(locationText(report.location));
  if (report.codeFrame) out.push(...sourceLines(report.codeFrame.lines, "  ", report.codeFrame.column));
  if (withSections) for (const section of report.before) out.push("", ...sectionLines(section));
  if (options.includeTraceback !== false) out.push("", renderTextTraceback(report, options.collapseLibraryFrames === true).trimEnd());
  if (withSections) for (const section of report.sections) out.push("", ...sectionLines(section));
  if (options.includeFooter !== false) out.push("", report.footer);
  return out.join("\n") + "\n";
}

/**
 * The traceback alone: the error, every frame of it and of each cause (source
 * lines under the app's own frames). It is what the copy-and-paste view holds.
 *
 * @example
 * const text = renderTextTraceback(buildErrorReport(error));
 */
export function renderTextTraceback(report: ErrorReport, collapseLibraryFrames = false): string {
  const out = ["Traceback (most recent call first):"];
  for (const [index, error] of report.errors.entries()) {
    if (index > 0) {
      out.push("", `Caused by: ${headline(error)}`);
      if (error.rule) out.push(`TSGI rule broken: ${error.rule}`);
    }
    else out.push(headline(error));
    out.push(...(collapseLibraryFrames ? collapsedFrameLines(error.frames) : error.frames.map(frameLines)));
  }
  return out.join("\n") + "\n";
}

/** A pseudo-frame (`(syntax error)`, `(import)`: a place named by the error's message) is no function. */
function locationText(frame: StackFrame): string {
  return frame.functionName.startsWith("(") ? `In your code at ${where(frame)} ${frame.functionName}` : `Raised in your code at ${where(frame)} in ${frame.functionName}`;
}

function where(frame: StackFrame): string {
  return frame.line === undefined ? frame.file : `${frame.file}:${frame.line}:${frame.column ?? 0}`;
}

function frameLines(frame: StackFrame): string {
  return [`  at ${frame.functionName} (${where(frame)})`, ...sourceLines(frame.context, "    ")].join("\n");
}

/** App frames in full; each run of library frames as one `  ... 10 frames in esbuild, node` line. */
function collapsedFrameLines(frames: readonly StackFrame[]): string[] {
  const out: string[] = [];
  let run: StackFrame[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const owners = [...new Set(run.map((frame) => frame.library ?? "library"))].join(", ");
    out.push(`  ... ${run.length === 1 ? "1 frame" : `${run.length} frames`} in ${owners}`);
    run = [];
  };
  for (const frame of frames) {
    if (frame.isApplicationCode) {
      flush();
      out.push(frameLines(frame));
    } else run.push(frame);
  }
  flush();
  return out;
}

function sourceLines(lines: readonly SourceLine[], indent: string, caretColumn?: number): string[] {
  const width = String(lines.at(-1)?.number ?? 0).length;
  return lines.flatMap((line) => {
    const text = `${indent}${line.current ? ">" : " "} ${String(line.number).padStart(width)} | ${line.text}`;
    if (!line.current || caretColumn === undefined) return [text];
    const pad = line.text.slice(0, Math.max(0, caretColumn - 1)).replace(/[^\t]/g, " ");
    return [text, `${indent}  ${" ".repeat(width)} | ${pad}^`];
  });
}

function sectionLines(section: ReportSection): string[] {
  return [`${section.title}:`, ...section.blocks.flatMap(blockLines)];
}

function blockLines(block: ReportBlock): string[] {
  const heading = block.heading ? [`  ${block.heading}:`] : [];
  const indent = block.heading ? "    " : "  ";
  switch (block.kind) {
    case "text":
      return [...heading, ...block.text.split("\n").map((line) => `${indent}${line}`)];
    case "source":
      return [...heading, ...sourceLines(block.lines, indent)];
    case "table": {
      if (block.rows.length === 0) return block.empty ? [...heading, `${indent}${block.empty}`] : heading;
      const separator = block.separator ?? " = ";
      return [...heading, ...block.rows.map(([name, value]) => `${indent}${name}${separator}${value}`)];
    }
  }
}
