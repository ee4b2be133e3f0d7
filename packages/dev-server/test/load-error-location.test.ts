import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildErrorReport, renderTextReport } from "tsgi/debug";
import { afterAll, describe, expect, it } from "vitest";
import { locationOf, presentLoadError } from "../src/reload/loadErrorLocation.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-load-error-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("presentLoadError", () => {
  it("turns esbuild's transform error into a SyntaxError at file:line:column (1-based), its frames kept below", () => {
    const file = join(dir, "helper.ts");
    writeFileSync(file, 'export const x = (1 + ;\n');
    const error = new Error(`Transform failed with 2 errors:\n${file}:1:22: ERROR: Unexpected ";"\n${file}:1:23: ERROR: Expected ")"`);
    error.name = "TransformError";
    error.stack = `${error.name}: ${error.message}\n    at failureErrorWithLog (/x/node_modules/esbuild/lib/main.js:1752:15)`;
    const shown = presentLoadError(error);
    expect(shown.name).toBe("SyntaxError");
    expect(shown.message).toBe('Unexpected ";" (and 1 more error below)');
    expect(locationOf(shown)).toEqual({ file, line: 1, column: 23 });
    const report = buildErrorReport(shown, { codeFrame: true });
    expect(report.location?.file).toBe(file);
    expect(report.errors[0]?.frames.map((frame) => frame.isApplicationCode)).toEqual([true, true, false]);
    const text = renderTextReport(report, { collapseLibraryFrames: true });
    expect(text).toContain("  > 1 | export const x = (1 + ;\n      |                       ^\n");
    expect(text).toContain("  ... 1 frame in esbuild");
    expect(text).not.toContain("failureErrorWithLog");
  });

  it("points a missing import at the line that imports it", () => {
    const importer = join(dir, "app.ts");
    writeFileSync(importer, 'import { a } from "./a.ts";\nimport { gone } from "./gone.ts";\n');
    const error = new Error(`Cannot find module '${join(dir, "gone.ts")}' imported from ${importer}`);
    expect(locationOf(presentLoadError(error))).toEqual({ file: importer, line: 2, column: 22 });
  });

  it("leaves an error thrown at import time as it is: its stack already points at the app", () => {
    const error = new Error("boom at import");
    expect(presentLoadError(error)).toBe(error);
  });
});
