import { expect } from "vitest";
import { headerValue, headerValues } from "../client/responseHead.js";
import { EXC_INFO_REPLACEMENT_BODY, HOP_BY_HOP_PROBE_HEADER, SPLITTING_PROBE_HEADER } from "../probes/failures.js";
import type { Check, CheckContext } from "./check.js";

async function fetchFailure(context: CheckContext, when: string) {
  const connection = await context.connect();
  await connection.send({ target: `/fail?when=${when}` });
  return { connection, response: await connection.readResponse() };
}

async function expectServerError(context: CheckContext, when: string): Promise<void> {
  const { response } = await fetchFailure(context, when);
  expect({ when, status: response.statusCode, complete: response.complete }).toEqual({ when, status: 500, complete: true });
  // The default error page must not leak the error or its stack to the client.
  expect(response.body.toString("latin1")).not.toMatch(/ProbeFailure|failing (before|after)|\n\s+at /);
}

/** App errors: a 500 while nothing is sent, a broken connection once headers are out, invalid responses refused. */
export const errorChecks: Check[] = [
  {
    id: "error-before-headers-500",
    title: "answers 500 when the app fails before any header was sent",
    async run(context) {
      for (const when of ["before-start", "async-reject", "after-start"]) await expectServerError(context, when);
    },
  },
  {
    id: "error-after-headers-closes",
    title: "closes the connection, leaving the response visibly incomplete, when the app fails after headers",
    async run(context) {
      for (const when of ["mid-body", "mid-body-length", "exc-info-after-headers"]) {
        const { connection, response } = await fetchFailure(context, when);
        expect({ when, status: response.statusCode, complete: response.complete }).toEqual({ when, status: 200, complete: false });
        expect(response.body.toString("latin1")).toBe("partial output\n");
        await connection.waitForServerClose();
      }
    },
  },
  {
    id: "exc-info-replaces-response",
    title: "lets startResponse(..., excInfo) replace status and headers while nothing is sent",
    async run(context) {
      const { response } = await fetchFailure(context, "exc-info-before-headers");
      expect(response.statusLine).toBe("HTTP/1.1 503 Service Unavailable");
      expect(headerValue(response.headers, "x-discarded")).toBeUndefined();
      expect(response.body.toString("latin1")).toBe(EXC_INFO_REPLACEMENT_BODY);
    },
  },
  {
    id: "invalid-response-500",
    title: "answers 500 to a response that breaks the spec (bad status, second startResponse, non-bytes, no startResponse)",
    async run(context) {
      for (const when of ["invalid-status", "second-start", "string-chunk", "not-iterable", "no-start"]) {
        await expectServerError(context, when);
      }
    },
  },
  {
    id: "hop-by-hop-refused",
    title: "answers 500 to an app that sends a hop-by-hop header, which never reaches the client",
    async run(context) {
      const { response } = await fetchFailure(context, "hop-by-hop");
      const [name, value] = HOP_BY_HOP_PROBE_HEADER;
      expect(response.statusCode).toBe(500);
      expect(headerValues(response.headers, name)).not.toContain(value);
    },
  },
  {
    id: "header-injection-refused",
    title: "answers 500, never a split response, to a header value containing CR LF",
    async run(context) {
      const { response } = await fetchFailure(context, "header-splitting");
      expect(response.statusCode).toBe(500);
      expect(headerValue(response.headers, "x-smuggled")).toBeUndefined();
      expect(headerValue(response.headers, SPLITTING_PROBE_HEADER[0])).toBeUndefined();
    },
  },
];
