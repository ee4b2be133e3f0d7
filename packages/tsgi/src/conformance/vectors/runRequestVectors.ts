import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Application } from "../../types.js";
import { serverOrigin } from "../errors.js";
import type { RunningServer } from "../options.js";
import { createLedgerToken, removeLedger } from "../probes/ledger.js";
import { ASSEMBLER_KEYS_CHECK_ID, compareAssemblerKeys } from "./assemblerKeys.js";
import { ASSEMBLER_PROBE_KEY, assemblerProbeEnvironment } from "./assemblerProbe.js";
import { REQUEST_VECTOR_GROUPS, REQUEST_VECTOR_IDS } from "./catalog.js";
import { EnvironAssemblyError, UnknownVectorError, VectorFailedError } from "./errors.js";
import type { RequestVector } from "./requestVector.js";
import { runRequestVector } from "./runVector.js";
import { REQUEST_VECTOR_TOKEN_ENV, requestVectorApp } from "./vectorApp.js";

/** The path of the module whose default export is the request-vector app (for servers that load apps by path). */
export const REQUEST_VECTOR_APP_MODULE = fileURLToPath(
  new URL(new URL(import.meta.url).pathname.endsWith(".ts") ? "./app.ts" : "./app.js", import.meta.url),
);

/** Per vector: above the runner's own 15 s waits, so a stalled server fails with what was seen, not a bare timeout. */
const VECTOR_TEST_TIMEOUT_MS = 60_000;
/** Starting or stopping a server of child processes on a busy 2-core machine. */
const START_TIMEOUT_MS = 120_000;

/** What `start(app, options)` gets from {@link runRequestVectors}. */
export interface VectorStartOptions {
  /** A module whose default export is the same app, for servers that load apps by path in other processes. */
  appModule: string;
  /** The ledger token the app records its calls under. */
  ledgerToken: string;
  /**
   * Environment for a server started as a child process: it tells the app module the ledger
   * token and, with `assemblerProbe`, loads the probed assembler in every process.
   */
  env: Record<string, string>;
}

/** Options of {@link runRequestVectors}. */
export interface RequestVectorSuiteOptions {
  /** Shown in the suite title. */
  name: string;
  /** Starts the server under test serving `app` (or `options.appModule`); called once for the suite. */
  start(app: Application, options: VectorStartOptions): Promise<RunningServer>;
  /**
   * Vector ids registered with `it.skip`, each with why (name who must fix it). An unknown id
   * throws {@link UnknownVectorError}. The expectation never changes: a skipped vector still fails.
   */
  skip?: Readonly<Record<string, string>>;
  /**
   * Start the server with {@link assemblerProbeEnvironment} in `env` and require the probe's
   * key on every served environ: proof that the server builds each environ through
   * `assembleEnviron`. Only for servers started as child processes with that `env`.
   */
  assemblerProbe?: boolean;
  /**
   * The keys the server adds through `assembleEnviron`'s `serverKeys` (e.g. `RAW_URI`): the
   * key-order check requires exactly these besides the assembler's (default: none).
   */
  serverKeys?: readonly string[];
}

/**
 * Registers the request-vector table with vitest against one server: one test per vector,
 * each sent over a raw socket (see {@link runRequestVector}). Every tsgi server runs the
 * same table, so they refuse the same heads and give the same environ for the rest.
 *
 * @example
 * runRequestVectors({
 *   name: "tsgi/node createServer",
 *   async start(app) {
 *     const server = createServer(app);
 *     await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 *     const { port } = server.address() as AddressInfo;
 *     return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
 *   },
 * });
 */
export function runRequestVectors(options: RequestVectorSuiteOptions): void {
  const skip = options.skip ?? {};
  const unknown = Object.keys(skip).filter((id) => !REQUEST_VECTOR_IDS.includes(id) && id !== ASSEMBLER_KEYS_CHECK_ID);
  if (unknown.length > 0) throw new UnknownVectorError(unknown);
  const ledgerToken = createLedgerToken();
  const marker = `probe-${ledgerToken}`;
  const everyServed: Record<string, string> = options.assemblerProbe ? { [ASSEMBLER_PROBE_KEY]: marker } : {};
  let server: RunningServer | undefined;
  let origin: string | undefined;

  describe(`request vectors: ${options.name}`, () => {
    beforeAll(async () => {
      const env = {
        [REQUEST_VECTOR_TOKEN_ENV]: ledgerToken,
        ...(options.assemblerProbe ? assemblerProbeEnvironment(marker) : {}),
      };
      server = await options.start(requestVectorApp({ ledgerToken }), { appModule: REQUEST_VECTOR_APP_MODULE, ledgerToken, env });
      origin = serverOrigin(server);
    }, START_TIMEOUT_MS);
    afterAll(async () => {
      removeLedger(ledgerToken);
      if (typeof server?.close === "function") await server.close();
    }, START_TIMEOUT_MS);
    for (const group of REQUEST_VECTOR_GROUPS) {
      describe(group.title, () => {
        for (const entry of group.vectors) {
          const title = `${entry.id}: ${entry.rfc}`;
          if (Object.hasOwn(skip, entry.id)) it.skip(`${title} (skipped: ${skip[entry.id]})`, () => {});
          else it(title, () => checkVector(entry, { origin: () => origin, ledgerToken, everyServed }), VECTOR_TEST_TIMEOUT_MS);
        }
      });
    }
    describe("environ assembly", () => {
      const title = `${ASSEMBLER_KEYS_CHECK_ID}: the app sees assembleEnviron's keys in its order, plus the declared server keys`;
      const check = async () => {
        if (origin === undefined) throw new Error("The server under test did not start: see the error of start() above.");
        const { problems, serverKeys } = await compareAssemblerKeys(origin);
        const seen = serverKeys.filter((key) => key !== ASSEMBLER_PROBE_KEY).sort();
        const declared = [...(options.serverKeys ?? [])].sort();
        if (seen.join() !== declared.join()) {
          problems.push(`the server's own keys are ${JSON.stringify(seen)}, declared ${JSON.stringify(declared)} (serverKeys option)`);
        }
        if (problems.length > 0) throw new EnvironAssemblyError(problems);
      };
      if (Object.hasOwn(skip, ASSEMBLER_KEYS_CHECK_ID)) it.skip(`${title} (skipped: ${skip[ASSEMBLER_KEYS_CHECK_ID]})`, check);
      else it(title, check, VECTOR_TEST_TIMEOUT_MS);
    });
  });
}

interface SuiteState {
  origin: () => string | undefined;
  ledgerToken: string;
  everyServed: Readonly<Record<string, string>>;
}

async function checkVector(entry: RequestVector, state: SuiteState): Promise<void> {
  const origin = state.origin();
  if (origin === undefined) throw new Error("The server under test did not start: see the error of start() above.");
  const outcome = await runRequestVector(entry, { origin, ledgerToken: state.ledgerToken, everyServed: state.everyServed });
  if (!outcome.passed) throw new VectorFailedError(entry, outcome);
}
