import { symlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "tsgi";
import { serve } from "../src/index.js";
import type { ServingHandle } from "../src/index.js";
import { rawRequest } from "./helpers/raw-request.js";
import { createTempProject } from "./helpers/temp-project.js";

const project = createTempProject({
  "public/index.html": "<h1>home</h1>\n",
  "public/site.css": "body { color: red; }\n",
  "public/data.bin": "0123456789",
  "public/sub/a.txt": "nested\n",
  "public/\u00e9t\u00e9.txt": "summer\n",
  "secret.txt": "TOP SECRET\n",
  "public/types/app.js": "export {};\n",
  "public/types/app.mjs": "export {};\n",
  "public/types/data.json": "{}\n",
  "public/types/logo.svg": "<svg/>\n",
  "public/types/font.woff2": "wOF2",
  "public/types/module.wasm": "\u0000asm",
  "public/types/photo.png": "png",
  "public/types/LICENSE": "no extension\n",
});
const css = "body { color: red; }\n";
const app: Application = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode(`app saw ${environ.PATH_INFO}`)];
};
let server: ServingHandle;

beforeAll(async () => {
  symlinkSync(project.path("secret.txt"), project.path("public/escape.txt"));
  symlinkSync(project.path("public/site.css"), project.path("public/alias.css"));
  symlinkSync(project.dir, project.path("public/up"), "dir"); // a folder symlink that leads out
  server = await serve(app, { port: 0, staticMounts: [{ prefix: "/static", directory: project.path("public") }] });
});
afterAll(async () => {
  await server.close();
  project.remove();
});

const get = (target: string, headers: Record<string, string> = {}, method = "GET") => rawRequest(server.url, target, { headers, method });

describe("--static files", () => {
  it("serves a file with Content-Type, Content-Length, ETag, Last-Modified and Accept-Ranges", async () => {
    const response = await get("/static/site.css");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(css);
    expect(response.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(response.headers["content-length"]).toBe(String(css.length));
    expect(response.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(new Date(String(response.headers["last-modified"])).getTime()).not.toBeNaN();
    expect(response.headers["accept-ranges"]).toBe("bytes");
  });

  it.each([
    ["app.js", "text/javascript; charset=utf-8"],
    ["app.mjs", "text/javascript; charset=utf-8"],
    ["data.json", "application/json; charset=utf-8"],
    ["logo.svg", "image/svg+xml"],
    ["font.woff2", "font/woff2"],
    ["module.wasm", "application/wasm"],
    ["photo.png", "image/png"],
    ["LICENSE", "application/octet-stream"],
  ])("serves %s as %s (JavaScript as text/javascript, RFC 9239)", async (name, type) => {
    const response = await get(`/static/types/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(type);
  });

  it("passes paths outside the prefix to the app, and does not match prefixes mid-segment", async () => {
    expect((await get("/hello")).body.toString()).toBe("app saw /hello");
    expect((await get("/staticky/site.css")).body.toString()).toBe("app saw /staticky/site.css");
  });

  it("serves index.html for the directory, a non-ASCII file name, nested files and a symlink that stays inside", async () => {
    expect((await get("/static/")).body.toString()).toBe("<h1>home</h1>\n");
    expect((await get("/static/%C3%A9t%C3%A9.txt")).body.toString()).toBe("summer\n");
    expect((await get("/static/sub/a.txt")).body.toString()).toBe("nested\n");
    expect((await get("/static/alias.css")).body.toString()).toBe(css);
  });

  it("answers HEAD with the headers and no body", async () => {
    const response = await get("/static/site.css", {}, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe(String(css.length));
    expect(response.body.length).toBe(0);
  });

  it("answers 304 to a matching If-None-Match or a later If-Modified-Since, 200 otherwise", async () => {
    const { headers } = await get("/static/site.css");
    const etag = String(headers.etag);
    const notModified = await get("/static/site.css", { "If-None-Match": `W/"nope", ${etag}` });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers["content-type"]).toBeUndefined();
    expect((await get("/static/site.css", { "If-None-Match": "*" })).status).toBe(304);
    expect((await get("/static/site.css", { "If-Modified-Since": String(headers["last-modified"]) })).status).toBe(304);
    expect((await get("/static/site.css", { "If-None-Match": '"other"' })).status).toBe(200);
    expect((await get("/static/site.css", { "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT" })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    expect((await get("/static/site.css", { "If-None-Match": '"other"', "If-Modified-Since": String(headers["last-modified"]) })).status).toBe(200);
  });

  it("answers 412 when If-Match does not match", async () => {
    expect((await get("/static/site.css", { "If-Match": '"other"' })).status).toBe(412);
  });

  it.each([
    ["bytes=0-3", "0123", "bytes 0-3/10"],
    ["bytes=5-", "56789", "bytes 5-9/10"],
    ["bytes=-3", "789", "bytes 7-9/10"],
    ["bytes=8-100", "89", "bytes 8-9/10"],
  ])("serves Range %s as 206", async (range, body, contentRange) => {
    const response = await get("/static/data.bin", { Range: range });
    expect(response.status).toBe(206);
    expect(response.body.toString()).toBe(body);
    expect(response.headers["content-range"]).toBe(contentRange);
    expect(response.headers["content-length"]).toBe(String(body.length));
  });

  it("answers 416 with Content-Range */size to an unsatisfiable range", async () => {
    const response = await get("/static/data.bin", { Range: "bytes=10-" });
    expect(response.status).toBe(416);
    expect(response.headers["content-range"]).toBe("bytes */10");
  });

  it("ignores a malformed Range and a stale If-Range: the whole file, 200", async () => {
    expect((await get("/static/data.bin", { Range: "lines=1-2" })).status).toBe(200);
    const stale = await get("/static/data.bin", { Range: "bytes=0-1", "If-Range": '"stale"' });
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toBe("0123456789");
    const { headers } = await get("/static/data.bin");
    expect((await get("/static/data.bin", { Range: "bytes=0-1", "If-Range": String(headers.etag) })).status).toBe(206);
  });

  it("answers 405 with Allow to methods other than GET and HEAD", async () => {
    const response = await get("/static/site.css", {}, "POST");
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });

  it("answers 404 to a missing file", async () => {
    expect((await get("/static/missing.css")).status).toBe(404);
  });

  it.each([
    ["dot-dot", "/static/../secret.txt"],
    ["nested dot-dot", "/static/sub/../../secret.txt"],
    ["encoded dot-dot", "/static/%2e%2e/secret.txt"],
    ["upper-case encoded dot-dot", "/static/%2E%2E/secret.txt"],
    ["encoded slash", "/static/..%2fsecret.txt"],
    ["encoded slash, upper case", "/static/sub%2F..%2F..%2Fsecret.txt"],
    ["backslash", "/static/..\\secret.txt"],
    ["encoded backslash", "/static/..%5csecret.txt"],
    ["absolute path", "/static//etc/passwd"],
    ["encoded absolute path", "/static/%2fetc%2fpasswd"],
    ["NUL byte", "/static/site.css%00.txt"],
    ["single dot segment", "/static/./site.css"],
    ["symlink out of the folder", "/static/escape.txt"],
    ["symlinked folder out of the folder", "/static/up/secret.txt"],
    ["symlinked folder, encoded", "/static/%75p/secret.txt"],
  ])("refuses directory traversal (%s) with 404", async (_name, target) => {
    const response = await get(target);
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain("TOP SECRET");
    expect(response.body.toString()).not.toContain("root:");
  });
});
