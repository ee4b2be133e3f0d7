import type { ApplicationFunction, ResponseBody } from "../../types.js";
import { isLedgerToken, recordProbeEvent } from "./ledger.js";
import { queryOf, respondText, utf8 } from "./respond.js";

/** How the recorded body ends. */
export type CloseRecorderMode = "success" | "error-before-body" | "error-mid-body" | "disconnect";

const MODES: readonly CloseRecorderMode[] = ["success", "error-before-body", "error-mid-body", "disconnect"];

/** The error the probe throws on purpose; servers log it, the check only looks at `close()`. */
export class ProbeFailure extends Error {
  override readonly name = "ProbeFailure";
}

/**
 * Returns a body whose `close()` appends `closed` to the ledger of `?token=`.
 * `?mode=` picks how the response goes: `success` (two chunks), `error-before-body`
 * (the iterator throws before any chunk), `error-mid-body` (throws after one chunk),
 * `disconnect` (chunks forever, for a client that hangs up; each pull records `produced`).
 *
 * @example
 * // GET /close-recorder?token=...&mode=error-mid-body
 */
export function closeRecorderProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const query = queryOf(environ);
    const token = query.get("token") ?? "";
    const mode = query.get("mode") ?? "success";
    if (!isLedgerToken(token) || !isMode(mode)) {
      return respondText(startResponse, "400 Bad Request", `?token= and ?mode=${MODES.join("|")} are required\n`);
    }
    startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
    return recordingBody(token, mode);
  };
}

function isMode(mode: string): mode is CloseRecorderMode {
  return (MODES as readonly string[]).includes(mode);
}

function recordingBody(token: string, mode: CloseRecorderMode): ResponseBody {
  return {
    async *[Symbol.asyncIterator]() {
      if (mode === "error-before-body") throw new ProbeFailure("close-recorder: failing before the first chunk");
      yield utf8("chunk 1\n");
      if (mode === "error-mid-body") throw new ProbeFailure("close-recorder: failing after the first chunk");
      if (mode === "success") {
        yield utf8("chunk 2\n");
        return;
      }
      // disconnect: an endless lazy stream; only the client going away ends it.
      const filler = utf8(`${"x".repeat(1023)}\n`);
      for (;;) {
        recordProbeEvent(token, "produced");
        yield filler;
      }
    },
    close() {
      recordProbeEvent(token, "closed");
    },
  };
}
