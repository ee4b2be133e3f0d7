import type { ApplicationFunction } from "../../types.js";
import { patternChunks } from "./bytePattern.js";
import { integerParam, queryOf } from "./respond.js";

/**
 * Sends `?size=` bytes (default 1 MiB, at most 4 GiB) of the pattern stream,
 * generated lazily; `?length=0` leaves out Content-Length so the server must
 * frame the body itself.
 *
 * @example
 * // GET /download?size=52428800  -> sha256 equals patternDigest(52428800)
 */
export function downloadProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const query = queryOf(environ);
    const size = integerParam(query, "size", 1024 * 1024, 4 * 1024 * 1024 * 1024);
    const headers: Array<[string, string]> = [["Content-Type", "application/octet-stream"]];
    if (query.get("length") !== "0") headers.push(["Content-Length", String(size)]);
    startResponse("200 OK", headers);
    return patternChunks(size);
  };
}
