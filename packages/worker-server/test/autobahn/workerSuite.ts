/**
 * The Autobahn categories against a real `tsgi-worker` process (the CLI, `-w 1`, default limits:
 * 1 MiB messages, no permessage-deflate) serving ./echoApp.ts, as one vitest describe per run:
 * on this Node, and on Node 24 (./node24.test.ts).
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_MESSAGE_SIZE } from "tsgi";
import { cleanupMasters, startMaster, type MasterProcess, type StartOptions } from "../fixtures/master.js";
import { casesByCategory, runCases, type CaseResult, type ServerLimits } from "./cases.js";
import { describeResults, summaryLine } from "./summary.js";

const ECHO_APP = fileURLToPath(new URL("./echoApp.ts", import.meta.url));

/** Declares the describe: the worker starts before the first category and is stopped (and its log checked) after the last. */
export function describeAgainstWorker(label: string, options: StartOptions = {}, expectVersion?: RegExp): void {
  describe(`Autobahn categories against ${label} (the CLI, -w 1, default limits)`, () => {
    const results: CaseResult[] = [];
    const limits: ServerLimits = { maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE };
    let master: MasterProcess | undefined;
    let port = 0;

    beforeAll(async () => {
      master = startMaster(["-b", "127.0.0.1:0", "-w", "1", ECHO_APP], options);
      port = Number(new URL(await master.url()).port);
      await master.waitForCount(/Worker ready/, 1);
      if (expectVersion) expect(master.output).toMatch(expectVersion);
    });

    afterAll(async () => {
      console.log(summaryLine(label, results));
      // A client failing the connection is the cases' business: the worker logs no app failure and no crash.
      expect(master?.output ?? "").not.toMatch(/WebSocket app failed|Worker exiting|Traceback|Error:/);
      await cleanupMasters();
    });

    it.each([...casesByCategory().entries()])("category %s", async (_category, cases) => {
      const run = await runCases(port, cases, limits);
      results.push(...run);
      expect(describeResults(run)).toEqual([]);
    });
  });
}
