import type { ApplicationFunction, Environ, ResponseBody, StartResponse } from "../../types.js";
import { ProbeFailure } from "./closeRecorder.js";
import { queryOf, respondText, utf8 } from "./respond.js";

/** A header an app must never get through to the client: a hop-by-hop field (PEP 3333). */
export const HOP_BY_HOP_PROBE_HEADER: [string, string] = ["Upgrade", "tsgi-probe/1"];
/** A header value that would split the response if sent unchecked. */
export const SPLITTING_PROBE_HEADER: [string, string] = ["X-Probe-Split", "a\r\nX-Smuggled: yes"];
/** Body of the response the app substitutes via `excInfo` before headers went out. */
export const EXC_INFO_REPLACEMENT_BODY = "replaced by excInfo\n";

type FailureCase = (environ: Environ, startResponse: StartResponse) => ResponseBody | Promise<ResponseBody>;

const plain: Array<[string, string]> = [["Content-Type", "text/plain; charset=utf-8"]];

/** Each way an app can fail, by `?when=` value. */
export const FAILURE_CASES: Readonly<Record<string, FailureCase>> = {
  "before-start": () => {
    throw new ProbeFailure("failing before startResponse");
  },
  "async-reject": async () => {
    await Promise.resolve();
    throw new ProbeFailure("failing asynchronously before startResponse");
  },
  "after-start": (_environ, startResponse) => {
    startResponse("200 OK", plain);
    throw new ProbeFailure("failing after startResponse, before any body");
  },
  "mid-body": (_environ, startResponse) => {
    startResponse("200 OK", plain);
    return failAfterFirstChunk();
  },
  "mid-body-length": (_environ, startResponse) => {
    startResponse("200 OK", [...plain, ["Content-Length", "100"]]);
    return failAfterFirstChunk();
  },
  "exc-info-after-headers": (_environ, startResponse) => {
    startResponse("200 OK", plain);
    return (function* () {
      yield utf8("partial output\n");
      // Headers are out: the server must rethrow the error, so the response ends broken.
      startResponse("500 Internal Server Error", plain, new ProbeFailure("reported after headers"));
      yield utf8("must never be sent\n");
    })();
  },
  "exc-info-before-headers": (_environ, startResponse) => {
    startResponse("200 OK", [...plain, ["X-Discarded", "yes"]]);
    // Nothing is sent yet, so reporting an error with excInfo replaces the status and headers.
    startResponse("503 Service Unavailable", plain, new ProbeFailure("reported before headers"));
    return [utf8(EXC_INFO_REPLACEMENT_BODY)];
  },
  "second-start": (_environ, startResponse) => {
    startResponse("200 OK", plain);
    startResponse("201 Created", plain);
    return [utf8("second startResponse without excInfo\n")];
  },
  "invalid-status": (_environ, startResponse) => {
    startResponse("OK", plain);
    return [utf8("status without a code\n")];
  },
  "hop-by-hop": (_environ, startResponse) => {
    startResponse("200 OK", [...plain, HOP_BY_HOP_PROBE_HEADER]);
    return [utf8("hop-by-hop header\n")];
  },
  "header-splitting": (_environ, startResponse) => {
    startResponse("200 OK", [...plain, SPLITTING_PROBE_HEADER]);
    return [utf8("header with CRLF\n")];
  },
  "string-chunk": (_environ, startResponse) => {
    startResponse("200 OK", plain);
    return ["a string is not bytes"] as unknown as ResponseBody;
  },
  "not-iterable": (_environ, startResponse) => {
    startResponse("200 OK", plain);
    return 42 as unknown as ResponseBody;
  },
  "no-start": () => [utf8("body without startResponse\n")],
};

/**
 * Fails in the way `?when=` names (see {@link FAILURE_CASES}); an unknown value gets 400.
 * A server must answer 500 when nothing was sent yet, and cut the connection when
 * headers were already out.
 *
 * @example
 * // GET /fail?when=before-start  -> 500
 */
export function failureProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const when = queryOf(environ).get("when") ?? "";
    const failureCase = FAILURE_CASES[when];
    if (!failureCase) {
      return respondText(startResponse, "400 Bad Request", `?when= must be one of ${Object.keys(FAILURE_CASES).join(", ")}\n`);
    }
    return failureCase(environ, startResponse);
  };
}

async function* failAfterFirstChunk(): AsyncGenerator<Uint8Array> {
  yield utf8("partial output\n");
  throw new ProbeFailure("failing after the first chunk was sent");
}
