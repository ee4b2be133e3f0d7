import type { ApplicationFunction } from "../../types.js";
import { queryOf, utf8 } from "./respond.js";

/** What the legacy-write probe sends: two parts through `write()`, then one from the returned body. */
export const WRITE_LEGACY_PARTS = ["written first, ", "written second, ", "returned last\n"] as const;

/**
 * Uses the `write()` function `startResponse` returns (PEP 3333's legacy
 * path) for the first two parts, then returns the last one as the body. The
 * client must get them in that order. With `?mode=inside`, a generator calls
 * `startResponse` and `write()` from inside the body's iteration (also allowed).
 *
 * @example
 * // GET /write-legacy -> "written first, written second, returned last\n"
 */
export function writeLegacyProbe(): ApplicationFunction {
  return async (environ, startResponse) => {
    const headers: Array<[string, string]> = [["Content-Type", "text/plain; charset=utf-8"]];
    if (queryOf(environ).get("mode") === "inside") {
      return (async function* () {
        const write = startResponse("200 OK", headers);
        await write(utf8(WRITE_LEGACY_PARTS[0]));
        yield utf8(WRITE_LEGACY_PARTS[1]);
        await write(utf8(WRITE_LEGACY_PARTS[2]));
      })();
    }
    const write = startResponse("200 OK", headers);
    await write(utf8(WRITE_LEGACY_PARTS[0]));
    await write(utf8(WRITE_LEGACY_PARTS[1]));
    return [utf8(WRITE_LEGACY_PARTS[2])];
  };
}
