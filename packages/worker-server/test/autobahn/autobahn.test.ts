/**
 * The Autobahn|Testsuite categories (re-created in ./cases.ts; the Python suite is not installable
 * here) against a real `tsgi-worker` running ./echoApp.ts, with its defaults (1 MiB messages, no
 * permessage-deflate; ./workerSuite.ts), again with `--ws-max-size 32 MiB --ws-per-message-deflate`,
 * and against tsgi/node's createServer with the same limits. Each category is one test; the
 * counts are printed as "autobahn categories (<server>): N cases, N passed, ...".
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "tsgi/node";
import { AUTOBAHN_CASES, casesByCategory, runCase, runCases, type CaseResult, type ServerLimits } from "./cases.js";
import application from "./echoApp.js";
import { describeResults, summaryLine } from "./summary.js";
import { describeAgainstWorker } from "./workerSuite.js";

const CATEGORIES = [...casesByCategory().entries()];
const LARGE = { maxMessageSize: 32 * 1024 * 1024, perMessageDeflate: true };

describeAgainstWorker("tsgi-worker");

describeAgainstWorker("tsgi-worker with 32 MiB messages and permessage-deflate", {
  args: ["--ws-max-size", String(LARGE.maxMessageSize), "--ws-per-message-deflate"],
  limits: LARGE,
});

describe("Autobahn categories against tsgi/node createServer with 32 MiB messages and permessage-deflate", () => {
  const results: CaseResult[] = [];
  const server = createServer(application, { websocket: LARGE });
  let port = 0;
  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    console.log(summaryLine("tsgi/node createServer, deflate", results));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(CATEGORIES)("category %s", async (_category, cases) => {
    const run = await runCases(port, cases, LARGE);
    results.push(...run);
    expect(describeResults(run)).toEqual([]);
  });
});

describe("the case table fails a server that breaks RFC 6455", () => {
  it("catches an echo server that skips UTF-8 validation: every invalid-UTF-8 case of category 6 fails", async () => {
    // ws's own option to skip validation: a real server, wrong on purpose.
    const lax = new WebSocketServer({ host: "127.0.0.1", port: 0, skipUTF8Validation: true });
    lax.on("connection", (socket) => socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })));
    await once(lax, "listening");
    try {
      const invalid = AUTOBAHN_CASES.filter((testCase) => testCase.id.startsWith("6.") && testCase.expect.kind === "fail");
      // All at once, each waiting 5 s for a close that never comes: a shorter wait can only make a case fail sooner.
      const port = (lax.address() as AddressInfo).port;
      const run = await Promise.all(invalid.map((testCase) => runCase(port, testCase, { ...LARGE, waitMs: 5_000 })));
      expect(invalid.length).toBeGreaterThan(40);
      expect(run.filter((result) => result.passed).map((result) => result.id)).toEqual([]);
      expect(run.every((result) => result.problems.some((problem) => /not UTF-8|1007/.test(problem)))).toBe(true);
    } finally {
      for (const client of lax.clients) client.terminate();
      await new Promise((resolve) => lax.close(resolve));
    }
  });
});
