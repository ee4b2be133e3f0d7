import type { Stats } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluatePreconditions, ifRangeMatches, validatorsFor } from "../src/static/conditional.js";
import { parseRange } from "../src/static/range.js";
import { staticPathFor } from "../src/static/staticFiles.js";

describe("Range parsing (RFC 9110 14.1.2)", () => {
  it.each([
    ["bytes=0-0", 10, { kind: "satisfiable", range: { start: 0, end: 0 } }],
    ["bytes=0-", 10, { kind: "satisfiable", range: { start: 0, end: 9 } }],
    ["bytes=-20", 10, { kind: "satisfiable", range: { start: 0, end: 9 } }],
    ["bytes= 2 - 4 ", 10, { kind: "satisfiable", range: { start: 2, end: 4 } }],
    ["BYTES=1-2", 10, { kind: "satisfiable", range: { start: 1, end: 2 } }],
    ["bytes=10-", 10, { kind: "unsatisfiable" }],
    ["bytes=-0", 10, { kind: "unsatisfiable" }],
    ["bytes=0-", 0, { kind: "unsatisfiable" }],
    ["bytes=5-2", 10, { kind: "none" }],
    ["bytes=-", 10, { kind: "none" }],
    ["bytes=0-1,3-4", 10, { kind: "none" }],
    ["items=0-1", 10, { kind: "none" }],
    [undefined, 10, { kind: "none" }],
  ])("%s of %i bytes", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe("preconditions (RFC 9110 13.2.2)", () => {
  const mtime = new Date("2026-01-02T03:04:05.678Z");
  const validators = validatorsFor({ size: 500, mtimeMs: mtime.getTime(), mtime } as Stats);
  const lastModified = mtime.toUTCString();

  it("builds a strong ETag and an HTTP date", () => {
    expect(validators.etag).toMatch(/^"1f4-[0-9a-f]+"$/);
    expect(validators.lastModified).toBe("Fri, 02 Jan 2026 03:04:05 GMT");
  });

  it.each([
    [{ ifNoneMatch: validators.etag }, "GET", "not-modified"],
    [{ ifNoneMatch: `W/${validators.etag}` }, "GET", "not-modified"],
    [{ ifNoneMatch: `"a", ${validators.etag}` }, "HEAD", "not-modified"],
    [{ ifNoneMatch: validators.etag }, "PUT", "failed"],
    [{ ifNoneMatch: '"other"', ifModifiedSince: lastModified }, "GET", "proceed"],
    [{ ifModifiedSince: lastModified }, "GET", "not-modified"],
    [{ ifModifiedSince: "Fri, 02 Jan 2026 03:04:04 GMT" }, "GET", "proceed"],
    [{ ifModifiedSince: "not a date" }, "GET", "proceed"],
    [{ ifMatch: validators.etag }, "GET", "proceed"],
    [{ ifMatch: `W/${validators.etag}` }, "GET", "failed"],
    [{ ifMatch: "*" }, "GET", "proceed"],
    [{ ifUnmodifiedSince: "Thu, 01 Jan 2026 00:00:00 GMT" }, "GET", "failed"],
    [{}, "GET", "proceed"],
  ])("%j on %s -> %s", (headers, method, expected) => {
    expect(evaluatePreconditions(headers, validators, method)).toBe(expected);
  });

  it("honours If-Range only when it still matches", () => {
    expect(ifRangeMatches(undefined, validators)).toBe(true);
    expect(ifRangeMatches(validators.etag, validators)).toBe(true);
    expect(ifRangeMatches(`W/${validators.etag}`, validators)).toBe(false);
    expect(ifRangeMatches(lastModified, validators)).toBe(true);
    expect(ifRangeMatches("Thu, 01 Jan 2026 00:00:00 GMT", validators)).toBe(false);
  });
});

describe("resolving a URL path inside the static root", () => {
  it.each([
    ["/a.css", "/static/a.css", "/srv/public/a.css"],
    ["/sub/b.txt", "/static/sub/b.txt", "/srv/public/sub/b.txt"],
    ["/", "/static/", "/srv/public"],
    ["", "/static", "/srv/public"],
    ["/caf\u00c3\u00a9.txt", "/static/caf%C3%A9.txt", "/srv/public/caf\u00e9.txt"],
  ])("accepts %j", (path, raw, expected) => {
    expect(staticPathFor("/srv/public", path, raw)).toBe(expected);
  });

  it.each([
    ["/../x", "/static/../x"],
    ["/../x", "/static/%2e%2e/x"],
    ["/a/../../x", "/static/a/../../x"],
    ["/./a", "/static/./a"],
    ["/../x", "/static/..%2fx"],
    ["/..\\x", "/static/..\\x"],
    ["/..\\x", "/static/..%5Cx"],
    ["//etc/passwd", "/static//etc/passwd"],
    ["/a\u0000.txt", "/static/a%00.txt"],
    ["/C:/windows", "/static/C:/windows"],
    ["relative", "/staticrelative"],
  ])("refuses %j (raw %s)", (path, raw) => {
    expect(staticPathFor("/srv/public", path, raw)).toBeUndefined();
  });
});
