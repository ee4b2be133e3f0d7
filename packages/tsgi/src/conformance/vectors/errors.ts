import type { RequestVector } from "./requestVector.js";
import type { VectorOutcome } from "./runVector.js";

/** `skip` named a vector that does not exist (a typo would silently keep it running, or hide a rename). */
export class UnknownVectorError extends Error {
  override readonly name = "UnknownVectorError";
  constructor(ids: string[]) {
    super(`Unknown request vector id(s) in skip: ${ids.join(", ")}. See REQUEST_VECTOR_IDS from tsgi/conformance for the known ids.`);
  }
}

/** A server departed from a vector's expectation: says how, and everything it sent. */
export class VectorFailedError extends Error {
  override readonly name = "VectorFailedError";
  readonly outcome: VectorOutcome;
  constructor(entry: RequestVector, outcome: VectorOutcome) {
    super(
      `Request vector ${entry.id} failed (${entry.rfc}).\n` +
        `Sent: ${JSON.stringify(entry.request.length > 300 ? `${entry.request.slice(0, 300)}...` : entry.request)}\n` +
        `Problems:\n${outcome.problems.map((line) => `  - ${line}`).join("\n")}\n` +
        `Seen:\n${outcome.seen.map((line) => `  ${line}`).join("\n")}\n` +
        "Fix the server, not the vector: the table is what every tsgi server is held to.",
    );
    this.outcome = outcome;
  }
}

/** The environ a server's app saw was not (only) what `assembleEnviron` built, plus the declared server keys. */
export class EnvironAssemblyError extends Error {
  override readonly name = "EnvironAssemblyError";
  constructor(problems: readonly string[]) {
    super(
      `Environ keys differ from assembleEnviron's:\n${problems.map((line) => `  - ${line}`).join("\n")}\n` +
        "Build each environ with assembleEnviron (tsgi), add the server's own keys through its serverKeys argument, " +
        "and list those keys in runRequestVectors' serverKeys option.",
    );
  }
}
