/**
 * tsgi-dev's WebSocket suites again on Node 24 (issue 16: Node 20 and 24): the files below run in
 * a vitest on the Node 24 binary `npx -p node@24` gives, and the tsgi-dev processes they start
 * run on it too. Skipped, with the reason, where Node 24 cannot be had, and on Node 24 itself.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { node24OrReason, runVitestOnNode } from "../../../test-support/vitestOnNode24.js";

const FILES = ["test/websocket.test.ts", "test/websocket-reload.test.ts", "test/autobahn.test.ts"];
const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const found = process.version.startsWith("v24.") ? { reason: "already running on Node 24" } : node24OrReason();

describe.skipIf(found.node === undefined)(`tsgi-dev WebSocket suites on Node 24${found.reason ? ` (skipped: ${found.reason})` : ""}`, () => {
  it(`pass: ${FILES.join(", ")}`, { timeout: 600_000 }, async () => {
    const node = found.node as string;
    expect(execFileSync(node, ["--version"], { encoding: "utf8" })).toMatch(/^v24\./);
    const { code, output } = await runVitestOnNode(node, PACKAGE, FILES);
    expect({ code, failed: output.split("\n").filter((line) => /FAIL|×/.test(line)) }).toEqual({ code: 0, failed: [] });
    expect(output).toMatch(new RegExp(`Test Files\\s+${FILES.length} passed \\(${FILES.length}\\)`));
    expect(output).toMatch(/autobahn categories \(tsgi-dev\): \d+ categories, (\d+) cases, \1 passed/);
  });
});
