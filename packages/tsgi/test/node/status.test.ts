import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStartResponse, InvalidResponseError, parseStatus } from "../../src/index.js";
import { startQuietServer } from "./quietServer.js";
import { RawConnection } from "../../src/conformance/index.js";

// SPEC.md, "The startResponse() Callable": three digits from 200 to 599 (a 1xx is interim, never a final response), one space, a reason phrase of latin-1
// characters without control characters. The server checks it when startResponse is called (a 500 follows).
const BAD_STATUSES: Array<[why: string, status: string]> = [
  ["a code above 599", "600 Beyond"],
  ["a code of 999", "999 Custom"],
  ["a code below 100", "099 Low"],
  // A client takes a 1xx for an interim response and waits for the final one: on keep-alive it would take the
  // next request's response for this one's.
  ["a 1xx status (100)", "100 Continue"],
  ["a 1xx status (103)", "103 Early Hints"],
  ["no space", "200"],
  ["a NUL in the reason", "200 O\u0000K"],
  ["a DEL in the reason", "200 O\u007fK"],
  ["a CR LF in the reason", "200 OK\r\nX-Injected: 1"],
  ["a character above U+00FF", "200 caf\u20ac"],
];

let server: Awaited<ReturnType<typeof startQuietServer>>;
let url: string;
beforeAll(async () => {
  server = await startQuietServer((environ, startResponse) => {
    startResponse(decodeURIComponent(environ.QUERY_STRING), [["Content-Type", "text/plain"]]);
    return [new TextEncoder().encode("the app's body\n")];
  });
  url = server.url;
});
afterAll(() => server.close());

describe("the server refuses a malformed status", () => {
  it.each(BAD_STATUSES)("startResponse throws InvalidResponseError for %s", (_why, status) => {
    expect(parseStatus(status)).toBeUndefined();
    expect(() => checkStartResponse(status, [["Content-Type", "text/plain"]])).toThrow(InvalidResponseError);
  });

  it.each(BAD_STATUSES)("answers a clean 500 on the wire for %s", async (_why, status) => {
    const connection = await RawConnection.open(url);
    try {
      await connection.send({ target: `/?${encodeURIComponent(status)}`, headers: [["Connection", "close"]] });
      const response = await connection.readResponse();
      expect(response.statusCode).toBe(500);
      expect(response.complete).toBe(true);
      expect(response.body.toString("latin1")).not.toContain("the app's body");
    } finally {
      connection.close();
    }
  });

  it.each([
    ["200 OK", 200, "OK"],
    ["599 Custom Reason", 599, "Custom Reason"],
    ["200 ", 200, ""],
    ["204 ", 204, ""],
    ["200 caf\u00e9\ttab", 200, "caf\u00e9\ttab"],
  ])("accepts %j", (status, code, reason) => {
    expect(parseStatus(status)).toEqual({ code, reason });
  });
});
