import { escapeHtml } from "./escapeHtml.js";
import { headline } from "./errorReport.js";
import type { ErrorReport, ErrorSummary, ReportBlock, ReportSection } from "./errorReport.js";
import { renderTextTraceback } from "./renderText.js";
import type { SourceLine } from "./sourceLines.js";
import type { StackFrame } from "./stackFrames.js";
import { DEBUG_PAGE_STYLE } from "./style.js";

/**
 * The debug page as a self-contained HTML document (inline CSS, no script), in
 * the spirit of Django's technical 500 page: the error and where the app raised
 * it, the traceback with the app's frames open (source lines, the failing one
 * marked) and each run of library frames (server, framework, Node, packages)
 * collapsed, every cause, a copy-and-paste view, then the caller's sections.
 * Every value is HTML-escaped.
 *
 * @example
 * const html = renderHtmlReport(buildErrorReport(error, { sections }));
 */
export function renderHtmlReport(report: ErrorReport): string {
  const [first, ...causes] = report.errors;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex,nofollow,noarchive">
<title>${escapeHtml(report.title)}</title>
<style>${DEBUG_PAGE_STYLE}</style>
</head>
<body>
<header id="summary">
<h1>${escapeHtml(report.heading)}</h1>
<pre class="message exception_value">${escapeHtml(first?.message ?? "")}</pre>
${first?.rule ? ruleLine(first.rule) : ""}
${report.requestLine ? `<p class="request-line"><code>${escapeHtml(report.requestLine)}</code></p>` : ""}
${report.summary.length > 0 ? `<table class="pairs summary">${rows(report.summary)}</table>` : ""}
${report.location ? locationLine(report.location) : ""}
${report.codeFrame ? `<pre class="source code-frame">${sourceSpans(report.codeFrame.lines, report.codeFrame.column)}</pre>` : ""}
</header>
<main>
${report.before.map(renderSection).join("\n")}
<section id="traceback"><h2>Traceback <span class="hint">(most recent call first)</span></h2>
${first ? renderFrames(first) : ""}
${causes.map((cause) => `<div class="cause"><h3>Caused by: ${escapeHtml(headline(cause))}</h3>${cause.rule ? ruleLine(cause.rule) : ""}${renderFrames(cause)}</div>`).join("\n")}
<details class="copy-paste"><summary>Copy-and-paste view</summary>
<textarea readonly rows="16" spellcheck="false">${escapeHtml(renderTextTraceback(report))}</textarea>
</details>
</section>
${report.sections.map(renderSection).join("\n")}
</main>
<footer>${escapeHtml(report.footer)}</footer>
</body>
</html>
`;
}

function ruleLine(rule: string): string {
  return `<p class="rule">TSGI rule broken: <code>${escapeHtml(rule)}</code></p>`;
}

function locationLine(frame: StackFrame): string {
  // A pseudo-frame (`(syntax error)`, `(import)`: a place named by the error's message) is no function.
  if (frame.functionName.startsWith("(")) return `<p class="location">In your code at <code>${escapeHtml(where(frame))}</code> ${escapeHtml(frame.functionName)}</p>`;
  return `<p class="location">Raised in your code at <code>${escapeHtml(where(frame))}</code> in <code>${escapeHtml(frame.functionName)}</code></p>`;
}

function where(frame: StackFrame): string {
  return frame.line === undefined ? frame.file : `${frame.file}:${frame.line}:${frame.column ?? 0}`;
}

/** App frames one by one; each run of library frames folded into one closed `<details>`. */
function renderFrames(error: ErrorSummary): string {
  if (error.frames.length === 0) return `<p class="hint">No stack trace.</p>`;
  const items: string[] = [];
  let run: StackFrame[] = [];
  const flush = (): void => {
    if (run.length > 0) items.push(renderLibraryRun(run));
    run = [];
  };
  for (const frame of error.frames) {
    if (frame.isApplicationCode) {
      flush();
      items.push(renderAppFrame(frame));
    } else {
      run.push(frame);
    }
  }
  flush();
  return `<ol class="frames">${items.join("\n")}</ol>`;
}

function frameTitle(frame: StackFrame): string {
  return `<code class="where">${escapeHtml(where(frame))}</code> in <code class="function">${escapeHtml(frame.functionName)}</code>`;
}

function renderAppFrame(frame: StackFrame): string {
  const source = frame.context.length > 0 ? `<pre class="source">${sourceSpans(frame.context)}</pre>` : "";
  return `<li class="frame app">${frameTitle(frame)}${source}</li>`;
}

function renderLibraryRun(frames: readonly StackFrame[]): string {
  const owners = [...new Set(frames.map((frame) => frame.library ?? "library"))].join(", ");
  const count = frames.length === 1 ? "1 frame" : `${frames.length} frames`;
  const inner = frames.map((frame) => `<li class="frame library">${frameTitle(frame)}</li>`).join("");
  return `<li class="library-run"><details><summary>${count} in ${escapeHtml(owners)}</summary><ol class="frames">${inner}</ol></details></li>`;
}

function sourceSpans(lines: readonly SourceLine[], caretColumn?: number): string {
  // Each line is a block: a newline between them would double the spacing.
  return lines
    .map((line) => {
      const span = `<span class="line${line.current ? " current" : ""}"><span class="number">${line.number}</span>${escapeHtml(line.text)}</span>`;
      if (!line.current || caretColumn === undefined) return span;
      return `${span}<span class="line caret"><span class="number"></span>${escapeHtml(caretPad(line.text, caretColumn))}^</span>`;
    })
    .join("");
}

/** The text before the caret: the line's own tabs kept, so the caret lines up under a tab-indented line too. */
function caretPad(text: string, column: number): string {
  return text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, " ");
}

function rows(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td><code>${escapeHtml(value)}</code></td></tr>`).join("\n");
}

function renderSection(section: ReportSection): string {
  return `<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.title)}</h2>\n${section.blocks.map(renderBlock).join("\n")}\n</section>`;
}

function renderBlock(block: ReportBlock): string {
  const heading = block.heading ? `<h3>${escapeHtml(block.heading)}</h3>` : "";
  switch (block.kind) {
    case "text":
      return `${heading}<pre class="text">${escapeHtml(block.text)}</pre>`;
    case "source":
      return `${heading}<pre class="source">${sourceSpans(block.lines)}</pre>`;
    case "table":
      if (block.rows.length === 0) return `${heading}<p class="hint">${escapeHtml(block.empty ?? "None")}</p>`;
      return `${heading}<table class="pairs">${rows(block.rows)}</table>`;
  }
}
