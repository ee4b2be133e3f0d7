/** The Autobahn categories against tsgi-worker on Node 24 (master and worker both run on it; issue 16: Node 20 and 24). */
import { describe, it } from "vitest";
import { findNode24 } from "../fixtures/node24.js";
import { describeAgainstWorker } from "./workerSuite.js";

function node24(): { node?: string; reason?: string } {
  if (process.version.startsWith("v24.")) return { reason: "already running on Node 24: autobahn.test.ts is that run" };
  try {
    return { node: findNode24() };
  } catch (error) {
    return { reason: `Node 24 is not available here (npx -p node@24 failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})` };
  }
}

const found = node24();
if (found.node !== undefined) describeAgainstWorker("tsgi-worker on Node 24", { start: { node: found.node }, expectLog: /node v24\./ });
else describe.skip(`Autobahn categories against tsgi-worker on Node 24 (skipped: ${found.reason})`, () => it("runs", () => undefined));
