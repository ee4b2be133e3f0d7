import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInsideRoot, rawTargetOf, safeJoin } from "../../src/helpers/index.js";

const base = mkdtempSync(join(tmpdir(), "tsgi-safe-path-"));
const root = join(base, "public");
mkdirSync(join(root, "css"), { recursive: true });
writeFileSync(join(root, "css", "site.css"), "body{}");
writeFileSync(join(base, "secret.txt"), "secret");
symlinkSync(join(base, "secret.txt"), join(root, "link-out"));
symlinkSync(join(root, "css", "site.css"), join(root, "link-in"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("safeJoin", () => {
  it.each([
    ["css/site.css", "css/site.css"],
    ["/css/site.css", "css/site.css"],
    ["css/", "css"],
    ["", ""],
    ["/", ""],
    ["é/ü.txt", "é/ü.txt"],
  ])("joins %j inside the root", (path, inside) => {
    expect(safeJoin(root, path)).toBe(join(root, inside));
  });

  it.each([
    ["a parent segment", "../secret.txt", undefined],
    ["a parent segment deeper in", "/css/../../secret.txt", undefined],
    ["a current-folder segment", "/css/./site.css", undefined],
    ["a backslash", "/css\\..\\..\\secret.txt", undefined],
    ["a NUL byte", "/css/site.css\0.png", undefined],
    ["an empty segment (//absolute)", "//etc/passwd", undefined],
    ["a drive letter segment", "/C:/Windows/win.ini", undefined],
    ["an encoded slash in the raw target", "/css/site.css", "/static/css%2fsite.css"],
    ["an encoded slash, lower case", "/css/site.css", "/static/css%2Fsite.css"],
    ["an encoded backslash in the raw target", "/css/site.css", "/static/css%5csite.css"],
    ["an encoded NUL in the raw target", "/css/site.css", "/static/css/site.css%00"],
  ])("refuses %s", (_what, path, rawTarget) => {
    expect(safeJoin(root, path, rawTarget)).toBeUndefined();
  });

  it("reads encoded characters in the query as harmless", () => {
    expect(safeJoin(root, "/css/site.css", "/static/css/site.css?next=%2f")).toBe(join(root, "css/site.css"));
  });
});

describe("isInsideRoot", () => {
  it("refuses a symlink out of the root and accepts one within it", async () => {
    expect(await isInsideRoot(root, join(root, "css", "site.css"))).toBe(true);
    expect(await isInsideRoot(root, join(root, "link-in"))).toBe(true);
    expect(await isInsideRoot(root, join(root, "link-out"))).toBe(false);
    expect(await isInsideRoot(root, join(root, "missing"))).toBe(false);
  });
});

describe("rawTargetOf", () => {
  it("reads the raw target each kind of server leaves", () => {
    expect(rawTargetOf({ RAW_URI: "/a%2fb" })).toBe("/a%2fb");
    expect(rawTargetOf({ REQUEST_URI: "/c" })).toBe("/c");
    expect(rawTargetOf({ "tsgi_dev.raw_uri": "/d" })).toBe("/d");
    expect(rawTargetOf({ PATH_INFO: "/e" })).toBeUndefined();
  });
});
