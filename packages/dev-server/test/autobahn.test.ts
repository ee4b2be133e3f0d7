/**
 * The Autobahn|Testsuite categories (the case table of packages/worker-server/test/autobahn/)
 * against a real `tsgi-dev` process serving the same echo app, with the validator on: the dev
 * server must pass every case its 1 MiB limit allows (bigger messages: 1009), and a client
 * breaking the protocol must not be reported as an app error.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_MESSAGE_SIZE } from "tsgi";
import { casesByCategory, runCases, type CaseResult } from "../../worker-server/test/autobahn/cases.js";
import { describeResults, summaryLine } from "../../worker-server/test/autobahn/summary.js";
import { PROCESS_TEST_TIMEOUT_MS, killAllDevProcesses, startDevServer, type DevProcess } from "./helpers/dev-process.js";

const ECHO_APP = fileURLToPath(new URL("../../worker-server/test/autobahn/echoApp.ts", import.meta.url));

describe("Autobahn categories against tsgi-dev (validator on, default limits)", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const results: CaseResult[] = [];
  let dev: DevProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    dev = await startDevServer(["--port", "0", "--no-reload", `${ECHO_APP}:application`], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    port = Number(new URL(dev.url).port);
  }, PROCESS_TEST_TIMEOUT_MS);

  afterAll(async () => {
    console.log(summaryLine("tsgi-dev", results));
    const stderr = dev?.stderr() ?? "";
    await dev?.stop("SIGTERM");
    await killAllDevProcesses();
    expect(stderr).not.toMatch(/Traceback|Error|failed/);
  });

  it.each([...casesByCategory().entries()])("category %s", async (_category, cases) => {
    const run = await runCases(port, cases, { maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE });
    results.push(...run);
    expect(describeResults(run)).toEqual([]);
  });
});
