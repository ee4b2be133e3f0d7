import { RawConnection, type RawResponse } from "../client/rawConnection.js";
import { readProbeEvents } from "../probes/ledger.js";
import { compareServed, describeReport, parseReport } from "./compareServed.js";
import type { RequestVector, VectorServer } from "./requestVector.js";
import { VECTOR_CALL_EVENT } from "./vectorApp.js";

/** Where {@link runRequestVector} sends a vector. */
export interface VectorTarget {
  /** Origin of a server serving {@link requestVectorApp}, e.g. `http://127.0.0.1:8000`. */
  origin: string;
  /** The ledger token that app records its calls under. */
  ledgerToken: string;
  /** Deadline for each wait on the server (default 15 s). */
  timeoutMs?: number;
  /** Keys every served environ must hold with these values, on top of each vector's own (e.g. the assembler probe's). */
  everyServed?: Readonly<Record<string, string>>;
}

/** What one vector did on one server. */
export interface VectorOutcome {
  id: string;
  passed: boolean;
  /** One line per way the server departed from the vector's expectation. */
  problems: string[];
  /** One line per response (and close) seen, in order. */
  seen: string[];
  /** How many times the app was called while the vector ran. */
  appCalls: number;
}

/**
 * Sends one vector's bytes over a fresh raw connection, reads the responses it expects
 * (checking status, environ, body, and that a refusal or `closeAfter` ends the connection
 * with nothing more), then counts the app's calls in the ledger: a refused request must
 * never reach the app, and a served one exactly once.
 *
 * @example
 * const outcome = await runRequestVector(REQUEST_VECTORS[0], { origin, ledgerToken });
 * if (!outcome.passed) console.log(outcome.problems, outcome.seen);
 */
export async function runRequestVector(vector: RequestVector, target: VectorTarget): Promise<VectorOutcome> {
  const callsBefore = countCalls(target.ledgerToken);
  const problems: string[] = [];
  const seen: string[] = [];
  const connection = await RawConnection.open(target.origin, { timeoutMs: target.timeoutMs ?? 15_000 });
  const server = serverOf(target.origin, connection.localPort);
  try {
    // A server may refuse and close before it has read everything: a failed write is not the verdict, the response is.
    await connection.send(Buffer.from(vector.request, "latin1")).catch((error: Error) => seen.push(`(send failed: ${error.message})`));
    let mustClose = vector.closeAfter === true;
    for (const [index, expected] of vector.responses.entries()) {
      const label = `response ${index + 1}`;
      let response: RawResponse;
      try {
        // No vector uses HEAD, so every response's body is framed as for GET.
        response = await connection.readResponse();
      } catch (error) {
        problems.push(`${label}: none (${(error as Error).message})`);
        seen.push(`${label}: none`);
        mustClose = false;
        break;
      }
      if (expected.kind === "refused") {
        seen.push(`${label}: ${response.statusLine}`);
        if (response.statusCode !== expected.status) problems.push(`${label}: status ${response.statusCode}, expected ${expected.status}`);
        // A server that served the request will not close: waiting for it would only turn the verdict into a timeout.
        mustClose = response.statusCode >= 400;
        break;
      }
      const report = parseReport(response);
      seen.push(`${label}: ${response.statusLine}${report ? ` ${describeReport(report, expected)}` : ""}`);
      if (response.statusCode !== 200 || !report) {
        problems.push(`${label}: status ${response.statusCode}, expected 200 from the app (${response.body.toString("latin1").slice(0, 200)})`);
        mustClose = false;
        break;
      }
      const withEvery = target.everyServed ? { ...expected, environ: { ...expected.environ, ...target.everyServed } } : expected;
      for (const problem of compareServed(report, withEvery, server)) problems.push(`${label}: ${problem}`);
    }
    if (mustClose) await expectClose(connection, problems, seen);
  } finally {
    connection.close();
  }
  const appCalls = countCalls(target.ledgerToken) - callsBefore;
  const served = vector.responses.filter((response) => response.kind === "served").length;
  const mayRunInBody = vector.responses.filter((response) => response.kind === "refused" && response.inBody).length;
  if (appCalls < served || appCalls > served + mayRunInBody) {
    problems.push(`the app was called ${appCalls} time(s), expected ${served}${mayRunInBody ? ` to ${served + mayRunInBody}` : ""}`);
  }
  return { id: vector.id, passed: problems.length === 0, problems, seen, appCalls };
}

/** After a refusal or a closing response the server must close, sending nothing more (no response to a request behind it). */
async function expectClose(connection: RawConnection, problems: string[], seen: string[]): Promise<void> {
  try {
    const rest = await connection.readUntilClose();
    seen.push("closed by the server");
    if (rest.length > 0) problems.push(`bytes after the last response, before the close: ${JSON.stringify(rest.toString("latin1").slice(0, 200))}`);
  } catch (error) {
    problems.push(`the server did not close the connection (${(error as Error).message})`);
    seen.push("still open");
  }
}

function countCalls(token: string): number {
  return readProbeEvents(token).filter((event) => event === VECTOR_CALL_EVENT).length;
}

function serverOf(origin: string, clientPort: number | undefined): VectorServer {
  const url = new URL(origin);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: url.port || "80", clientPort: String(clientPort) };
}

