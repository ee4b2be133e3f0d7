import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import {
  CsrfViewMiddleware,
  TemplateDoesNotExist,
  TemplateError,
  TemplateResponse,
  TemplateSyntaxError,
  HttpResponse,
  gotRequestException,
  path,
  render,
  renderToString,
  type MiddlewareFactory,
  type RenderableResponse,
  type SettingsInput,
} from "../src/index.js";
import { BASE_SETTINGS, makeApp } from "./helpers/core.js";

const root = mkdtempSync(join(tmpdir(), "tsgi-templates-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeTemplate(dir: string, name: string, source: string): void {
  const file = join(root, dir, name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, source);
}

writeTemplate("templates", "hello.html", "<p>Hello {{ name }}</p>");
writeTemplate("templates", "form.html", '<form method="post">{{ csrf_input }}<input name="x"></form>');
writeTemplate("templates", "token.html", "{{ csrf_token }}");
writeTemplate("templates", "path.html", "{{ request.path }} {{ request.method }} {{ extra }}");
writeTemplate("templates", "override.html", "project");
writeTemplate("templates", "syntax.html", "line 1\nline 2\n{% if %}\nline 4\n");
writeTemplate("templates", "runtime.html", "line 1\nline 2\n{{ missing.call() }}\n");
writeTemplate("templates", "includes.html", "top\n{% include 'broken/inner.html' %}\n");
writeTemplate("templates", "broken/inner.html", "a\nb\n{% for %}\n");
writeTemplate("templates", "links.html", '<a href="{{ url("post", { kwargs: { slug: slug } }) }}">{{ site }}</a>');
writeTemplate("templates", "static.html", '<link href="{{ static("css/site.css") }}">');
writeTemplate("blog/templates", "override.html", "app");
writeTemplate("blog/templates", "blog/post.html", "post {{ title }}");

function settingsWith(views: Parameters<typeof path>[1] extends infer V ? Record<string, V> : never, extra: Partial<SettingsInput> = {}): SettingsInput {
  return {
    ...BASE_SETTINGS,
    BASE_DIR: root,
    TEMPLATES: { DIRS: ["templates"], APP_DIRS: true },
    INSTALLED_APPS: ["blog"],
    urlpatterns: Object.entries(views).map(([route, view]) => path(route, view)),
    ...extra,
  };
}

describe("render()", () => {
  it("escapes <script> in variables (autoescape on by default)", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "hello.html", { name: "<script>alert(1)</script>" }) }));
    const res = await callApp(app, { path: "/" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.text()).toBe("<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>");
  });

  it("gives every template the request and passes status and content type", async () => {
    const app = makeApp(
      settingsWith({ "where/": (request) => render(request, "path.html", { extra: "x" }, { status: 201, contentType: "text/plain" }) }),
    );
    const res = await callApp(app, { method: "POST", path: "/where/" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.text()).toBe("/where/ POST x");
  });

  it("looks in TEMPLATES DIRS before the apps' templates/ folders", async () => {
    const app = makeApp(
      settingsWith({
        "o/": (request) => render(request, "override.html"),
        "p/": (request) => render(request, "blog/post.html", { title: "T" }),
      }),
    );
    expect((await callApp(app, { path: "/o/" })).text()).toBe("project");
    expect((await callApp(app, { path: "/p/" })).text()).toBe("post T");
  });

  it("puts the CSRF hidden input in forms and sets the cookie it belongs to", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "form.html") }, { MIDDLEWARE: [CsrfViewMiddleware] }));
    const res = await callApp(app, { path: "/" });
    const match = /<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">/.exec(res.text());
    expect(match).not.toBeNull();
    expect(res.headers.get("set-cookie")).toMatch(/^csrftoken=[A-Za-z0-9]{32};/);
    expect(res.headers.get("vary")).toContain("Cookie");
  });

  it("computes the CSRF token lazily: a page that does not show it sets no cookie", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "hello.html", { name: "x" }) }, { MIDDLEWARE: [CsrfViewMiddleware] }));
    const res = await callApp(app, { path: "/" });
    expect(res.headers.get("set-cookie")).toBeUndefined();
  });

  it("masks the token differently on each render (BREACH)", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "token.html") }, { MIDDLEWARE: [CsrfViewMiddleware] }));
    const first = await callApp(app, { path: "/" });
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const second = await callApp(app, { path: "/", headers: { cookie } });
    expect(first.text()).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(second.text()).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(second.text()).not.toBe(first.text());
  });

  it("resolves static() through STATIC_URL in templates", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "static.html") }, { DEBUG: true, STATIC_URL: "/static/" }));
    expect((await callApp(app, { path: "/" })).text()).toBe('<link href="/static/css/site.css">');
  });
});

/** Calls the app and returns the response with the error the handler turned into it (via gotRequestException). */
async function callCapturing(app: ReturnType<typeof makeApp>, target: string): Promise<{ res: Awaited<ReturnType<typeof callApp>>; error: unknown }> {
  let error: unknown;
  const receiver = (_sender: unknown, args: { error: unknown }) => {
    error = args.error;
  };
  gotRequestException.connect(receiver);
  try {
    const res = await callApp(app, { path: target });
    return { res, error };
  } finally {
    gotRequestException.disconnect(receiver);
  }
}

describe("template context", () => {
  it("has url() for reversing named patterns and the context processors' variables", async () => {
    const app = makeApp({
      ...settingsWith({ "": (request) => render(request, "links.html", { slug: "hello-world" }) }),
      TEMPLATES: { DIRS: ["templates"], OPTIONS: { contextProcessors: [(request) => ({ site: `site for ${request.method}` })] } },
      urlpatterns: [path("", (request) => render(request, "links.html", { slug: "hello-world" })), path("posts/<slug:slug>/", () => new HttpResponse(""), { name: "post" })],
    });
    expect((await callApp(app, { path: "/" })).text()).toBe('<a href="/posts/hello-world/">site for GET</a>');
  });

  it("lets the view's variables override a context processor's", async () => {
    const app = makeApp({
      ...settingsWith({}),
      TEMPLATES: { DIRS: ["templates"], OPTIONS: { contextProcessors: [() => ({ site: "processor" })] } },
      urlpatterns: [path("", (request) => render(request, "links.html", { slug: "x", site: "view" })), path("p/<slug:slug>/", () => new HttpResponse(""), { name: "post" })],
    });
    expect((await callApp(app, { path: "/" })).text()).toBe('<a href="/p/x/">view</a>');
  });
});

describe("template errors", () => {
  it("reports a syntax error with the template name and line, and shows both on the DEBUG 500 page", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "syntax.html") }, { DEBUG: true }));
    const { res, error: caught } = await callCapturing(app, "/");
    expect(res.status).toBe(500);
    const error = caught as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.templateDebug.name).toBe("syntax.html");
    expect(error.templateDebug.line).toBe(3);
    expect(error.templateDebug.source).toContain("{% if %}");
    expect(error.message).toContain("syntax.html, line 3");
    expect(res.text()).toContain("In template syntax.html, error at line 3");
    expect(res.text()).toContain("{% if %}");
  });

  it("reports a render-time error at its 1-based line", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "runtime.html") }));
    const { res, error: caught } = await callCapturing(app, "/");
    expect(res.status).toBe(500);
    const error = caught as TemplateError;
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.templateDebug).toMatchObject({ name: "runtime.html", line: 3, during: "render" });
    expect(res.text()).not.toContain("runtime.html");
  });

  it("names the included template that failed, not the one rendered", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "includes.html") }));
    const error = (await callCapturing(app, "/")).error as TemplateError;
    expect(error.templateDebug).toMatchObject({ name: "broken/inner.html", line: 3 });
  });

  it("explains a malformed TEMPLATES setting at start-up", () => {
    const build = () => makeApp(settingsWith({ "": (request) => render(request, "hello.html") }, { DEBUG: true, TEMPLATES: { DIRS: "templates" as never } }));
    expect(build).toThrow(/TEMPLATES: DIRS: expected an array, got string "templates"/);
  });

  it("refuses an unknown TEMPLATES.OPTIONS key, so a typo is caught", () => {
    const build = () => makeApp(settingsWith({}, { TEMPLATES: { DIRS: ["templates"], OPTIONS: { autoEscape: false } as never } }));
    expect(build).toThrow(/TEMPLATES: OPTIONS: unknown key "autoEscape"/);
  });

  it("says which folders were searched for a missing template", async () => {
    const app = makeApp(settingsWith({ "": (request) => render(request, "nope.html") }));
    const error = (await callCapturing(app, "/")).error as TemplateDoesNotExist;
    expect(error).toBeInstanceOf(TemplateDoesNotExist);
    expect(error.message).toContain("nope.html");
    expect(error.message).toContain(join(root, "templates"));
    expect(error.message).toContain(join(root, "blog", "templates"));
  });
});

describe("TemplateResponse", () => {
  it("renders after processTemplateResponse hooks, which may change the context", async () => {
    const addExtra: MiddlewareFactory = (getResponse) => {
      const middleware = (request: Parameters<typeof getResponse>[0]) => getResponse(request);
      return Object.assign(middleware, {
        processTemplateResponse(_request: unknown, response: RenderableResponse) {
          (response as TemplateResponse).contextData.extra = "from-middleware";
          return response;
        },
      });
    };
    const app = makeApp(settingsWith({ "tr/": (request) => new TemplateResponse(request, "path.html", { extra: "view" }) }, { MIDDLEWARE: [addExtra] }));
    expect((await callApp(app, { path: "/tr/" })).text()).toBe("/tr/ GET from-middleware");
  });

  it("runs post-render callbacks, which may replace the response", async () => {
    const app = makeApp(
      settingsWith({
        "cb/": (request) => {
          const response = new TemplateResponse(request, "hello.html", { name: "cb" });
          response.addPostRenderCallback((rendered) => {
            rendered.headers.set("X-Rendered-Length", String(rendered.content.length));
          });
          return response;
        },
      }),
    );
    const res = await callApp(app, { path: "/cb/" });
    expect(res.text()).toBe("<p>Hello cb</p>");
    expect(res.headers.get("x-rendered-length")).toBe("15");
  });

  it("renderToString works without a request inside a running app", async () => {
    const app = makeApp(settingsWith({ "": async () => new (await import("../src/index.js")).HttpResponse(await renderToString("hello.html", { name: "<b>" })) }));
    expect((await callApp(app, { path: "/" })).text()).toBe("<p>Hello &lt;b&gt;</p>");
  });
});
