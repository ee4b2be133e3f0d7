/**
 * tsgi's WebSocket and lifespan suites again on Node 24 (issue 16: Node 20 and 24): the files
 * below run in a vitest on the Node 24 binary `npx -p node@24` gives, so createServer, ws and
 * the lifespan runner are exercised on 24. Skipped, with the reason, where Node 24 cannot be had;
 * and on Node 24 itself, where the normal run already is that run.
 */
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { node24OrReason, runVitestOnNode } from "../../../../test-support/vitestOnNode24.js";

const FILES = [
  "test/websocket/nodeWebSocket.test.ts",
  "test/websocket/lifespan.test.ts",
  "test/websocket/specExamples.test.ts",
  "test/websocket/fetchBridge.test.ts",
  "test/validator/websocket.test.ts",
];
const PACKAGE = fileURLToPath(new URL("../..", import.meta.url));
const onNode24 = process.version.startsWith("v24.");
const found = onNode24 ? { reason: "already running on Node 24" } : node24OrReason();

describe.skipIf(found.node === undefined)(`tsgi WebSocket suites on Node 24${found.reason ? ` (skipped: ${found.reason})` : ""}`, () => {
  it(`pass: ${FILES.join(", ")}`, { timeout: 600_000 }, async () => {
    const node = found.node as string;
    expect(execFileSync(node, ["--version"], { encoding: "utf8" })).toMatch(/^v24\./);
    expectPassed(await runVitestOnNode(node, PACKAGE, FILES), FILES.length);
  });

  it("pass: the conformance kit's WebSocket and lifespan checks (test/conformance.test.ts)", { timeout: 600_000 }, async () => {
    expectPassed(await runVitestOnNode(found.node as string, PACKAGE, ["test/conformance.test.ts", "-t", "websocket|WebSocket|lifespan"]), 1);
  });
});

function expectPassed({ code, output }: { code: number | null; output: string }, files: number): void {
  expect({ code, failed: output.split("\n").filter((line) => /FAIL|×/.test(line)) }).toEqual({ code: 0, failed: [] });
  expect(output).toMatch(new RegExp(`Test Files\\s+${files} passed \\(${files}\\)`));
  expect(output).toMatch(/Tests\s+[1-9]\d* passed/);
}
