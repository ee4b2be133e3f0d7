import { describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import {
  BadRequest,
  DisallowedHost,
  Http404,
  HttpResponse,
  HttpResponseBase,
  MiddlewareNotUsed,
  PermissionDenied,
  RequestDataTooBig,
  SuspiciousOperation,
  TooManyFieldsSent,
  defineMiddleware,
  getTsgiApplication,
  path,
  type MiddlewareFactory,
  type RenderableResponse,
  type ViewFunction as View,
} from "../src/index.js";
import { BASE_SETTINGS, makeApp } from "./helpers/core.js";

/** A middleware that records its request and response phases and the status it saw. */
function recorder(name: string, log: string[]): MiddlewareFactory {
  const factory: MiddlewareFactory = (getResponse) => async (request) => {
    log.push(`${name}:request`);
    const response = await getResponse(request);
    log.push(`${name}:response:${response.statusCode}`);
    response.headers.set(`X-Seen-By-${name}`, String(response.statusCode));
    return response;
  };
  Object.defineProperty(factory, "name", { value: name });
  return factory;
}

const ok: View = () => new HttpResponse("ok");

describe("middleware order", () => {
  it("runs the onion top-down on the way in and bottom-up on the way out, loaded once", async () => {
    const log: string[] = [];
    let loads = 0;
    const counted: MiddlewareFactory = (getResponse) => {
      loads++;
      return (request) => getResponse(request);
    };
    const app = makeApp({ MIDDLEWARE: [recorder("a", log), recorder("b", log), counted], urlpatterns: [path("", ok)] });
    await callApp(app);
    await callApp(app);
    expect(log.slice(0, 4)).toEqual(["a:request", "b:request", "b:response:200", "a:response:200"]);
    expect(loads).toBe(1);
  });

  it("a middleware can answer without calling the rest of the chain", async () => {
    const log: string[] = [];
    const gate: MiddlewareFactory = () => () => new HttpResponse("closed", { status: 503 });
    const app = makeApp({ MIDDLEWARE: [recorder("outer", log), gate, recorder("inner", log)], urlpatterns: [path("", ok)] });
    const res = await callApp(app);
    expect(res.status).toBe(503);
    expect(log).toEqual(["outer:request", "outer:response:503"]);
  });

  it("MiddlewareNotUsed takes a middleware out at load time", async () => {
    const log: string[] = [];
    const unused: MiddlewareFactory = () => {
      throw new MiddlewareNotUsed("feature disabled");
    };
    const app = makeApp({ MIDDLEWARE: [unused, recorder("a", log)], urlpatterns: [path("", ok)] });
    expect((await callApp(app)).status).toBe(200);
    expect(log).toEqual(["a:request", "a:response:200"]);
  });

  it("a factory that does not return a function fails at start-up with its name", async () => {
    const broken = function brokenFactory() {
      return undefined;
    } as unknown as MiddlewareFactory;
    const app = makeApp({ MIDDLEWARE: [broken], urlpatterns: [path("", ok)] });
    await expect(app.ready()).rejects.toThrow(/brokenFactory returned undefined/);
  });

  it("a middleware returning nothing becomes a 500 for the layer outside it", async () => {
    const log: string[] = [];
    const silent: MiddlewareFactory = () => (() => undefined) as never;
    const res = await callApp(makeApp({ MIDDLEWARE: [recorder("outer", log), silent], urlpatterns: [path("", ok)] }));
    expect(res.status).toBe(500);
    expect(log).toEqual(["outer:request", "outer:response:500"]);
    expect(res.errors).toMatch(/didn't return an HttpResponse object. It returned undefined/);
  });

  it("defineMiddleware runs processRequest / processResponse like Django's MiddlewareMixin", async () => {
    const stamp = defineMiddleware(() => ({
      processRequest: (request) => (request.GET.has("stop") ? new HttpResponse("stopped") : undefined),
      processResponse: (_request, response) => {
        response.headers.set("X-Stamp", "1");
        return response;
      },
    }));
    const app = makeApp({ MIDDLEWARE: [stamp], urlpatterns: [path("", ok)] });
    const normal = await callApp(app);
    const stopped = await callApp(app, { path: "/?stop=1" });
    expect([normal.text(), normal.headers.get("x-stamp")]).toEqual(["ok", "1"]);
    expect([stopped.text(), stopped.headers.get("x-stamp")]).toEqual(["stopped", "1"]);
  });
});

describe("hooks", () => {
  it("processView runs top-down with the view and kwargs; the first response short-circuits", async () => {
    const log: string[] = [];
    const hook = (name: string, answer?: string): MiddlewareFactory =>
      (getResponse) =>
        Object.assign((request: Parameters<typeof getResponse>[0]) => getResponse(request), {
          processView: (_r: unknown, view: View, _args: readonly string[], kwargs: Record<string, unknown>) => {
            log.push(`${name}:${view.name}:${JSON.stringify(kwargs)}`);
            return answer === undefined ? undefined : new HttpResponse(answer);
          },
        });
    const article: View = () => new HttpResponse("view ran");
    const app = makeApp({ MIDDLEWARE: [hook("a"), hook("b", "from b"), hook("c")], urlpatterns: [path("n/<int:id>/", article)] });
    const res = await callApp(app, { path: "/n/7/" });
    expect(res.text()).toBe("from b");
    expect(log).toEqual(['a:article:{"id":7}', 'b:article:{"id":7}']);
  });

  it("processException runs bottom-up and its response replaces the error", async () => {
    const log: string[] = [];
    const hook = (name: string, handles: boolean): MiddlewareFactory =>
      (getResponse) =>
        Object.assign((request: Parameters<typeof getResponse>[0]) => getResponse(request), {
          processException: (_r: unknown, error: unknown) => {
            log.push(`${name}:${(error as Error).message}`);
            return handles ? new HttpResponse(`handled by ${name}`, { status: 418 }) : null;
          },
        });
    const failing: View = () => {
      throw new Error("view failed");
    };
    const app = makeApp({ MIDDLEWARE: [hook("top", true), hook("bottom", false)], urlpatterns: [path("", failing)] });
    const res = await callApp(app);
    expect([res.status, res.text()]).toEqual([418, "handled by top"]);
    expect(log).toEqual(["bottom:view failed", "top:view failed"]);
  });

  it("processTemplateResponse runs bottom-up on late-rendered responses, then the handler renders", async () => {
    class LateResponse extends HttpResponse implements RenderableResponse {
      isRendered = false;
      context: string[] = [];
      render(): HttpResponseBase {
        this.content = `rendered with ${this.context.join(",")}`;
        this.isRendered = true;
        return this;
      }
    }
    const addContext = (name: string): MiddlewareFactory =>
      (getResponse) =>
        Object.assign((request: Parameters<typeof getResponse>[0]) => getResponse(request), {
          processTemplateResponse: (_r: unknown, response: RenderableResponse) => {
            (response as LateResponse).context.push(name);
            return response;
          },
        });
    const app = makeApp({ MIDDLEWARE: [addContext("top"), addContext("bottom")], urlpatterns: [path("", () => new LateResponse())] });
    expect((await callApp(app)).text()).toBe("rendered with bottom,top");
  });
});

describe("exception mapping at every layer", () => {
  const cases: Array<[string, () => unknown, number]> = [
    ["Http404", () => new Http404("no such thing"), 404],
    ["PermissionDenied", () => new PermissionDenied(), 403],
    ["BadRequest", () => new BadRequest("bad"), 400],
    ["SuspiciousOperation", () => new SuspiciousOperation("sus"), 400],
    ["DisallowedHost", () => new DisallowedHost("host"), 400],
    ["TooManyFieldsSent", () => new TooManyFieldsSent("fields"), 400],
    ["RequestDataTooBig", () => new RequestDataTooBig("big"), 413],
    ["Error", () => new Error("boom"), 500],
    ["a thrown string", () => "just a string", 500],
  ];

  for (const [name, make, status] of cases) {
    it(`${name} -> ${status} in the view, and in a middleware's request and response phases`, async () => {
      const log: string[] = [];
      const throwIn = (phase: "request" | "response"): MiddlewareFactory => (getResponse) => async (request) => {
        if (phase === "request" && request.GET.has("in-request")) throw make();
        const response = await getResponse(request);
        if (phase === "response" && request.GET.has("in-response")) throw make();
        return response;
      };
      const view: View = (request) => {
        if (request.GET.has("in-view")) throw make();
        return new HttpResponse("fine");
      };
      const app = makeApp({
        MIDDLEWARE: [recorder("outer", log), throwIn("response"), recorder("middle", log), throwIn("request"), recorder("inner", log)],
        urlpatterns: [path("", view)],
      });
      for (const where of ["in-view", "in-request", "in-response"]) {
        log.length = 0;
        const res = await callApp(app, { path: `/?${where}` });
        expect(res.status, where).toBe(status);
        // The outer layers saw a response with the mapped status, never the exception.
        expect(log.at(-1), where).toBe(`outer:response:${status}`);
        expect(res.headers.get("x-seen-by-outer")).toBe(String(status));
      }
    });
  }

  it("sends gotRequestException for 500s only, with the request and the error", async () => {
    const { gotRequestException } = await import("../src/index.js");
    const seen: string[] = [];
    const receiver = (_sender: unknown, { request, error }: { request: unknown; error: unknown }) => {
      seen.push(`${(request as { path: string }).path}:${(error as Error).message}`);
    };
    gotRequestException.connect(receiver);
    try {
      const app = makeApp({
        urlpatterns: [path("boom/", () => { throw new Error("kaput"); }), path("missing/", () => { throw new Http404(); })],
      });
      await callApp(app, { path: "/boom/" });
      await callApp(app, { path: "/missing/" });
      expect(seen).toEqual(["/boom/:kaput"]);
    } finally {
      gotRequestException.disconnect(receiver);
    }
  });
});

describe("error pages", () => {
  const patterns = [
    path("articles/<int:year>/", ok, { name: "archive" }),
    path("boom/", () => {
      throw new Error("secret-internal-detail");
    }),
  ];

  it("DEBUG 404 lists the patterns tried, in order", async () => {
    const res = await callApp(makeApp({ DEBUG: true, urlpatterns: patterns }), { path: "/nothing/" });
    expect(res.status).toBe(404);
    const html = res.text();
    expect(html).toContain("Page not found (404)");
    expect(html.indexOf("articles/&lt;int:year&gt;/ [name=&#39;archive&#39;]")).toBeGreaterThan(-1);
    expect(html.indexOf("articles/")).toBeLessThan(html.indexOf("boom/"));
    expect(html).toContain("The current path, <code>nothing/</code>, didn't match any of these.");
  });

  it("DEBUG 500 shows the error, stack, request and settings with secrets masked", async () => {
    const app = makeApp({ DEBUG: true, urlpatterns: patterns, CUSTOM_SETTINGS: ["STRIPE_API_KEY", "DATABASE_PASSWORD"], STRIPE_API_KEY: "sk_live_abc", DATABASE_PASSWORD: "hunter2" } as never);
    const res = await callApp(app, { path: "/boom/?q=1", headers: { cookie: "sessionid=abc123; theme=dark" } });
    expect(res.status).toBe(500);
    const html = res.text();
    expect(html).toContain("secret-internal-detail");
    expect(html).toContain("handler.test.ts");
    expect(html).toContain("REQUEST_METHOD");
    expect(html).toContain("ALLOWED_HOSTS");
    for (const secret of [BASE_SETTINGS.SECRET_KEY, "sk_live_abc", "hunter2", "abc123"]) expect(html).not.toContain(secret);
    expect(html).toContain("********************");
  });

  it("without DEBUG: plain pages, nothing internal leaks, details go to tsgi.errors", async () => {
    const app = makeApp({ urlpatterns: patterns });
    const res = await callApp(app, { path: "/boom/" });
    expect(res.status).toBe(500);
    expect(res.text()).toContain("Server Error (500)");
    expect(res.text()).not.toMatch(/secret-internal-detail|at |\.ts/);
    expect(res.errors).toContain("secret-internal-detail");
    const missing = await callApp(app, { path: "/nothing/" });
    expect(missing.status).toBe(404);
    expect(missing.text()).not.toContain("articles/");
  });

  it("uses handler404 / handler500 / handler403 / handler400 views from the settings", async () => {
    const app = makeApp({
      urlpatterns: [
        ...patterns,
        path("denied/", () => { throw new PermissionDenied("nope"); }),
        path("bad/", () => { throw new BadRequest("nope"); }),
      ],
      handler404: (request, error) => new HttpResponse(`my 404 ${request.path} ${(error as Error).message}`, { status: 404 }),
      handler500: () => new HttpResponse("my 500", { status: 500 }),
      handler403: () => new HttpResponse("my 403", { status: 403 }),
      handler400: () => new HttpResponse("my 400", { status: 400 }),
    });
    expect((await callApp(app, { path: "/x/" })).text()).toMatch(/^my 404 \/x\/ No URL pattern matches/);
    expect((await callApp(app, { path: "/boom/" })).text()).toBe("my 500");
    expect((await callApp(app, { path: "/denied/" })).text()).toBe("my 403");
    expect((await callApp(app, { path: "/bad/" })).text()).toBe("my 400");
  });

  it("a failing handler500 still gives a plain 500, and a failing handler404 a 500", async () => {
    const app = makeApp({
      urlpatterns: patterns,
      handler500: () => { throw new Error("500 view broke"); },
      handler404: () => { throw new Error("404 view broke"); },
    });
    const res = await callApp(app, { path: "/boom/" });
    expect([res.status, res.text()]).toEqual([500, "<h1>Server Error (500)</h1>"]);
    expect((await callApp(app, { path: "/none/" })).status).toBe(500);
  });

  it("DEBUG 500 shows a template error's name, line and source excerpt", async () => {
    const templateError = Object.assign(new Error("unknown filter 'shout'"), {
      templateDebug: { name: "blog/post.html", line: 3, message: "unknown filter 'shout'", source: "<h1>\n{{ title }}\n{{ body | shout }}\n</h1>" },
    });
    const app = makeApp({ DEBUG: true, urlpatterns: [path("", () => { throw new Error("render failed", { cause: templateError }); })] });
    const html = (await callApp(app, { headers: { accept: "text/html" } })).text();
    expect(html).toContain("In template blog/post.html, error at line 3");
    expect(html).toContain('<span class="line current"><span class="number">3</span>{{ body | shout }}</span>');
    expect(html).toContain("<h3>Caused by: Error: unknown filter &#39;shout&#39;</h3>");
    const text = (await callApp(app)).text();
    expect(text).toContain("Error during template rendering:\n  In template blog/post.html, error at line 3\n");
    expect(text).toContain("  > 3 | {{ body | shout }}");
  });

  it("the default 400 page explains framework-detected problems but not a view's own BadRequest message", async () => {
    const app = makeApp({
      urlpatterns: [
        path("own/", () => { throw new BadRequest("internal reason 42"); }),
        path("fields/", (request) => new HttpResponse(String(request.GET.size))),
      ],
      DATA_UPLOAD_MAX_NUMBER_FIELDS: 1,
    });
    const own = await callApp(app, { path: "/own/" });
    expect([own.status, own.text().includes("internal reason 42")]).toEqual([400, false]);
    const fields = await callApp(app, { path: "/fields/?a=1&b=2" });
    expect(fields.status).toBe(400);
    expect(fields.text()).toContain("exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS (1)");
  });

  it("DEBUG shows SuspiciousOperation on the technical page with status 400", async () => {
    const app = makeApp({ DEBUG: true, urlpatterns: [path("", () => { throw new SuspiciousOperation("looks fishy"); })] });
    const res = await callApp(app);
    expect(res.status).toBe(400);
    expect(res.text()).toContain("looks fishy");
  });

  it("DEBUG_PROPAGATE_EXCEPTIONS hands the error to the server instead of rendering a page", async () => {
    const app = makeApp({ DEBUG_PROPAGATE_EXCEPTIONS: true, urlpatterns: [path("", () => { throw new Error("propagated"); })] });
    const res = await callApp(app);
    expect(res.status).toBe(500);
    expect((res.error as Error).message).toBe("propagated");
    expect(res.text()).not.toContain("Server Error (500)");
  });

  it("a view that returns nothing is a 500 naming the view", async () => {
    const forgetful = (() => undefined) as unknown as View;
    Object.defineProperty(forgetful, "name", { value: "forgetful" });
    const res = await callApp(makeApp({ urlpatterns: [path("", forgetful)] }));
    expect(res.status).toBe(500);
    expect(res.errors).toContain("The view forgetful didn't return an HttpResponse object");
  });
});

describe("request checks before the view", () => {
  it("a Host not in ALLOWED_HOSTS is a 400 for every view, naming the host in the log", async () => {
    const app = makeApp({ urlpatterns: [path("", ok)] });
    const res = await callApp(app, { headers: { host: "evil.example" } });
    expect(res.status).toBe(400);
    expect(res.errors).toContain('You may need to add "evil.example" to ALLOWED_HOSTS');
    expect((await callApp(app, { headers: { host: "localhost:8000" } })).status).toBe(200);
  });

  it("a path or query that is not valid UTF-8 is a 400, before any middleware", async () => {
    const log: string[] = [];
    const app = makeApp({ MIDDLEWARE: [recorder("a", log)], urlpatterns: [path("<str:name>/", ok)] });
    const invalid = await callApp(app, { path: "/caf%E9/" });
    expect(invalid.status).toBe(400);
    expect(invalid.text()).toContain("The request path is not valid UTF-8.");
    expect((await callApp(app, { path: "/caf%C3%A9/?q=%FF" })).status).toBe(400);
    expect((await callApp(app, { path: "/caf%C3%A9/?q=%C3%A9" })).status).toBe(200);
    expect(log).toEqual(["a:request", "a:response:200"]);
  });

  it("an app with a broken start-up answers 500 on every request", async () => {
    const app = getTsgiApplication({ ...BASE_SETTINGS, ROOT_URLCONF: "/nonexistent/urls.js" });
    expect((await callApp(app)).status).toBe(500);
  });
});
