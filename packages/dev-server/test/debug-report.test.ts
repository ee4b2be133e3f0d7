import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { setupTestingDefaults } from "tsgi";
import { MASK } from "tsgi/debug";
import { buildErrorReport, terminalReport } from "../src/debug/devReport.js";

// The page itself (frames, causes, masking, rendering) is tsgi/debug's, tested in packages/tsgi/test/debug.
describe("tsgi-dev's error report", () => {
  const devServerFile = fileURLToPath(new URL("../src/server/devListener.ts", import.meta.url));

  it("collapses tsgi-dev's own frames and keeps the app's", () => {
    const error = new Error("boom");
    error.stack = ["Error: boom", `    at view (${fileURLToPath(import.meta.url)}:3:1)`, `    at listener (${devServerFile}:10:1)`].join("\n");
    const frames = buildErrorReport(error).errors[0]?.frames ?? [];
    expect(frames.map((frame) => [frame.functionName, frame.isApplicationCode, frame.library])).toEqual([
      ["view", true, undefined],
      ["listener", false, "@tsgi/dev-server"],
    ]);
  });

  it("shows the request with secrets masked on the page, and leaves it out of the terminal", () => {
    const environ = setupTestingDefaults({ PATH_INFO: "/cart", HTTP_COOKIE: "sessionid=s3cret", HTTP_USER_AGENT: "curl/8.0" });
    const report = buildErrorReport(new Error("boom"), environ, "/cart?raw");
    expect(report.requestLine).toBe("GET /cart?raw HTTP/1.0");
    expect(report.sections.map((section) => section.id)).toEqual(["request", "environ"]);
    expect(JSON.stringify(report.sections)).not.toContain("s3cret");
    expect(JSON.stringify(report.sections)).toContain(MASK);
    expect(report.footer).toContain("tsgi-dev");
    const terminal = terminalReport(new Error("boom"));
    expect(terminal.startsWith("Error: boom\n")).toBe(true);
    for (const left of ["\nEnviron:\n", "\nRequest:\n", report.footer]) expect(terminal).not.toContain(left);
  });
});
