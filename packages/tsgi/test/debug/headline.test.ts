import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildErrorReport, renderHtmlReport, renderTextReport } from "../../src/debug/index.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-debug-headline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An error whose stack names a line of the app's file, then two frames of a package. */
function syntaxError(): Error {
  const file = join(dir, "helper.ts");
  writeFileSync(file, 'export function f() {\n\treturn (1 + ;\n}\n');
  const error = new SyntaxError('Unexpected ";"');
  error.stack = `SyntaxError: Unexpected ";"\n    at (syntax error) (${file}:2:14)\n    at failureErrorWithLog (/x/node_modules/esbuild/lib/main.js:1752:15)\n    at Socket.emit (node:events:524:28)`;
  return error;
}

describe("the headline code frame (codeFrame option)", () => {
  it("shows the lines around the location under it, a caret under the column (tabs kept)", () => {
    const report = buildErrorReport(syntaxError(), { codeFrame: true });
    const text = renderTextReport(report, { includeSections: false, includeFooter: false, includeTraceback: false });
    expect(text).toBe(`SyntaxError: Unexpected ";"\nIn your code at ${join(dir, "helper.ts")}:2:14 (syntax error)\n    1 | export function f() {\n  > 2 | \treturn (1 + ;\n      | \t            ^\n    3 | }\n    4 | \n`);
    const html = renderHtmlReport(report);
    expect(html).toMatch(/<pre class="source code-frame">.*<span class="line current"><span class="number">2<\/span>\treturn \(1 \+ ;<\/span><span class="line caret"><span class="number"><\/span>\t {12}\^<\/span>/);
  });

  it("is off by default: the traceback shows the lines", () => {
    const report = buildErrorReport(syntaxError());
    expect(report.codeFrame).toBeUndefined();
    expect(renderHtmlReport(report)).not.toContain('<pre class="source code-frame">');
  });
});

describe("collapsed library frames in text (collapseLibraryFrames option)", () => {
  it("folds each run of library frames into one line naming them; the default lists every frame", () => {
    const report = buildErrorReport(syntaxError());
    const collapsed = renderTextReport(report, { collapseLibraryFrames: true });
    expect(collapsed).toContain("  ... 2 frames in esbuild, node\n");
    expect(collapsed).not.toContain("failureErrorWithLog");
    expect(renderTextReport(report)).toContain("  at failureErrorWithLog (/x/node_modules/esbuild/lib/main.js:1752:15)");
  });
});
