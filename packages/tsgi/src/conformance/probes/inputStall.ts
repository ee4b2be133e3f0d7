import { createHash } from "node:crypto";
import type { ApplicationFunction } from "../../types.js";
import { isLedgerToken, readProbeEvents, recordProbeEvent } from "./ledger.js";
import { queryOf, respondJson, respondText } from "./respond.js";

const POLL_MS = 10;
const GIVE_UP_MS = 45_000;

/**
 * Reads the first bytes of the request body, records `first-read` in the
 * ledger of `?token=`, then stops reading until the ledger holds `release`;
 * then reads the rest and answers `{ length, sha256 }`. While it waits, a
 * server that streams `tsgi.input` stops reading the socket, so the client
 * cannot push the whole body into server memory.
 *
 * @example
 * // POST /input-stall?token=...  (200 MiB body), then POST /ledger?token=...&event=release
 */
export function inputStallProbe(): ApplicationFunction {
  return async (environ, startResponse) => {
    const token = queryOf(environ).get("token") ?? "";
    if (!isLedgerToken(token)) return respondText(startResponse, "400 Bad Request", "?token= is required\n");
    const input = environ["tsgi.input"];
    const hash = createHash("sha256");
    const first = await input.read(1024);
    hash.update(first);
    let length = first.length;
    recordProbeEvent(token, "first-read");
    for (let waited = 0; !readProbeEvents(token).includes("release"); waited += POLL_MS) {
      if (waited >= GIVE_UP_MS) return respondText(startResponse, "408 Request Timeout", "no release signal arrived\n");
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    for (let part = await input.read(64 * 1024); part.length > 0; part = await input.read(64 * 1024)) {
      hash.update(part);
      length += part.length;
    }
    return respondJson(startResponse, "200 OK", { length, sha256: hash.digest("hex") });
  };
}
