import { afterEach, describe, expect, it } from "vitest";
import { limitWarnings, resolveLimits, InvalidLimitError } from "../src/connection/limits.js";
import { createWorkerServer } from "../src/connection/index.js";
import { closeAllServers, countingApp, rawExchange, startServer, statusOf } from "./http.helpers.js";

afterEach(closeAllServers);

/** A request line of exactly `length` bytes (CRLF excluded). */
function requestLineOf(length: number): string {
  const fixed = "GET / HTTP/1.1".length;
  return `GET /${"a".repeat(length - fixed)} HTTP/1.1`;
}

describe("request limits (Gunicorn's meaning)", () => {
  it("accepts a request line at --limit-request-line and answers 414 one byte over, then closes", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app, { limitRequestLine: 100 });
    const atLimit = await rawExchange(port, `${requestLineOf(100)}\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(statusOf(atLimit.text)).toBe(200);
    const over = await rawExchange(port, `${requestLineOf(101)}\r\nHost: a\r\n\r\n`);
    expect(statusOf(over.text)).toBe(414);
    expect(over.text).toMatch(/Connection: close/i);
    expect(over.closedByServer).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it("answers 414 by default for a request line over 4094 bytes, even one larger than the head buffer", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app);
    const over = await rawExchange(port, `${requestLineOf(4095)}\r\nHost: a\r\n\r\n`);
    expect(statusOf(over.text)).toBe(414);
    const huge = await rawExchange(port, `GET /${"a".repeat(1_000_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(statusOf(huge.text)).toBe(414);
    expect(huge.closedByServer).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it("resolves 0 and out-of-range values as Gunicorn 26 does (message.py), with a warning for each clamped one", () => {
    expect(resolveLimits({ limitRequestLine: 0 }).requestLine).toBe(Infinity);
    expect(resolveLimits({ limitRequestLine: 20_000 }).requestLine).toBe(8190);
    expect(resolveLimits({ limitRequestFields: 0 }).fields).toBe(32768);
    expect(resolveLimits({ limitRequestFields: 40_000 }).fields).toBe(32768);
    // Gunicorn's docs say "unlimited", its Message.__init__ resets 0 to DEFAULT_MAX_HEADERFIELD_SIZE.
    expect(resolveLimits({ limitRequestFieldSize: 0 }).fieldSize).toBe(8190);
    expect(resolveLimits({ limitRequestFieldSize: 20_000 }).fieldSize).toBe(20_000);
    expect(limitWarnings({})).toEqual([]);
    expect(limitWarnings({ limitRequestLine: 8190, limitRequestFields: 32768, limitRequestFieldSize: 20_000 })).toEqual([]);
    expect(limitWarnings({ limitRequestLine: 20_000 })).toEqual(["--limit-request-line 20000 is above Gunicorn's ceiling: 8190 is used"]);
    expect(limitWarnings({ limitRequestFields: 40_000 })).toEqual(["--limit-request-fields 40000 is above Gunicorn's ceiling: 32768 is used"]);
    expect(limitWarnings({ limitRequestFieldSize: 0 })).toEqual(["--limit-request-field-size 0 means the default 8190 (as in Gunicorn 26), not unlimited"]);
    expect(() => resolveLimits({ limitRequestLine: -1 })).toThrow(InvalidLimitError);
    expect(() => createWorkerServer(() => [], { limitRequestFields: 1.5 })).toThrow(/limitRequestFields must be a non-negative integer/);
  });

  it("serves a 6000-byte request line when the limit is 0", async () => {
    const { port } = await startServer(countingApp().app, { limitRequestLine: 0 });
    const { text } = await rawExchange(port, `${requestLineOf(6000)}\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(statusOf(text)).toBe(200);
  });

  it("answers 431 when there are more header fields than --limit-request-fields", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app, { limitRequestFields: 10 });
    const headers = (n: number) => Array.from({ length: n - 1 }, (_, i) => `X-H${i}: v\r\n`).join("");
    const atLimit = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${headers(9)}Connection: close\r\n\r\n`);
    expect(statusOf(atLimit.text)).toBe(200);
    const over = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${headers(11)}\r\n`);
    expect(statusOf(over.text)).toBe(431);
    expect(over.closedByServer).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it("answers 431 for the default 100 fields plus one, even when there are thousands", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app);
    const many = Array.from({ length: 5000 }, (_, i) => `X-H${i}: v\r\n`).join("");
    const over = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${many}\r\n`);
    expect(statusOf(over.text)).toBe(431);
    expect(calls).toHaveLength(0);
  });

  it("answers 431 for one header line over --limit-request-field-size, counting 'Name: value' and its CRLF (Gunicorn 26)", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app, { limitRequestFieldSize: 50 });
    const value = (size: number) => "v".repeat(size - "X-Big: ".length - "\r\n".length);
    const atLimit = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${value(50)}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(atLimit.text)).toBe(200);
    const over = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${value(51)}\r\n\r\n`);
    expect(statusOf(over.text)).toBe(431);
    const huge = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"v".repeat(2_000_000)}\r\n\r\n`);
    expect(statusOf(huge.text)).toBe(431);
    expect(calls).toHaveLength(1);
  });

  it("answers 431 for a header line over 8190 bytes with --limit-request-field-size 0 (Gunicorn 26: 0 means the default)", async () => {
    const { port } = await startServer(countingApp().app, { limitRequestFieldSize: 0 });
    const value = (size: number) => "v".repeat(size - "X-Big: ".length - "\r\n".length);
    expect(statusOf((await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${value(8190)}\r\nConnection: close\r\n\r\n`)).text)).toBe(200);
    expect(statusOf((await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${value(8191)}\r\n\r\n`)).text)).toBe(431);
  });

  it("answers 431 once an unfinished head passes 64 KiB, even when every field is within the limits", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app);
    // 90 fields of 1 KB: each within --limit-request-field-size, fewer than --limit-request-fields, the head never ended.
    const fields = Array.from({ length: 90 }, (_, i) => `X-F${i}: ${"v".repeat(1000)}\r\n`).join("");
    const { text, closedByServer } = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${fields}`);
    expect(statusOf(text)).toBe(431);
    expect(closedByServer).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it("bounds a chunked body's trailer fields by --limit-request-fields (431 one over, accepted at the limit)", async () => {
    const { port } = await startServer(countingApp().app, { limitRequestFields: 3 });
    const trailers = (count: number) => Array.from({ length: count }, (_, i) => `X-T${i}: v\r\n`).join("");
    const request = (count: number) => `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n${trailers(count)}\r\n`;
    const atLimit = await rawExchange(port, request(3));
    expect(statusOf(atLimit.text)).toBe(200);
    expect(atLimit.text).toContain('"body":"hello"');
    const over = await rawExchange(port, request(4));
    expect(statusOf(over.text)).toBe(431);
    expect(over.closedByServer).toBe(true);
    // The default (100) would have taken those 4 trailers.
    const { port: defaultPort } = await startServer(countingApp().app);
    expect(statusOf((await rawExchange(defaultPort, request(4))).text)).toBe(200);
  });

  it("bounds a trailer line by --limit-request-field-size, counted as a header line is (431 one byte over)", async () => {
    const { port } = await startServer(countingApp().app, { limitRequestFieldSize: 50 });
    const value = (size: number) => "v".repeat(size - "X-Sum: ".length - "\r\n".length);
    const request = (size: number) => `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: ${value(size)}\r\n\r\n`;
    expect(statusOf((await rawExchange(port, request(50))).text)).toBe(200);
    const over = await rawExchange(port, request(51));
    expect(statusOf(over.text)).toBe(431);
    expect(over.closedByServer).toBe(true);
  });

  it("never lets a request pipelined after a refused one reach the app", async () => {
    const { app, calls } = countingApp();
    const { port } = await startServer(app, { limitRequestLine: 100 });
    const { text, closedByServer } = await rawExchange(port, `${requestLineOf(200)}\r\nHost: a\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(statusOf(text)).toBe(414);
    expect(text).not.toContain("smuggled");
    expect(closedByServer).toBe(true);
    expect(calls).toHaveLength(0);
  });
});
