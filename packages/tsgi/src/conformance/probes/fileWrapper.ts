import { writeFile, open, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { ApplicationFunction } from "../../types.js";
import { patternChunks } from "./bytePattern.js";
import { integerParam, queryOf, respondText } from "./respond.js";

/**
 * Sends `?size=` bytes (default 1 MiB, at most 64 MiB) of the pattern stream
 * from a real file through the server's `tsgi.file_wrapper`, with a
 * Content-Length. Answers 501 when the server offers no file_wrapper (it is optional).
 *
 * @example
 * // GET /file-wrapper?size=3000000  -> sha256 equals patternDigest(3000000)
 */
export function fileWrapperProbe(): ApplicationFunction {
  return async (environ, startResponse) => {
    const wrap = environ["tsgi.file_wrapper"];
    if (typeof wrap !== "function") return respondText(startResponse, "501 Not Implemented", "no tsgi.file_wrapper\n");
    const size = integerParam(queryOf(environ), "size", 1024 * 1024, 64 * 1024 * 1024);
    const path = join(tmpdir(), `tsgi-conformance-${randomUUID()}.bin`);
    await writeFile(path, patternChunks(size));
    const handle = await open(path, "r");
    // The open handle keeps the data readable; removing the name now means nothing is left behind on any path.
    await unlink(path);
    startResponse("200 OK", [
      ["Content-Type", "application/octet-stream"],
      ["Content-Length", String(size)],
    ]);
    return wrap(handle, 32 * 1024);
  };
}
