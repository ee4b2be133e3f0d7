import type { ApplicationFunction } from "../../types.js";
import { describeEnviron } from "../probes/environDump.js";
import { recordProbeEvent } from "../probes/ledger.js";
import { respondJson } from "../probes/respond.js";

/** Environment variable naming the ledger token the vector app records its calls under (inherited by worker processes). */
export const REQUEST_VECTOR_TOKEN_ENV = "TSGI_REQUEST_VECTOR_TOKEN";

/** The ledger event the vector app records once per call, before it reads anything. */
export const VECTOR_CALL_EVENT = "call";

/** What the vector app answers for each request it is called for. */
export interface VectorAppReport {
  /** The environ's plain values (strings, numbers, booleans), as the environ-dump probe reports them. */
  environ: Record<string, unknown>;
  /** Every key of the environ, in the order the server created them. */
  keys: string[];
  /** The body read from `tsgi.input` to end of file, latin-1. */
  body: string;
}

/** Options of {@link requestVectorApp}. */
export interface RequestVectorAppOptions {
  /** Ledger token to record each call under (default: `$TSGI_REQUEST_VECTOR_TOKEN`; none: calls are not recorded). */
  ledgerToken?: string | undefined;
}

/**
 * The app the request vectors are served by: for any method and path it records the call
 * in the probe ledger (so a test can prove a refused request never reached it), reads
 * `tsgi.input` to end of file, and answers 200 with a {@link VectorAppReport} as JSON.
 *
 * @example
 * const server = createServer(requestVectorApp({ ledgerToken: createLedgerToken() }));
 */
export function requestVectorApp(options: RequestVectorAppOptions = {}): ApplicationFunction {
  return async (environ, startResponse) => {
    const token = options.ledgerToken ?? process.env[REQUEST_VECTOR_TOKEN_ENV];
    if (token) recordProbeEvent(token, VECTOR_CALL_EVENT);
    const input = environ["tsgi.input"];
    const parts: Uint8Array[] = [];
    for (let part = await input.read(65_536); part.length > 0; part = await input.read(65_536)) parts.push(part);
    const report: VectorAppReport = {
      environ: describeEnviron(environ).values,
      keys: Object.keys(environ),
      body: Buffer.concat(parts).toString("latin1"),
    };
    return respondJson(startResponse, "200 OK", report);
  };
}
