import { createHook } from "node:async_hooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callApp, type Application, type TestResponse } from "tsgi";
import {
  CommonMiddleware,
  CsrfViewMiddleware,
  Http404,
  HttpResponse,
  JsonResponse,
  MessageMiddleware,
  SecurityMiddleware,
  SessionMiddleware,
  XFrameOptionsMiddleware,
  addMessage,
  currentContext,
  defineMiddleware,
  getToken,
  path,
  reverse,
  type HttpRequest,
  type Middleware,
  type MiddlewareFactory,
} from "../src/index.js";
import type { View } from "../src/views/types.js";
import { makeApp } from "./helpers/core.js";

// The handler answers without a promise per layer when every middleware (marked acceptsSyncLayer)
// and the view answer synchronously. The same site with every middleware and view forced through
// promises (an unmarked async wrapper, async views) must answer byte for byte alike.

/** The factory as an unmarked, async middleware: the handler then gives it a promise-only getResponse. */
function asyncOnly(factory: MiddlewareFactory): MiddlewareFactory {
  const wrapped: MiddlewareFactory = (getResponse, settings) => {
    const inner = factory(getResponse, settings);
    const middleware: Middleware = async (request) => inner(request);
    if (inner.processView) middleware.processView = async (...args) => inner.processView?.(...args);
    if (inner.processException) middleware.processException = inner.processException.bind(inner);
    if (inner.processTemplateResponse) middleware.processTemplateResponse = inner.processTemplateResponse.bind(inner);
    return middleware;
  };
  Object.defineProperty(wrapped, "name", { value: factory.name });
  return wrapped;
}

/** The view made async (its answer or error after a promise). */
function asyncView(view: View): View {
  return async (request, kwargs) => view(request, kwargs);
}

const views: Array<[string, View, string]> = [
  ["json/", () => new JsonResponse({ items: [1, 2, 3], text: "é <b>" }), "json"],
  ["form/", (request) => new HttpResponse(`<input name="csrfmiddlewaretoken" value="${getToken(request)}">`), "form"],
  [
    "session/",
    async (request) => {
      await request.session.set("visits", ((await request.session.get<number>("visits")) ?? 0) + 1);
      return new HttpResponse("counted");
    },
    "session",
  ],
  [
    "message/",
    (request) => {
      addMessage(request, 25, "Saved.");
      return new HttpResponse("added");
    },
    "message",
  ],
  ["reverse/", (request) => new HttpResponse(`${reverse("json")} ${currentContext()?.request === request} ${currentContext()?.scriptPrefix}`), "reverse"],
  ["missing/", () => { throw new Http404("no such thing"); }, "missing"],
  ["broken/", () => { throw new Error("view failure"); }, "broken"],
  ["nothing/", (() => undefined) as unknown as View, "nothing"],
];

const stamp = defineMiddleware(() => ({
  processResponse(_request, response) {
    response.headers.set("X-Stamp", "1");
    return response;
  },
}));
const stack = [SecurityMiddleware, SessionMiddleware, CommonMiddleware, CsrfViewMiddleware, MessageMiddleware, XFrameOptionsMiddleware, stamp];
const settings = { SECURE_CROSS_ORIGIN_OPENER_POLICY: "same-origin" as const };

const fast = makeApp({ ...settings, MIDDLEWARE: stack, urlpatterns: views.map(([route, view, name]) => path(route, view, { name })) });
const slow = makeApp({ ...settings, MIDDLEWARE: stack.map(asyncOnly), urlpatterns: views.map(([route, view, name]) => path(route, asyncView(view), { name })) });

/** Status, headers and body; random CSRF secrets, tokens and session keys replaced by their lengths. */
function shape(res: TestResponse): string {
  const headers = [...res.headers].map(([name, value]) => `${name}: ${value}`);
  return [`${res.status} ${res.statusText}`, ...headers, res.text()].join("\n").replace(/csrftoken=[A-Za-z0-9]{32}|value="[A-Za-z0-9]{64}"|sessionid=[a-z0-9]{32}(?=;)/g, (token) => `<${token.length} chars>`);
}

const REQUESTS: Array<{ label: string; method?: string; path: string; headers?: Record<string, string>; body?: string }> = [
  { label: "JSON", path: "/json/" },
  { label: "HEAD of JSON", method: "HEAD", path: "/json/" },
  { label: "a form with a CSRF token", path: "/form/" },
  { label: "a session write", path: "/session/" },
  { label: "a message added", path: "/message/" },
  { label: "reverse() and the request context", path: "/reverse/", headers: { "x-script": "1" } },
  { label: "Http404 from the view", path: "/missing/" },
  { label: "an error in the view", path: "/broken/" },
  { label: "a view returning nothing", path: "/nothing/" },
  { label: "APPEND_SLASH redirect", path: "/json?x=1" },
  { label: "no route", path: "/nowhere/" },
  { label: "disallowed host", path: "/json/", headers: { host: "evil.example" } },
  { label: "POST refused by CSRF", method: "POST", path: "/json/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" },
];

describe("the synchronous request path", () => {
  beforeEach(() => {
    // Cookie dates and signing timestamps come from Date: frozen, so both apps see the same second.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-07T12:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const request of REQUESTS) {
    it(`answers like the promise path: ${request.label}`, async () => {
      const send = { method: request.method ?? "GET", path: request.path, headers: request.headers ?? {}, ...(request.body !== undefined && { body: Buffer.from(request.body) }) };
      const [a, b] = [await callApp(fast, send), await callApp(slow, send)];
      expect(shape(a)).toBe(shape(b));
      expect(a.errors.replace(/\n\s+at .*/g, "")).toBe(b.errors.replace(/\n\s+at .*/g, ""));
    });
  }

  it("answers like the promise path with the session cookie sent back", async () => {
    const first = await callApp(fast, { path: "/session/" });
    const cookie = (first.headers.getAll("set-cookie")[0] ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^sessionid=/);
    const [a, b] = [await callApp(fast, { path: "/session/", headers: { cookie } }), await callApp(slow, { path: "/session/", headers: { cookie } })];
    expect(shape(a)).toBe(shape(b));
  });
});

describe("the built-in middleware marked for the synchronous path", () => {
  it("keep their names (error messages and the settings checks name them)", () => {
    expect(stack.slice(0, 6).map((factory) => factory.name)).toEqual([
      "SecurityMiddleware",
      "SessionMiddleware",
      "CommonMiddleware",
      "CsrfViewMiddleware",
      "MessageMiddleware",
      "XFrameOptionsMiddleware",
    ]);
  });
});

describe("what the synchronous path saves", () => {
  it("a JSON view through the default stack creates no promise beyond a plain synchronous TSGI app's", async () => {
    const raw: Application = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return [Buffer.from("ok")];
    };
    let promises = 0;
    const hook = createHook({ init: (_id, type) => void (type === "PROMISE" && promises++) });
    const count = async (app: Application, path: string): Promise<number> => {
      await callApp(app, { path });
      const before = promises;
      const res = await callApp(app, { path });
      expect(res.status).toBe(200);
      return promises - before;
    };
    hook.enable();
    try {
      const framework = await count(fast, "/json/");
      const plain = await count(raw, "/");
      const promised = await count(slow, "/json/");
      expect(framework).toBe(plain);
      expect(promised).toBeGreaterThan(plain);
    } finally {
      hook.disable();
    }
  });
});
