/** The wrk summary parser the zero-drop tests count with, on wrk 4.1's real output. */
import { describe, expect, it } from "vitest";
import { parseWrkOutput } from "./fixtures/wrk.js";

const WITH_ERRORS = `Running 2m test @ http://127.0.0.1:44081/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.95ms   22.14ms 243.96ms   92.16%
    Req/Sec     7.06k     5.88k   25.91k    78.20%
  94381 requests in 6.85s, 13.95MB read
  Socket errors: connect 3, read 128, write 2, timeout 1
  Non-2xx or 3xx responses: 17
Requests/sec:  13786.41
Transfer/sec:      2.04MB
`;

const CLEAN = `Running 2m test @ http://127.0.0.1:39927/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    13.88ms   27.42ms 479.99ms   91.57%
    Req/Sec     5.68k     5.43k   25.03k    85.85%
  117819 requests in 10.57s, 17.42MB read
Requests/sec:  11145.63
Transfer/sec:      1.65MB
`;

describe("parseWrkOutput", () => {
  it("reads every socket error kind and the error statuses", () => {
    expect(parseWrkOutput(WITH_ERRORS)).toEqual({ requests: 94381, connectErrors: 3, readErrors: 128, writeErrors: 2, timeoutErrors: 1, non2xx3xx: 17, socketErrors: 134 });
  });

  it("reads absent error lines as zero (wrk prints them only when non-zero)", () => {
    expect(parseWrkOutput(CLEAN)).toEqual({ requests: 117819, connectErrors: 0, readErrors: 0, writeErrors: 0, timeoutErrors: 0, non2xx3xx: 0, socketErrors: 0 });
  });

  it("refuses output that is not a wrk summary (a crashed wrk must not count as zero errors)", () => {
    expect(() => parseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused\n")).toThrow(/not a wrk summary/);
  });
});
