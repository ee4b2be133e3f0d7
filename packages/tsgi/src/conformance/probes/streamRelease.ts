import type { ApplicationFunction, ResponseBody } from "../../types.js";
import { isLedgerToken, readProbeEvents } from "./ledger.js";
import { queryOf, respondText, utf8 } from "./respond.js";

/** The first chunk the probe sends before it waits. */
export const STREAM_FIRST_CHUNK = "first chunk\n";
/** The chunk sent once the test has released the probe. */
export const STREAM_SECOND_CHUNK = "second chunk\n";
/** The chunk sent instead when no release came (the check then fails with a clear body). */
export const STREAM_TIMEOUT_CHUNK = "no release signal arrived\n";

const POLL_MS = 10;
const GIVE_UP_MS = 45_000;

/**
 * Sends {@link STREAM_FIRST_CHUNK}, then waits until the ledger of `?token=`
 * holds a `release` event (the test records it only after it has received
 * chunk 1), then sends {@link STREAM_SECOND_CHUNK}. A server that buffers
 * output never delivers chunk 1, so the test never releases: no timing involved.
 * With `?via=write` both chunks go through the legacy `write()` instead of the body.
 *
 * @example
 * // GET /stream-release?token=...   then POST /ledger?token=...&event=release
 */
export function streamReleaseProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const token = queryOf(environ).get("token") ?? "";
    if (!isLedgerToken(token)) return respondText(startResponse, "400 Bad Request", "?token= is required\n");
    const write = startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
    if (queryOf(environ).get("via") !== "write") return releasedBody(token);
    return (async () => {
      await write(utf8(STREAM_FIRST_CHUNK));
      const released = await waitForRelease(token, { closed: false });
      await write(utf8(released ? STREAM_SECOND_CHUNK : STREAM_TIMEOUT_CHUNK));
      return [];
    })();
  };
}

function releasedBody(token: string): ResponseBody {
  const state = { closed: false };
  return {
    async *[Symbol.asyncIterator]() {
      yield utf8(STREAM_FIRST_CHUNK);
      const released = await waitForRelease(token, state);
      yield utf8(released ? STREAM_SECOND_CHUNK : STREAM_TIMEOUT_CHUNK);
    },
    close() {
      // The server gave up on the response (client gone): stop waiting for a release that will not come.
      state.closed = true;
    },
  };
}

async function waitForRelease(token: string, state: { closed: boolean }): Promise<boolean> {
  // Polling a file is the one wait that works whether the test runs in this process or another.
  for (let waited = 0; waited < GIVE_UP_MS && !state.closed; waited += POLL_MS) {
    if (readProbeEvents(token).includes("release")) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
