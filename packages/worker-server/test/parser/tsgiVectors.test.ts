import { REQUEST_VECTORS, type ExpectedResponse } from "tsgi/conformance";
import { describe, expect, it } from "vitest";
import { ChunkedBodyError, ChunkedDecoder, HeadReader, type ParserLimits } from "../../src/connection/http/parser/index.js";
import { resolveLimits } from "../../src/connection/limits.js";

/** What the parser makes of one connection's bytes, request by request, as a server would answer them. */
type Outcome = { kind: "served"; body: string; keepAlive: boolean } | { kind: "refused"; status: number; inBody: boolean };

function outcomes(request: string, limits: ParserLimits): Outcome[] {
  const result: Outcome[] = [];
  let rest = Buffer.from(request, "latin1");
  while (rest.length > 0) {
    // Fed one byte at a time, through the reader a connection uses.
    const reader = new HeadReader();
    let parsed = reader.read(rest.subarray(0, 1), limits);
    for (let length = 2; parsed.kind === "incomplete" && length <= rest.length; length++) parsed = reader.read(rest.subarray(0, length), limits);
    if (parsed.kind === "incomplete") break;
    if (parsed.kind === "reject") {
      result.push({ kind: "refused", status: parsed.rejection.code, inBody: false });
      break;
    }
    const head = parsed.head;
    rest = rest.subarray(head.headBytes);
    let body = "";
    if (head.body.kind === "length") {
      body = rest.subarray(0, head.body.length).toString("latin1");
      rest = rest.subarray(head.body.length);
    } else if (head.body.kind === "chunked") {
      try {
        const decoded = new ChunkedDecoder(limits).decode(rest);
        body = Buffer.concat(decoded.data).toString("latin1");
        rest = rest.subarray(decoded.consumed);
      } catch (error) {
        if (!(error instanceof ChunkedBodyError)) throw error;
        result.push({ kind: "refused", status: error.rejection.code, inBody: true });
        break;
      }
    }
    result.push({ kind: "served", body, keepAlive: head.keepAlive });
    if (!head.keepAlive) break;
  }
  return result;
}

function expected(response: ExpectedResponse): Partial<Outcome> {
  if (response.kind === "refused") return { kind: "refused", status: response.status, inBody: response.inBody === true };
  return { kind: "served", body: response.body ?? "" };
}

/**
 * tsgi's shared request-vector table (every tsgi server answers it the same way), run through the
 * worker's parser directly: each refusal with its status, each served request with its body and
 * the persistence it asks for. The environ of served requests is the assembler's, checked end to
 * end by the worker's own vector suite.
 */
describe("tsgi's request-vector table through the parser", () => {
  const limits = resolveLimits({});
  for (const vector of REQUEST_VECTORS) {
    it(`${vector.id} (${vector.rfc.slice(0, 80)})`, () => {
      const seen = outcomes(vector.request, limits);
      expect(seen).toHaveLength(vector.responses.length);
      vector.responses.forEach((response, index) => expect(seen[index]).toMatchObject(expected(response)));
      const last = seen.at(-1);
      if (vector.closeAfter && last?.kind === "served") expect(last.keepAlive).toBe(false);
    });
  }
});
