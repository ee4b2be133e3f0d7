/**
 * The Autobahn categories against a real `tsgi-worker` process (the CLI, `-w 1`) serving
 * ./echoApp.ts, as one vitest describe per run: with the defaults (1 MiB messages, no
 * permessage-deflate), with 32 MiB and permessage-deflate, and on Node 24 (./node24.test.ts).
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_MESSAGE_SIZE } from "tsgi";
import { cleanupMasters, startMaster, type MasterProcess, type StartOptions } from "../fixtures/master.js";
import { casesByCategory, runCases, type CaseResult, type ServerLimits } from "./cases.js";
import { describeResults, summaryLine } from "./summary.js";

const ECHO_APP = fileURLToPath(new URL("./echoApp.ts", import.meta.url));

export interface WorkerRun {
  /** Extra CLI options (`--ws-max-size`, `--ws-per-message-deflate`). */
  args?: string[];
  /** The message limit those options set (default: the CLI's, 1 MiB). */
  limits?: ServerLimits;
  /** The Node binary for master and workers. */
  start?: StartOptions;
  /** A pattern the master's log must show (its Node version). */
  expectLog?: RegExp;
}

/** Declares the describe: the worker starts before the first category and is stopped (and its log checked) after the last. */
export function describeAgainstWorker(label: string, run: WorkerRun = {}): void {
  const args = run.args ?? [];
  describe(`Autobahn categories against ${label} (the CLI, -w 1${args.length > 0 ? ` ${args.join(" ")}` : ", default limits"})`, () => {
    const results: CaseResult[] = [];
    const limits: ServerLimits = run.limits ?? { maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE };
    let master: MasterProcess | undefined;
    let port = 0;

    beforeAll(async () => {
      master = startMaster(["-b", "127.0.0.1:0", "-w", "1", ...args, ECHO_APP], run.start);
      port = Number(new URL(await master.url()).port);
      await master.waitForCount(/Worker ready/, 1);
      if (run.expectLog) expect(master.output).toMatch(run.expectLog);
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
