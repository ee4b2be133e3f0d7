import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import {
  HttpResponse,
  MissingManifestEntry,
  StaticFilesMiddleware,
  clearManifestCache,
  findStaticFile,
  collectStatic,
  defineSettings,
  path,
  render,
  rewriteCssUrls,
  serveStatic,
  staticFilesHandler,
  staticUrl,
  type SettingsInput,
} from "../src/index.js";
import { BASE_SETTINGS, makeApp } from "./helpers/core.js";

const root = mkdtempSync(join(tmpdir(), "tsgi-static-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, content: string | Buffer): void {
  const file = join(root, relative);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, content);
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
write("static/css/site.css", '@import "base.css";\nbody { background: url("../img/logo.png?v=1#top") } .x { background: url(data:image/png;base64,AAAA) } .y { background: url(https://cdn.example/a.png) }\n');
write("static/css/base.css", "h1 { background: url(../img/logo.png) }\n");
write("static/img/logo.png", PNG);
write("static/shared.txt", "project wins");
write("static/.hidden", "not collected");
write("static/notes.txt~", "editor backup");
write("blog/static/blog/app.js", "console.log('blog');\n");
write("blog/static/shared.txt", "app loses");
write("templates/page.html", '<link href="{{ static("css/site.css") }}">');
utimesSync(join(root, "static/shared.txt"), new Date("2020-01-01T00:00:00Z"), new Date("2020-01-01T00:00:00Z"));

function settings(extra: Partial<SettingsInput> = {}): SettingsInput {
  return {
    ...BASE_SETTINGS,
    BASE_DIR: root,
    STATIC_URL: "/static/",
    STATIC_ROOT: "collected",
    STATICFILES_DIRS: ["static"],
    INSTALLED_APPS: ["blog"],
    TEMPLATES: { DIRS: ["templates"] },
    MIDDLEWARE: [StaticFilesMiddleware],
    urlpatterns: [path("", (request) => render(request, "page.html")), path("hello/", () => new HttpResponse("hi"))],
    ...extra,
  };
}

beforeEach(() => clearManifestCache());

describe("serving static files in DEBUG", () => {
  const app = () => makeApp(settings({ DEBUG: true }));

  it("serves files from STATICFILES_DIRS and the apps' static folders with their types", async () => {
    const css = await callApp(app(), { path: "/static/css/site.css" });
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.text()).toContain("@import");
    const js = await callApp(app(), { path: "/static/blog/app.js" });
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await callApp(app(), { path: "/static/shared.txt" })).text()).toBe("project wins");
    expect((await callApp(app(), { path: "/hello/" })).text()).toBe("hi");
  });

  it("answers 404 for missing files and paths that try to leave the folders", async () => {
    for (const target of ["/static/nope.css", "/static/../templates/page.html", "/static/%2e%2e/templates/page.html", "/static/css/", "/static/..%2fcollected"]) {
      expect((await callApp(app(), { path: target })).status, target).toBe(404);
    }
    expect((await callApp(app(), { method: "POST", path: "/static/shared.txt" })).status).toBe(405);
  });

  it("sends Last-Modified and 304 for If-Modified-Since", async () => {
    const res = await callApp(app(), { path: "/static/shared.txt" });
    expect(res.headers.get("last-modified")).toBe("Wed, 01 Jan 2020 00:00:00 GMT");
    const again = await callApp(app(), { path: "/static/shared.txt", headers: { "if-modified-since": "Wed, 01 Jan 2020 00:00:00 GMT" } });
    expect(again.status).toBe(304);
  });

  it("is off without DEBUG: production files come from the web server", async () => {
    expect((await callApp(makeApp(settings()), { path: "/static/shared.txt" })).status).toBe(404);
  });
});

describe("serveStatic as a view (what the demo mounts to look the same on every server)", () => {
  const app = () =>
    makeApp(settings({ urlpatterns: [path("assets/<path:file>", (request, { file }: { file: string }) => serveStatic(request, file))], MIDDLEWARE: [] }));

  it("serves the source folders' files without DEBUG, with Last-Modified and 304", async () => {
    const css = await callApp(app(), { path: "/assets/css/site.css" });
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await callApp(app(), { path: "/assets/blog/app.js" })).status).toBe(200);
    const cached = await callApp(app(), { path: "/assets/shared.txt", headers: { "if-modified-since": "Wed, 01 Jan 2020 00:00:00 GMT" } });
    expect(cached.status).toBe(304);
  });

  it("answers 404 to paths that try to leave the folders, however they are spelled", async () => {
    for (const target of ["/assets/../templates/page.html", "/assets/%2e%2e/templates/page.html", "/assets/css/%2e%2e/%2e%2e/templates/page.html", "/assets/..%2f..%2ftemplates%2fpage.html", "/assets/%00.css", "/assets/css/"]) {
      const res = await callApp(app(), { path: target });
      expect(res.status, target).toBe(404);
      expect(res.text(), target).not.toContain("static(");
    }
  });
});

describe("the dev server's path rules (tsgi/helpers' safeJoin), each refusal", () => {
  const site = mkdtempSync(join(tmpdir(), "tsgi-static-rules-"));
  afterAll(() => rmSync(site, { recursive: true, force: true }));
  mkdirSync(join(site, "static", "css"), { recursive: true });
  writeFileSync(join(site, "static", "css", "site.css"), "body{}");
  writeFileSync(join(site, "secret.txt"), "outside the static folder");
  symlinkSync(join(site, "secret.txt"), join(site, "static", "link-out.txt"));
  symlinkSync(join(site, "static", "css", "site.css"), join(site, "static", "link-in.css"));
  const finderSettings = defineSettings({ ...BASE_SETTINGS, BASE_DIR: site, STATICFILES_DIRS: ["static"], urlpatterns: [] });
  const app = () => makeApp({ BASE_DIR: site, DEBUG: true, STATIC_URL: "/static/", STATICFILES_DIRS: ["static"], MIDDLEWARE: [StaticFilesMiddleware], urlpatterns: [] });

  it("finds files inside the folder, through a symlink that stays inside too", async () => {
    expect(await findStaticFile(finderSettings, "css/site.css")).toBe(join(site, "static", "css", "site.css"));
    expect(await findStaticFile(finderSettings, "link-in.css")).toBe(join(site, "static", "link-in.css"));
    expect((await callApp(app(), { path: "/static/css/site.css", environ: { RAW_URI: "/static/css/site.css" } })).status).toBe(200);
  });

  it.each([
    ["an encoded slash (%2f)", "/static/css/site.css", "/static/css%2fsite.css"],
    ["an encoded slash (%2F)", "/static/css/site.css", "/static/css%2Fsite.css"],
    ["an encoded backslash (%5c)", "/static/css\\site.css", "/static/css%5csite.css"],
    ["an encoded NUL (%00)", "/static/css/site.css%00", "/static/css/site.css%00"],
  ])("refuses %s in the raw target the server gives", async (_what, path, raw) => {
    const res = await callApp(app(), { path, environ: { RAW_URI: raw } });
    expect(res.status).toBe(404);
    const viaUwsgi = await callApp(app(), { path, environ: { REQUEST_URI: raw } });
    expect(viaUwsgi.status).toBe(404);
  });

  it.each([
    ["a parent segment that stays inside", "css/../css/site.css"],
    ["a parent segment that leaves", "../secret.txt"],
    ["a current-folder segment", "./css/site.css"],
    ["a backslash", "css\\site.css"],
    ["a NUL byte", "css/site.css\u0000"],
    ["an absolute path", "/etc/passwd"],
    ["an empty segment", "css//site.css"],
    ["a drive letter", "C:/Windows/win.ini"],
    ["a symlink out of the folder", "link-out.txt"],
  ])("refuses %s", async (_what, relativePath) => {
    expect(await findStaticFile(finderSettings, relativePath)).toBeUndefined();
  });

  it("serves nothing for a symlink out of the folder, over the middleware and the runserver handler", async () => {
    expect((await callApp(app(), { path: "/static/link-out.txt" })).status).toBe(404);
    const application = app();
    const handler = staticFilesHandler(application, application.settings);
    expect((await callApp(handler, { path: "/static/link-out.txt" })).status).toBe(404);
    expect((await callApp(handler, { path: "/static/css/site.css", environ: { RAW_URI: "/static/css%2fsite.css" } })).status).toBe(404);
    expect((await callApp(handler, { path: "/static/css/site.css" })).status).toBe(200);
  });
});

describe("staticFilesHandler (what runserver puts in front of the app)", () => {
  it("serves STATIC_URL in DEBUG and passes everything else to the app", async () => {
    const application = makeApp(settings({ DEBUG: true, MIDDLEWARE: [] }));
    const served = staticFilesHandler(application, application.settings);
    const css = await callApp(served, { path: "/static/css/site.css" });
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("content-length")).toBe(String(css.body.length));
    expect((await callApp(served, { path: "/static/blog/app.js" })).status).toBe(200);
    expect((await callApp(served, { path: "/hello/" })).text()).toBe("hi");
    for (const target of ["/static/missing.css", "/static/%2e%2e/templates/page.html", "/static/"]) {
      expect((await callApp(served, { path: target })).status, target).toBe(404);
    }
    expect((await callApp(served, { method: "DELETE", path: "/static/shared.txt" })).status).toBe(405);
    const cached = await callApp(served, { path: "/static/shared.txt", headers: { "if-modified-since": "Wed, 01 Jan 2020 00:00:00 GMT" } });
    expect(cached.status).toBe(304);
  });

  it("is the app itself without DEBUG", () => {
    const application = makeApp(settings({ MIDDLEWARE: [] }));
    expect(staticFilesHandler(application, application.settings)).toBe(application);
  });
});

describe("collectstatic", () => {
  it("copies every file, writes content-hashed copies and manifest.json, rewrites CSS urls", async () => {
    const result = await collectStatic(defineSettings(settings()), { clear: true });
    const out = join(root, "collected");
    expect(result.root).toBe(out);
    expect(result.copied).toBe(5);
    expect(existsSync(join(out, ".hidden"))).toBe(false);
    expect(existsSync(join(out, "notes.txt~"))).toBe(false);
    expect(readFileSync(join(out, "shared.txt"), "utf8")).toBe("project wins");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { version: string; paths: Record<string, string>; hash: string };
    expect(manifest.version).toBe("1.1");
    expect(Object.keys(manifest.paths).sort()).toEqual(["blog/app.js", "css/base.css", "css/site.css", "img/logo.png", "shared.txt"]);
    const logo = manifest.paths["img/logo.png"] as string;
    expect(logo).toMatch(/^img\/logo\.[0-9a-f]{12}\.png$/);
    expect(readFileSync(join(out, logo)).equals(PNG)).toBe(true);
    const site = readFileSync(join(out, manifest.paths["css/site.css"] as string), "utf8");
    expect(site).toContain(`url("../${logo}?v=1#top")`);
    expect(site).toContain(`@import "${(manifest.paths["css/base.css"] as string).slice(4)}"`);
    expect(site).toContain("url(data:image/png;base64,AAAA)");
    expect(site).toContain("url(https://cdn.example/a.png)");
    // The original keeps its own references, for anything that links to it unhashed.
    expect(readFileSync(join(out, "css/site.css"), "utf8")).toContain('url("../img/logo.png?v=1#top")');
  });

  it("changes a file's hashed name when its content changes, and --clear removes stale files", async () => {
    const first = await collectStatic(defineSettings(settings()), { clear: true });
    write("blog/static/blog/app.js", "console.log('blog v2');\n");
    const second = await collectStatic(defineSettings(settings()), { clear: true });
    expect(second.paths["blog/app.js"]).not.toBe(first.paths["blog/app.js"]);
    expect(existsSync(join(root, "collected", first.paths["blog/app.js"] as string))).toBe(false);
    write("blog/static/blog/app.js", "console.log('blog');\n");
  });

  it("needs STATIC_ROOT", async () => {
    await expect(collectStatic(defineSettings(settings({ STATIC_ROOT: null })))).rejects.toThrow(/STATIC_ROOT/);
  });
});

describe("static()", () => {
  it("resolves through the manifest without DEBUG and plainly with DEBUG", async () => {
    const { paths } = await collectStatic(defineSettings(settings()), { clear: true });
    clearManifestCache();
    const production = defineSettings(settings());
    expect(staticUrl(production, "css/site.css")).toBe(`/static/${paths["css/site.css"]}`);
    expect(staticUrl(production, "/img/logo.png#frag")).toBe(`/static/${paths["img/logo.png"]}#frag`);
    expect(staticUrl(defineSettings(settings({ DEBUG: true })), "css/site.css")).toBe("/static/css/site.css");
    expect(() => staticUrl(production, "css/missing.css")).toThrow(MissingManifestEntry);
    const page = await callApp(makeApp(settings()), { path: "/" });
    expect(page.text()).toBe(`<link href="/static/${paths["css/site.css"]}">`);
    // Without settings, static() uses the running application's (Django's {% static %} in code).
    const framework = await import("../src/index.js");
    const inView = makeApp(settings({ urlpatterns: [path("s/", () => new HttpResponse(framework.static("img/logo.png")))] }));
    expect((await callApp(inView, { path: "/s/" })).text()).toBe(`/static/${paths["img/logo.png"]}`);
  });

  it("links STATIC_URL + path without a manifest when STATICFILES_STORAGE is plain", () => {
    const plain = defineSettings(settings({ STATIC_ROOT: "nowhere", STATICFILES_STORAGE: "plain" }));
    expect(staticUrl(plain, "css/site.css?v=2")).toBe("/static/css/site.css?v=2");
    expect(() => defineSettings(settings({ STATICFILES_STORAGE: "hashed" as never }))).toThrow(/STATICFILES_STORAGE: expected one of "manifest", "plain"/);
  });

  it("says to run collectstatic when the manifest is missing", () => {
    expect(() => staticUrl(defineSettings(settings({ STATIC_ROOT: "nowhere" })), "a.css")).toThrow(/collectstatic/);
  });
});

describe("rewriteCssUrls", () => {
  it("leaves absolute, root-relative and unknown references alone", () => {
    const lookup = (p: string) => (p === "img/a.png" ? "img/a.123456789abc.png" : undefined);
    expect(rewriteCssUrls("a{b:url('../img/a.png')}", "css/x.css", lookup)).toBe("a{b:url('../img/a.123456789abc.png')}");
    expect(rewriteCssUrls("a{b:url(/img/a.png)}", "css/x.css", lookup)).toBe("a{b:url(/img/a.png)}");
    expect(rewriteCssUrls("a{b:url(#id)}", "css/x.css", lookup)).toBe("a{b:url(#id)}");
    expect(rewriteCssUrls("a{b:url(../img/none.png)}", "css/x.css", lookup)).toBe("a{b:url(../img/none.png)}");
  });
});
