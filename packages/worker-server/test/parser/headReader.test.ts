import { describe, expect, it } from "vitest";
import { HeadReader, parseHead, type HeadParse, type ParserLimits } from "../../src/connection/http/parser/index.js";
import { bytes, LIMITS, parseByteByByte } from "./feed.js";
import { createRandom } from "./mutate.js";
import { INVALID, VALID } from "./vectors.js";

/** Feeds growing prefixes of `input` to one HeadReader, `sizes()` bytes more each time; the first answer that is not incomplete. */
function readInPieces(input: Buffer, limits: ParserLimits, sizes: () => number): { result: HeadParse; at: number } {
  const reader = new HeadReader();
  let length = 0;
  while (length < input.length) {
    length = Math.min(input.length, length + sizes());
    const result = reader.read(input.subarray(0, length), limits);
    if (result.kind !== "incomplete") return { result, at: length };
  }
  return { result: { kind: "incomplete" }, at: input.length };
}

const ALL = [...INVALID.map((vector) => vector.request), ...VALID.map((vector) => vector.request)];

describe("HeadReader answers as parseHead does, reading only new bytes while a line is unfinished", () => {
  it("gives parseHead's verdict on every vector, one byte at a time and in random pieces", () => {
    const random = createRandom(12);
    for (const text of ALL) {
      const input = bytes(text);
      const expected = parseHead(input, LIMITS);
      const outcome = (sizes: () => number) => readInPieces(input, LIMITS, sizes).result;
      const same = (result: HeadParse) => (result.kind === "reject" && expected.kind === "reject" ? result.rejection.code === expected.rejection.code : result.kind === expected.kind);
      expect(same(outcome(() => 1)), text).toBe(true);
      expect(same(outcome(() => 1 + Math.floor(random() * 9))), text).toBe(true);
      if (expected.kind === "head") expect(outcome(() => 1)).toEqual(expected);
    }
  });

  it("refuses a head at the same byte as parseHead when a limit is passed", () => {
    const limits: ParserLimits = { requestLine: 100, fields: 3, fieldSize: 50, headBuffer: 150 };
    const cases = [
      `GET /${"a".repeat(200)} HTTP/1.1\r\n\r\n`, // request line
      `GET / HTTP/1.1\r\nHost: a\r\nX-A: ${"v".repeat(100)}\r\n\r\n`, // field size
      "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\nX-B: c\r\nX-C: d\r\n\r\n", // field count
      `GET / HTTP/1.1\r\nHost: a\r\nX-A: ${"v".repeat(40)}\r\nX-B: ${"v".repeat(40)}\r\nX-C: ${"v".repeat(40)}\r\n\r\n`, // head buffer
      `GET /${"a".repeat(98)}\r\r\nHost: a\r\n\r\n`, // a CR at the line's last allowed byte
    ];
    for (const text of cases) {
      const input = bytes(text);
      const byParseHead = parseByteByByte(input, limits);
      const byReader = readInPieces(input, limits, () => 1);
      expect(byReader, text).toEqual(byParseHead);
      expect(byReader.result.kind).toBe("reject");
    }
  });

  it("starts afresh after a head: pipelined requests read one after the other", () => {
    const reader = new HeadReader();
    const first = bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(reader.read(first.subarray(0, 10), LIMITS).kind).toBe("incomplete");
    expect(reader.read(first, LIMITS).kind).toBe("head");
    const second = bytes("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(reader.read(second.subarray(0, 3), LIMITS).kind).toBe("incomplete");
    const result = reader.read(second, LIMITS);
    expect(result.kind === "head" && result.head.target).toBe("/2");
  });
});
