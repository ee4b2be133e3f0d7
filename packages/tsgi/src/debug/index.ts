/**
 * The debug page every TSGI server and framework shares (`tsgi/debug`): an
 * error report built from an error (its causes, source-mapped frames, source
 * lines, the app's frames apart from library ones) and the caller's sections,
 * rendered as HTML or plain text. No dependencies.
 */
export { buildErrorReport, headline } from "./errorReport.js";
export type { CodeFrame, ErrorReport, ErrorReportOptions, ErrorSummary, ReportBlock, ReportRow, ReportSection } from "./errorReport.js";
export { environSections, type EnvironReport } from "./environSections.js";
export { escapeHtml } from "./escapeHtml.js";
export { cleanse, display, MASK, maskIfSensitive, SENSITIVE_NAME } from "./mask.js";
export { wantsHtml } from "./negotiate.js";
export { renderDebugResponse, type DebugResponse } from "./respond.js";
export { renderHtmlReport } from "./renderHtml.js";
export { renderTextReport, renderTextTraceback, type TextReportOptions } from "./renderText.js";
export { linesAround, SourceFiles, type SourceLine } from "./sourceLines.js";
export { mapToSource, type SourcePosition } from "./sourceMaps.js";
export { framesFromCompileError, packageRoots, parseStack, type FrameOptions, type LibraryRoot, type StackFrame } from "./stackFrames.js";
