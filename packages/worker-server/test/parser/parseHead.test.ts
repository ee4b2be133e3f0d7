import { describe, expect, it } from "vitest";
import { parseHead } from "../../src/connection/http/parser/index.js";
import { bytes, LIMITS, parseByteByByte } from "./feed.js";
import { INVALID, VALID } from "./vectors.js";

describe("parseHead refuses ambiguous or malformed heads", () => {
  for (const vector of INVALID) {
    it(`${vector.name} -> ${vector.status} (${vector.rfc})`, () => {
      const whole = parseHead(bytes(vector.request), LIMITS);
      expect(whole.kind).toBe("reject");
      if (whole.kind !== "reject") return;
      expect(whole.rejection.code).toBe(vector.status);
      expect(whole.rejection.message.length).toBeGreaterThan(0);
      // Byte by byte: the same answer, and never later than when all bytes are there.
      const fed = parseByteByByte(bytes(vector.request));
      expect(fed.result.kind).toBe("reject");
      if (fed.result.kind === "reject") expect(fed.result.rejection.code).toBe(vector.status);
    });
  }

  it("refuses binary junk from its first byte, without waiting for a line", () => {
    // A TLS ClientHello on a plain-HTTP port: nothing to wait for.
    expect(parseByteByByte(bytes("\x16\x03\x01\x02\x00")).at).toBe(1);
  });
});

describe("parseHead parses valid heads exactly", () => {
  for (const vector of VALID) {
    it(`${vector.name} (${vector.rfc})`, () => {
      const input = bytes(vector.request);
      // None of these heads is followed by a body holding CRLF CRLF, so the head ends at the first
      // one after the request line starts (leading empty lines included in the count).
      const headBytes = vector.request.indexOf("\r\n\r\n", vector.request.search(/[^\r\n]/)) + 4;
      const whole = parseHead(input, LIMITS);
      expect(whole).toEqual({ kind: "head", head: { ...vector.head, headBytes } });
      const fed = parseByteByByte(input);
      expect(fed.result).toEqual(whole);
      // Decided exactly when the final CRLF arrives, not before.
      expect(fed.at).toBe(headBytes);
    });
  }

  it("leaves pipelined bytes for the next request", () => {
    const input = bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    const first = parseHead(input, LIMITS);
    expect(first.kind).toBe("head");
    if (first.kind !== "head") return;
    const second = parseHead(input.subarray(first.head.headBytes), LIMITS);
    expect(second.kind === "head" && second.head.target).toBe("/2");
  });

  it("says incomplete for every proper prefix of a valid head", () => {
    const input = bytes("\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n");
    for (let length = 0; length < input.length; length++) expect(parseHead(input.subarray(0, length), LIMITS).kind).toBe("incomplete");
  });

  it("keeps its results apart between calls (no shared state leaks into a result)", () => {
    const first = parseHead(bytes("GET /1 HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\r\n"), LIMITS);
    parseHead(bytes("GET /2 HTTP/1.1\r\nHost: b\r\nX-B: 2\r\nX-C: 3\r\n\r\n"), LIMITS);
    expect(first.kind === "head" && first.head.rawHeaders).toEqual(["Host", "a", "X-A", "1"]);
  });
});
