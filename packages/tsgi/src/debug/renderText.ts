import { headline } from "./errorReport.js";
import type { ErrorReport, ReportBlock, ReportSection } from "./errorReport.js";
import type { SourceLine } from "./sourceLines.js";
import type { StackFrame } from "./stackFrames.js";

/** What {@link renderTextReport} leaves out: the sections (for a terminal) or the footer. */
export interface TextReportOptions {
  includeSections?: boolean;
  includeFooter?: boolean;
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
  if (report.location) out.push(`Raised in your code at ${where(report.location)} in ${report.location.functionName}`);
  if (withSections) for (const section of report.before) out.push("", ...sectionLines(section));
  out.push("", renderTextTraceback(report).trimEnd());
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
export function renderTextTraceback(report: ErrorReport): string {
  const out = ["Traceback (most recent call first):"];
  for (const [index, error] of report.errors.entries()) {
    if (index > 0) {
      out.push("", `Caused by: ${headline(error)}`);
      if (error.rule) out.push(`TSGI rule broken: ${error.rule}`);
    }
    else out.push(headline(error));
    out.push(...error.frames.map(frameLines));
  }
  return out.join("\n") + "\n";
}

function where(frame: StackFrame): string {
  return frame.line === undefined ? frame.file : `${frame.file}:${frame.line}:${frame.column ?? 0}`;
}

function frameLines(frame: StackFrame): string {
  return [`  at ${frame.functionName} (${where(frame)})`, ...sourceLines(frame.context, "    ")].join("\n");
}

function sourceLines(lines: readonly SourceLine[], indent: string): string[] {
  const width = String(lines.at(-1)?.number ?? 0).length;
  return lines.map((line) => `${indent}${line.current ? ">" : " "} ${String(line.number).padStart(width)} | ${line.text}`);
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
