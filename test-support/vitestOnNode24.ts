/**
 * Runs some of a package's vitest files on Node 24 (issue 16: "tested on Node 20 and 24"): vitest,
 * its forked test processes and every server they start use the Node 24 binary `npx -p node@24`
 * provides (found once per machine by worker-server's fixture). Shared by the packages whose
 * suites have a Node 24 run (tsgi's and tsgi-dev's WebSocket suites).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { findNode24 } from "../packages/worker-server/test/fixtures/node24.js";

/** The Node 24 binary, or why there is none (the suite is then skipped with that reason). */
export function node24OrReason(): { node: string; reason?: undefined } | { node?: undefined; reason: string } {
  try {
    return { node: findNode24() };
  } catch (error) {
    return { reason: `Node 24 is not available here (npx -p node@24 failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})` };
  }
}

/**
 * Runs `vitest run args...` (files, `-t pattern`) in `packageDir` on `node`; resolves with its exit code and uncoloured output.
 *
 * @example
 * const { code, output } = await runVitestOnNode(node, packageDir, ["test/websocket.test.ts"]);
 */
export function runVitestOnNode(node: string, packageDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const vitest = join(dirname(createRequire(join(packageDir, "package.json")).resolve("vitest/package.json")), "vitest.mjs");
  return new Promise((resolve, reject) => {
    const child = spawn(node, [vitest, "run", ...args], { cwd: packageDir, env: { ...withoutColor(process.env), NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

function withoutColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}
