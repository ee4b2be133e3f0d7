import type { ApplicationFunction, ResponseBody } from "../../types.js";
import { PATTERN_CHUNK_SIZE, patternChunk } from "./bytePattern.js";
import { isLedgerToken, recordProbeEvent } from "./ledger.js";
import { integerParam, queryOf, respondText } from "./respond.js";

/** Default size of the lazily produced body: far more than any socket buffer holds. */
export const SLOW_CONSUMER_DEFAULT_BYTES = 200 * 1024 * 1024;

/**
 * Produces `?size=` bytes (default 200 MiB) of the pattern stream lazily: a
 * chunk is made only when the server pulls it, and each one is recorded as a
 * `produced` event in the ledger of `?token=`. A server that respects
 * backpressure stops pulling while the client reads nothing, so the count
 * stays far below the total.
 *
 * @example
 * // GET /slow-consumer?token=...&size=209715200
 */
export function slowConsumerProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const query = queryOf(environ);
    const token = query.get("token") ?? "";
    if (!isLedgerToken(token)) return respondText(startResponse, "400 Bad Request", "?token= is required\n");
    const size = integerParam(query, "size", SLOW_CONSUMER_DEFAULT_BYTES, 4 * 1024 * 1024 * 1024);
    startResponse("200 OK", [
      ["Content-Type", "application/octet-stream"],
      ["Content-Length", String(size)],
    ]);
    return lazyPatternBody(token, size);
  };
}

function lazyPatternBody(token: string, size: number): ResponseBody {
  const chunkCount = Math.ceil(size / PATTERN_CHUNK_SIZE);
  return {
    *[Symbol.iterator]() {
      for (let index = 0; index < chunkCount; index++) {
        recordProbeEvent(token, "produced");
        yield patternChunk(index, Math.min(PATTERN_CHUNK_SIZE, size - index * PATTERN_CHUNK_SIZE));
      }
      recordProbeEvent(token, "finished");
    },
    close() {
      recordProbeEvent(token, "closed");
    },
  };
}
