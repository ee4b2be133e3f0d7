import { describe, expect, it } from "vitest";
import { ChunkedBodyError, ChunkedDecoder } from "../../src/connection/http/parser/index.js";
import { bytes, decodeInSteps } from "./feed.js";

const STEPS = [1, 2, 3, 7, 1_000_000];

/** Valid chunked bodies, each with the body it carries and the RFC rule it exercises. */
const VALID: { name: string; rfc: string; input: string; body: string; trailers?: string[] }[] = [
  { name: "two chunks and the last chunk", rfc: "RFC 9112 7.1", input: "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", body: "hello world" },
  { name: "no data at all", rfc: "RFC 9112 7.1", input: "0\r\n\r\n", body: "" },
  { name: "uppercase and lowercase hex", rfc: "RFC 9112 7.1 (HEXDIG)", input: "A\r\n0123456789\r\nb\r\n0123456789a\r\n0\r\n\r\n", body: "01234567890123456789a" },
  { name: "leading zeros", rfc: "RFC 9112 7.1", input: "0005\r\nhello\r\n000\r\n\r\n", body: "hello" },
  { name: "chunk data holding CRLF", rfc: "RFC 9112 7.1", input: "4\r\n\r\n\r\n\r\n0\r\n\r\n", body: "\r\n\r\n" },
  { name: "an extension without value", rfc: "RFC 9112 7.1.1", input: "5;ext\r\nhello\r\n0\r\n\r\n", body: "hello" },
  { name: "extension with token value", rfc: "RFC 9112 7.1.1", input: "5;a=b;c=d\r\nhello\r\n0;last\r\n\r\n", body: "hello" },
  { name: "BWS around ; and =", rfc: "RFC 9112 7.1.1 (BWS)", input: "5 ; a = b\t;\tc\r\nhello\r\n0\r\n\r\n", body: "hello" },
  { name: "quoted-string value with quoted-pairs", rfc: "RFC 9112 7.1.1, RFC 9110 5.6.4", input: "5;a=\"x \\\"y\\\\ ;=\"\r\nhello\r\n0\r\n\r\n", body: "hello" },
  { name: "quoted value followed by BWS and another extension", rfc: "RFC 9112 7.1.1", input: "5;a=\"v\" ;b\r\nhello\r\n0\r\n\r\n", body: "hello" },
  { name: "obs-text in a quoted value", rfc: "RFC 9110 5.6.4", input: "5;a=\"\xe9\"\r\nhello\r\n0\r\n\r\n", body: "hello" },
  {
    name: "trailer fields", rfc: "RFC 9112 7.1.2",
    input: "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-B: \t2 \r\n\r\n", body: "hello", trailers: ["X-Checksum", "abc", "X-B", "2"],
  },
  { name: "Content-Type in a trailer is kept apart, as Gunicorn 26 does", rfc: "RFC 9110 6.5.2", input: "0\r\nContent-Type: text/plain\r\n\r\n", body: "", trailers: ["Content-Type", "text/plain"] },
];

describe("ChunkedDecoder decodes valid chunked bodies from any split", () => {
  for (const vector of VALID) {
    it(`${vector.name} (${vector.rfc})`, () => {
      const input = bytes(`${vector.input}NEXT`);
      for (const step of STEPS) {
        const decoded = decodeInSteps(input, step);
        expect(decoded).toEqual({ body: vector.body, consumed: vector.input.length, done: true, trailers: vector.trailers ?? [] });
      }
    });
  }

  it("returns views into its input and stops at the end of the body, leaving the next request", () => {
    const decoder = new ChunkedDecoder();
    const input = bytes("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n");
    const result = decoder.decode(input);
    expect(result.done).toBe(true);
    expect(result.consumed).toBe(13);
    expect(result.data).toHaveLength(1);
    expect(result.data[0]?.buffer).toBe(input.buffer);
  });

  it("reports a body not finished yet", () => {
    const decoder = new ChunkedDecoder();
    expect(decoder.decode(bytes("5\r\nhel"))).toEqual({ data: [bytes("hel")], consumed: 6, done: false });
    expect(decoder.decode(bytes("lo\r\n0\r\n"))).toEqual({ data: [bytes("lo")], consumed: 7, done: false });
    expect(decoder.decode(bytes("\r\n"))).toEqual({ data: [], consumed: 2, done: true });
  });

  it("handles a large chunk across many inputs", () => {
    const data = "x".repeat(100_000);
    const decoded = decodeInSteps(bytes(`${(100_000).toString(16)}\r\n${data}\r\n0\r\n\r\n`), 4096);
    expect(decoded.body).toBe(data);
    expect(decoded.done).toBe(true);
  });
});

/** Invalid chunked bodies: each must throw ChunkedBodyError with this status, whatever the split. */
const INVALID: { name: string; rfc: string; input: string; status: number }[] = [
  { name: "minus sign", rfc: "RFC 9112 7.1 (chunk-size = 1*HEXDIG)", input: "-5\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "plus sign", rfc: "RFC 9112 7.1", input: "+5\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "0x prefix", rfc: "RFC 9112 7.1", input: "0x5\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "empty size", rfc: "RFC 9112 7.1", input: "\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "non-hex digit", rfc: "RFC 9112 7.1", input: "5g\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "whitespace before the size", rfc: "RFC 9112 7.1", input: " 5\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "whitespace after the size without extension", rfc: "RFC 9112 7.1.1 (BWS only before \";\")", input: "5 \r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "size overflowing a safe integer", rfc: "RFC 9112 7.1 (overflow)", input: "fffffffffffffff\r\n", status: 400 },
  { name: "too many size digits", rfc: "RFC 9112 7.1 (overflow)", input: "00000000000000005\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "bare LF after the size", rfc: "RFC 9112 2.2, 7.1", input: "5\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "bare CR after the size", rfc: "RFC 9112 2.2, 7.1", input: "5\rhello\r\n0\r\n\r\n", status: 400 },
  { name: "data longer than its size", rfc: "RFC 9112 7.1", input: "5\r\nhello!\r\n0\r\n\r\n", status: 400 },
  { name: "bare LF after data", rfc: "RFC 9112 7.1", input: "5\r\nhello\n0\r\n\r\n", status: 400 },
  { name: "CR without LF after data", rfc: "RFC 9112 7.1", input: "5\r\nhello\rX0\r\n\r\n", status: 400 },
  { name: "empty extension name", rfc: "RFC 9112 7.1.1", input: "5;\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "empty extension value", rfc: "RFC 9112 7.1.1", input: "5;a=\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "space inside an extension", rfc: "RFC 9112 7.1.1", input: "5;a b\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "space inside an extension value", rfc: "RFC 9112 7.1.1", input: "5;a=b c\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "trailing whitespace after an extension", rfc: "RFC 9112 7.1.1", input: "5;a \r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "unterminated quoted value", rfc: "RFC 9110 5.6.4", input: "5;a=\"x\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "text after a quoted value", rfc: "RFC 9112 7.1.1", input: "5;a=\"x\"y\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "control byte in a quoted value", rfc: "RFC 9110 5.6.4", input: "5;a=\"\x01\"\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "bare CR in an extension", rfc: "RFC 9112 2.2", input: "5;a\rb\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "NUL in an extension", rfc: "RFC 9112 7.1.1", input: "5;a\x00\r\nhello\r\n0\r\n\r\n", status: 400 },
  { name: "an endless extension", rfc: "RFC 9112 7.1.1 (16 KiB cap, as Node's)", input: `5;a=${"b".repeat(17_000)}\r\nhello\r\n0\r\n\r\n`, status: 400 },
  { name: "Content-Length trailer", rfc: "RFC 9110 6.5.1", input: "0\r\nContent-Length: 5\r\n\r\n", status: 400 },
  { name: "Transfer-Encoding trailer", rfc: "RFC 9110 6.5.1", input: "0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400 },
  { name: "Host trailer", rfc: "RFC 9110 6.5.1", input: "0\r\nhost: evil\r\n\r\n", status: 400 },
  { name: "Trailer trailer", rfc: "RFC 9110 6.5.1", input: "0\r\nTrailer: x\r\n\r\n", status: 400 },
  { name: "TE trailer", rfc: "RFC 9110 6.5.1", input: "0\r\nTE: trailers\r\n\r\n", status: 400 },
  { name: "Authorization trailer", rfc: "RFC 9110 6.5.1", input: "0\r\nAuthorization: Basic eA==\r\n\r\n", status: 400 },
  { name: "obs-fold in a trailer", rfc: "RFC 9112 5.2", input: "0\r\nX-A: 1\r\n 2\r\n\r\n", status: 400 },
  { name: "whitespace before a trailer colon", rfc: "RFC 9112 5.1", input: "0\r\nX-A : 1\r\n\r\n", status: 400 },
  { name: "NUL in a trailer value", rfc: "RFC 9110 5.5", input: "0\r\nX-A: 1\x002\r\n\r\n", status: 400 },
  { name: "bare LF ends a trailer line", rfc: "RFC 9112 2.2", input: "0\r\nX-A: 1\n\r\n", status: 400 },
  { name: "bare LF ends the body", rfc: "RFC 9112 2.2", input: "0\r\n\n", status: 400 },
  { name: "bare CR ends the body", rfc: "RFC 9112 2.2", input: "0\r\n\rX", status: 400 },
];

describe("ChunkedDecoder refuses bad chunked framing", () => {
  for (const vector of INVALID) {
    it(`${vector.name} -> ${vector.status} (${vector.rfc})`, () => {
      for (const step of STEPS) {
        let error: unknown;
        try {
          decodeInSteps(bytes(vector.input), step);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(ChunkedBodyError);
        expect((error as ChunkedBodyError).rejection.code).toBe(vector.status);
      }
    });
  }

  it("keeps refusing after a failure", () => {
    const decoder = new ChunkedDecoder();
    expect(() => decoder.decode(bytes("z\r\n"))).toThrow(ChunkedBodyError);
    expect(() => decoder.decode(bytes("0\r\n\r\n"))).toThrow(/answer 400 and close/);
  });

  it("limits trailer fields by count (431)", () => {
    const limits = { fields: 2, fieldSize: 100 };
    expect(decodeInSteps(bytes("0\r\nA: 1\r\nB: 2\r\n\r\n"), 1, limits).trailers).toEqual(["A", "1", "B", "2"]);
    expect(() => decodeInSteps(bytes("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), 1, limits)).toThrow(ChunkedBodyError);
    try {
      decodeInSteps(bytes("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), 5, limits);
    } catch (error) {
      expect((error as ChunkedBodyError).rejection.code).toBe(431);
    }
  });

  it("limits a trailer line by size, CRLF included as Gunicorn counts (431), as soon as it cannot fit", () => {
    const limits = { fields: 10, fieldSize: 10 };
    // "X-A: 123" is 8 bytes, 10 with its CRLF: the most a limit of 10 allows.
    expect(decodeInSteps(bytes("0\r\nX-A: 123\r\n\r\n"), 1, limits).trailers).toEqual(["X-A", "123"]);
    const decoder = new ChunkedDecoder(limits);
    expect(decoder.decode(bytes("0\r\nX-A: 123")).done).toBe(false);
    expect(decoder.decode(bytes("\r")).done).toBe(false);
    const late = new ChunkedDecoder(limits);
    late.decode(bytes("0\r\nX-A: 123"));
    expect.assertions(4);
    try {
      late.decode(bytes("4"));
    } catch (error) {
      expect((error as ChunkedBodyError).rejection.code).toBe(431);
    }
  });
});
