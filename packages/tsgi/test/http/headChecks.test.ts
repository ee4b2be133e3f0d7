import { describe, expect, it } from "vitest";
import {
  GUNICORN_HEAD_LIMITS,
  InvalidHeadLimitError,
  checkRequestHead,
  headRejectionBytes,
  resolveHeadLimits,
  type HeadLimits,
  type RequestHead,
} from "../../src/index.js";

function head(target = "/", rawHeaders: string[] = ["Host", "example.com"], method = "GET", httpVersion = "1.1"): RequestHead {
  return { method, target, httpVersion, rawHeaders };
}

function statusOf(request: RequestHead, limits?: HeadLimits): number | undefined {
  return checkRequestHead(request, limits)?.status;
}

describe("checkRequestHead: valid heads pass", () => {
  it.each([
    ["origin-form", head("/a/b?x=1")],
    ["HTTP/1.0 without Host", head("/", [], "GET", "1.0")],
    ["OPTIONS * (RFC 9112 §3.2.4)", head("*", ["Host", "h"], "OPTIONS")],
    ["absolute-form (RFC 9112 §3.2.2)", head("http://example.com:81/p?q", ["Host", "other"])],
    ["absolute-form https with userinfo", head("https://u@example.com/", ["Host", "example.com"])],
    ["empty Host (RFC 9112 §3.2)", head("/", ["Host", ""])],
    ["IPv6 Host", head("/", ["Host", "[::1]:8080"])],
    ["Host with an empty port", head("/", ["Host", "example.com:"])],
    ["chunked body", head("/", ["Host", "h", "Transfer-Encoding", "chunked"], "POST")],
    ["chunked in any case", head("/", ["Host", "h", "transfer-encoding", "Chunked"], "POST")],
    ["Content-Length", head("/", ["Host", "h", "Content-Length", "007"], "POST")],
    ["a higher HTTP/1.x minor (RFC 9110 §2.5)", head("/", ["Host", "h"], "GET", "1.2")],
    ["an unknown method (the app's business)", head("/", ["Host", "h"], "PURGE")],
    ["underscore header names (dropped by the assembler)", head("/", ["Host", "h", "X_Forwarded_For", "1.2.3.4"])],
  ])("%s", (_, request) => {
    expect(checkRequestHead(request)).toBeUndefined();
  });
});

describe("checkRequestHead: version (RFC 9112 §2.3, RFC 9110 §15.6.6)", () => {
  it.each([["2.0"], ["3.0"], ["9.9"]])("HTTP/%s gets 505", (version) => {
    expect(statusOf(head("/", ["Host", "h"], "GET", version))).toBe(505);
  });
  it.each([["0.9"], ["1.x"], ["11"], ["1.10"], [""]])("HTTP/%s gets 400", (version) => {
    expect(statusOf(head("/", ["Host", "h"], "GET", version))).toBe(400);
  });
});

describe("checkRequestHead: request-target forms (RFC 9112 §3.2)", () => {
  it("refuses * with any method but OPTIONS (§3.2.4)", () => {
    expect(statusOf(head("*", ["Host", "h"], "GET"))).toBe(400);
  });
  it("refuses an empty target and a relative one", () => {
    expect(statusOf(head(""))).toBe(400);
    expect(statusOf(head("a/b"))).toBe(400);
  });
  it("refuses an absolute-form target that does not parse as a URL or has a bad authority (§3.2.2)", () => {
    expect(statusOf(head("http://[bad/p"))).toBe(400);
    expect(statusOf(head("http://a b/p"))).toBe(400);
    expect(statusOf(head("ht/tp://example.com/"))).toBe(400);
    // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid.
    expect(statusOf(head("http:///p"))).toBe(400);
    expect(statusOf(head("http://:80/p"))).toBe(400);
  });
  it("refuses authority-form without CONNECT (§3.2.3)", () => {
    expect(statusOf(head("example.com:443"))).toBe(400);
  });
  it("answers CONNECT with a valid authority 405 and a bad one 400 (§3.2.3)", () => {
    const connect = checkRequestHead(head("example.com:443", ["Host", "example.com:443"], "CONNECT"));
    expect(connect).toMatchObject({ status: 405, reason: "Method Not Allowed" });
    expect(statusOf(head("/", ["Host", "h"], "CONNECT"))).toBe(400);
    expect(statusOf(head("example.com", ["Host", "h"], "CONNECT"))).toBe(400);
  });
});

describe("checkRequestHead: Host (RFC 9112 §3.2)", () => {
  it("refuses two Host fields", () => {
    expect(checkRequestHead(head("/", ["Host", "a", "host", "b"]))).toMatchObject({ status: 400, message: expect.stringMatching(/more than one Host/) });
  });
  it("refuses HTTP/1.1 without Host", () => {
    expect(statusOf(head("/", []))).toBe(400);
  });
  it.each([["a b"], ["a/b"], ["a:b"], ["[::1"], ["[zz]"], ["a:80:81"], ["é"]])("refuses Host %j", (value) => {
    expect(statusOf(head("/", ["Host", value]))).toBe(400);
  });
});

describe("checkRequestHead: framing (RFC 9112 §6)", () => {
  it("refuses Transfer-Encoding on HTTP/1.0 (§6.1)", () => {
    expect(statusOf(head("/", ["Transfer-Encoding", "chunked"], "POST", "1.0"))).toBe(400);
  });
  it("refuses Content-Length with Transfer-Encoding (§6.3)", () => {
    expect(statusOf(head("/", ["Host", "h", "Content-Length", "3", "Transfer-Encoding", "chunked"], "POST"))).toBe(400);
  });
  it("refuses chunked not last, or twice (§6.3)", () => {
    expect(statusOf(head("/", ["Host", "h", "Transfer-Encoding", "chunked, gzip"], "POST"))).toBe(400);
    expect(statusOf(head("/", ["Host", "h", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked"], "POST"))).toBe(400);
  });
  it("answers 501 to a coding it does not implement (§6.1)", () => {
    expect(statusOf(head("/", ["Host", "h", "Transfer-Encoding", "gzip, chunked"], "POST"))).toBe(501);
    expect(statusOf(head("/", ["Host", "h", "Transfer-Encoding", "gzip", "Transfer-Encoding", "chunked"], "POST"))).toBe(501);
  });
  it("refuses a Transfer-Encoding without chunked (the body length would be unknown) (§6.3)", () => {
    expect(statusOf(head("/", ["Host", "h", "Transfer-Encoding", "gzip"], "POST"))).toBe(400);
  });
  it("refuses two Content-Length fields, even equal ones (§6.3)", () => {
    expect(statusOf(head("/", ["Host", "h", "Content-Length", "1", "Content-Length", "1"], "POST"))).toBe(400);
  });
  it.each([["+1"], ["-1"], ["1, 1"], [""], ["0x10"], ["1 "]])("refuses Content-Length %j (§8.6)", (value) => {
    expect(statusOf(head("/", ["Host", "h", "Content-Length", value], "POST"))).toBe(400);
  });
  it("refuses two Content-Type fields (RFC 9110 §5.3: not a list)", () => {
    expect(statusOf(head("/", ["Host", "h", "Content-Type", "a/b", "Content-Type", "c/d"], "POST"))).toBe(400);
  });
});

describe("checkRequestHead: underscore header names (Gunicorn's --header-map)", () => {
  it("lets them through by default (the assembler drops them) and refuses them with 400 on request", () => {
    const request = head("/", ["Host", "h", "X_Forwarded_For", "1.2.3.4"]);
    expect(checkRequestHead(request)).toBeUndefined();
    expect(checkRequestHead(request, undefined, { underscoreHeaders: "drop" })).toBeUndefined();
    expect(checkRequestHead(request, undefined, { underscoreHeaders: "refuse" })).toMatchObject({ status: 400, message: expect.stringMatching(/X_Forwarded_For/) });
  });
});

describe("checkRequestHead: Gunicorn's limits", () => {
  const limits: HeadLimits = { requestLine: 20, fields: 3, fieldSize: 20 };
  it("counts the request line without its CRLF: 20 bytes pass, 21 get 414", () => {
    // "GET /1234 HTTP/1.1" is 18 bytes
    expect(statusOf(head("/123456", ["Host", "h"]), limits)).toBeUndefined(); // 20
    expect(statusOf(head("/1234567", ["Host", "h"]), limits)).toBe(414); // 21
  });
  it("counts fields: 3 pass, 4 get 431", () => {
    expect(statusOf(head("/", ["Host", "h", "A", "1", "B", "2"]), limits)).toBeUndefined();
    expect(statusOf(head("/", ["Host", "h", "A", "1", "B", "2", "C", "3"]), limits)).toBe(431);
  });
  it('counts a field as "name: value" plus CRLF: 20 bytes pass, 21 get 431', () => {
    expect(statusOf(head("/", ["Host", "h", "X-Long", "1234567890"]), limits)).toBeUndefined(); // 6 + 2 + 10 + 2
    expect(statusOf(head("/", ["Host", "h", "X-Long", "12345678901"]), limits)).toBe(431);
  });
  it("checks no limits when given none", () => {
    expect(statusOf(head("/" + "a".repeat(100_000), ["Host", "h", "X", "b".repeat(100_000)]))).toBeUndefined();
  });
  it("resolves limits as Gunicorn 26 does", () => {
    expect(resolveHeadLimits()).toEqual(GUNICORN_HEAD_LIMITS);
    expect(resolveHeadLimits({ limitRequestLine: 0, limitRequestFields: 0, limitRequestFieldSize: 0 })).toEqual({
      requestLine: Infinity,
      fields: 32768,
      fieldSize: 8190,
    });
    expect(resolveHeadLimits({ limitRequestLine: 100_000, limitRequestFields: 100_000 })).toMatchObject({ requestLine: 8190, fields: 32768 });
    expect(() => resolveHeadLimits({ limitRequestLine: -1 })).toThrow(InvalidHeadLimitError);
    expect(() => resolveHeadLimits({ limitRequestFields: 1.5 })).toThrow(/non-negative integer/);
  });
});

describe("headRejectionBytes", () => {
  it("is a complete HTTP/1.1 response with Connection: close and a matching Content-Length", () => {
    const rejection = checkRequestHead(head("/", ["Host", "h"], "GET", "2.0"));
    expect(rejection).toBeDefined();
    const text = headRejectionBytes(rejection!).toString("latin1");
    const [headPart, body] = text.split("\r\n\r\n") as [string, string];
    expect(headPart.split("\r\n")[0]).toBe("HTTP/1.1 505 HTTP Version Not Supported");
    expect(headPart).toMatch(/\r\nConnection: close\r\n/);
    expect(headPart).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(body).toMatch(/^505 HTTP Version Not Supported: /);
  });
});
