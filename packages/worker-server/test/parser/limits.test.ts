import { describe, expect, it } from "vitest";
import { parseHead, type ParserLimits } from "../../src/connection/http/parser/index.js";
import { resolveLimits } from "../../src/connection/limits.js";
import { bytes, parseByteByByte } from "./feed.js";

/** A request line of exactly `length` bytes (CRLF excluded). */
function requestLine(length: number): string {
  return `GET /${"a".repeat(length - 14)} HTTP/1.1`;
}

/** A field line of exactly `size` bytes as Gunicorn 26 counts it (CRLF included). */
function fieldLine(size: number): string {
  return `X-A: ${"v".repeat(size - 7)}\r\n`;
}

const BASE: ParserLimits = { requestLine: 100, fields: 3, fieldSize: 50 };

function status(text: string, limits: ParserLimits): number | "head" | "incomplete" {
  const result = parseHead(bytes(text), limits);
  return result.kind === "reject" ? result.rejection.code : result.kind;
}

describe("--limit-request-line: the request line without its CRLF, as Gunicorn 26 counts it (read_line: idx > limit)", () => {
  it("accepts a line of exactly the limit and answers 414 for one byte more", () => {
    expect(requestLine(100)).toHaveLength(100);
    expect(status(`${requestLine(100)}\r\nHost: a\r\n\r\n`, BASE)).toBe("head");
    expect(status(`${requestLine(101)}\r\nHost: a\r\n\r\n`, BASE)).toBe(414);
  });

  it("refuses a line that cannot fit as soon as its limit+1st byte arrives, not when it ends", () => {
    const fed = parseByteByByte(bytes(`${requestLine(101)}\r\nHost: a\r\n\r\n`), BASE);
    expect(fed.result.kind === "reject" && fed.result.rejection.code).toBe(414);
    expect(fed.at).toBe(101);
    // A line of exactly the limit still waits for its LF after the CR.
    expect(status(`${requestLine(100)}\r`, BASE)).toBe("incomplete");
  });

  it("does not count leading empty lines in the request line", () => {
    expect(status(`\r\n\r\n${requestLine(100)}\r\nHost: a\r\n\r\n`, BASE)).toBe("head");
  });

  it("resolveLimits: the default is 4094; 0 is unlimited; values above 8190 are capped at 8190", () => {
    const defaults = resolveLimits({});
    expect(status(`${requestLine(4094)}\r\nHost: a\r\n\r\n`, defaults)).toBe("head");
    expect(status(`${requestLine(4095)}\r\nHost: a\r\n\r\n`, defaults)).toBe(414);
    const unlimited = resolveLimits({ limitRequestLine: 0 });
    expect(status(`${requestLine(100_000)}\r\nHost: a\r\n\r\n`, unlimited)).toBe("head");
    const capped = resolveLimits({ limitRequestLine: 10_000 });
    expect(status(`${requestLine(8190)}\r\nHost: a\r\n\r\n`, capped)).toBe("head");
    expect(status(`${requestLine(8191)}\r\nHost: a\r\n\r\n`, capped)).toBe(414);
  });
});

describe("--limit-request-fields: the number of field lines (Gunicorn 26: len(headers) >= limit refuses the next)", () => {
  const head = (count: number) => `GET / HTTP/1.1\r\nHost: a\r\n${"X-A: b\r\n".repeat(count - 1)}\r\n`;

  it("accepts exactly the limit and answers 431 for one field more, at the first byte of that field", () => {
    expect(status(head(3), BASE)).toBe("head");
    expect(status(head(4), BASE)).toBe(431);
    const input = bytes(head(4));
    const fed = parseByteByByte(input, BASE);
    expect(fed.result.kind === "reject" && fed.result.rejection.code).toBe(431);
    expect(fed.at).toBe("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\nX-A: b\r\n".length + 1);
  });

  it("resolveLimits: the default is 100; 0 and more than 32768 mean 32768", () => {
    expect(status(head(100), resolveLimits({}))).toBe("head");
    expect(status(head(101), resolveLimits({}))).toBe(431);
    expect(resolveLimits({ limitRequestFields: 0 }).fields).toBe(32768);
    expect(resolveLimits({ limitRequestFields: 40_000 }).fields).toBe(32768);
  });
});

describe("--limit-request-field-size: one field line with its CRLF (Gunicorn 26: len(line) + 2 > limit refuses)", () => {
  const head = (size: number) => `GET / HTTP/1.1\r\nHost: a\r\n${fieldLine(size)}\r\n`;

  it("accepts a line of exactly the limit and answers 431 for one byte more", () => {
    expect(fieldLine(50)).toHaveLength(50);
    expect(status(head(50), BASE)).toBe("head");
    expect(status(head(51), BASE)).toBe(431);
  });

  it("refuses a line that cannot fit as soon as it cannot, not when it ends", () => {
    const fed = parseByteByByte(bytes(head(51)), BASE);
    expect(fed.result.kind === "reject" && fed.result.rejection.code).toBe(431);
    // 49 bytes without CRLF already make 51 with it.
    expect(fed.at).toBe("GET / HTTP/1.1\r\nHost: a\r\n".length + 49);
  });

  it("counts the line as sent: name, colon, whitespace and value (Gunicorn's invalid/010: 'Accept: */*' with a limit of 10)", () => {
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n", { ...BASE, fieldSize: 13 })).toBe("head");
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n", { ...BASE, fieldSize: 12 })).toBe(431);
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n", { ...BASE, fieldSize: 10 })).toBe(431);
  });

  it("resolveLimits: the default is 8190", () => {
    expect(status(head(8190), resolveLimits({}))).toBe("head");
    expect(status(head(8191), resolveLimits({}))).toBe(431);
  });
});

describe("the cap on an unfinished head", () => {
  it("refuses a head that outgrows headBuffer before it ends, at the first byte too many", () => {
    const limits: ParserLimits = { requestLine: 100, fields: 100, fieldSize: 100, headBuffer: 200 };
    const text = `GET / HTTP/1.1\r\nHost: a\r\n${"X-A: b\r\n".repeat(40)}\r\n`;
    const fed = parseByteByByte(bytes(text), limits);
    expect(fed.result.kind === "reject" && fed.result.rejection.code).toBe(431);
    expect(fed.at).toBe(201);
  });

  it("answers 414 for an unfinished request line past headBuffer even with the line unlimited", () => {
    const limits: ParserLimits = { requestLine: Infinity, fields: 100, fieldSize: 100, headBuffer: 1000 };
    expect(status(`GET /${"a".repeat(995)}`, limits)).toBe("incomplete");
    expect(status(`GET /${"a".repeat(996)}`, limits)).toBe(414);
  });

  it("defaults to what the limits allow (Gunicorn's max_buffer_headers), so an unlimited field size still has a ceiling", () => {
    const limits: ParserLimits = { requestLine: 100, fields: 2, fieldSize: Infinity };
    // 100 + 2 + 2 * (8190 + 2) + 4 bytes may wait; one more may not.
    const ceiling = 100 + 2 + 2 * 8192 + 4;
    const start = "GET / HTTP/1.1\r\nX-A: ";
    expect(status(start + "v".repeat(ceiling - start.length), limits)).toBe("incomplete");
    expect(status(start + "v".repeat(ceiling - start.length + 1), limits)).toBe(431);
  });
});
