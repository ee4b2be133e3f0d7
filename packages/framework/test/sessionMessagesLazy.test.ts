import { describe, expect, it } from "vitest";
import { buildTestEnviron, callApp, type TestResponse } from "tsgi";
import {
  CookieMessageStorage,
  HttpRequest,
  HttpResponse,
  Message,
  MessageMiddleware,
  SessionMiddleware,
  addMessage,
  getMessages,
  messageStorageOf,
  defineSettings,
  path,
  type SettingsInput,
} from "../src/index.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "../src/middleware/types.js";
import { responseHeaders } from "../src/handler/responseBody.js";
import { makeApp } from "./helpers/core.js";

// SessionMiddleware makes `request.session` and MessageMiddleware the message storage on first
// use. Each lazy stack must answer exactly as the same stack with a layer that makes both at
// once (what the middleware did before), for every view and incoming cookie tried.

/** Reads request.session and makes the message storage before the view, as the eager middleware did. */
const MakeEagerly: SyncLayerFactory = (next) => (request) => {
  void request.session;
  messageStorageOf(request);
  return next(request);
};
acceptsSyncLayer(MakeEagerly);

/** Records, after the view, whether the session and the storage were made. */
const made: Array<{ session: boolean; storage: boolean }> = [];
const Observe: SyncLayerFactory = (next) => (request) => {
  const response = next(request);
  const record = (): void => void made.push({ session: request.sessionIfMade !== undefined, storage: request.messageStorage !== undefined });
  if (response instanceof Promise) return response.then((value) => (record(), value));
  record();
  return response;
};
acceptsSyncLayer(Observe);

const views = [
  path("untouched/", () => new HttpResponse("plain")),
  path("read/", async (request: HttpRequest) => new HttpResponse(String(await request.session.get("n", 0)))),
  path("write/", async (request: HttpRequest) => {
    await request.session.set("n", 1);
    return new HttpResponse("written");
  }),
  path("flush/", async (request: HttpRequest) => {
    await request.session.flush();
    return new HttpResponse("flushed");
  }),
  path("add/", (request: HttpRequest) => {
    addMessage(request, 20, "hello");
    return new HttpResponse("added");
  }),
  path("show/", async (request: HttpRequest) => new HttpResponse([...(await getMessages(request))].map(String).join(","))),
  path("error/", () => new HttpResponse("boom", { status: 500 })),
];

const app = (eager: boolean, extra: Partial<SettingsInput>) =>
  makeApp({
    MIDDLEWARE: eager ? [SessionMiddleware, MessageMiddleware, MakeEagerly, Observe] : [SessionMiddleware, MessageMiddleware, Observe],
    SESSION_ENGINE: "signed_cookies",
    urlpatterns: views,
    ...extra,
  });

// Signed values carry a timestamp and new keys are random: compare what they are, not their bytes.
const normalise = (res: TestResponse): unknown => ({
  status: res.status,
  body: res.text(),
  headers: [...res.headers]
    .map(([name, value]) => `${name.toLowerCase()}: ${value.replace(/^(\w+)=[^;]+/, "$1=<value>").replace(/expires=[^;]+/i, "expires=<date>")}`)
    .sort(),
});

describe("the lazy session and message storage", () => {
  const settingsTried: Array<Partial<SettingsInput>> = [{}, { SESSION_SAVE_EVERY_REQUEST: true }, { MESSAGE_STORAGE: "session" }];

  it("answer as the eager ones for every view, incoming cookie and setting tried", async () => {
    let compared = 0;
    for (const extra of settingsTried) {
      const lazy = app(false, extra);
      const eager = app(true, extra);
      // A real session cookie and a real messages cookie, made by the app itself.
      const written = await callApp(lazy, { path: "/write/" });
      const session = /sessionid=([^;]+)/.exec(written.headers.getAll("set-cookie").join("\n"))?.[1];
      expect(session).toBeDefined();
      const added = await callApp(lazy, { path: "/add/", headers: { cookie: `sessionid=${session}` } });
      const messages = /messages=([^;]+)/.exec(added.headers.getAll("set-cookie").join("\n"))?.[1];
      const cookies = ["", `sessionid=${session}`, "sessionid=short", "sessionid=tampered-value-123", `sessionid=${session}; messages=${messages ?? "x"}`, "messages=garbage"];
      for (const view of ["untouched", "read", "write", "flush", "add", "show", "error"]) {
        for (const cookie of cookies) {
          const request = { path: `/${view}/`, headers: cookie ? { cookie } : ({} as Record<string, string>) };
          const [a, b] = [await callApp(lazy, request), await callApp(eager, request)];
          expect(normalise(a), `${view} with "${cookie}" and ${JSON.stringify(extra)}`).toEqual(normalise(b));
          compared++;
        }
      }
    }
    expect(compared).toBe(settingsTried.length * 7 * 6);
  });

  it("makes neither for a view that uses neither, without cookies", async () => {
    made.length = 0;
    const res = await callApp(app(false, {}), { path: "/untouched/" });
    expect(res.status).toBe(200);
    expect(res.headers.getAll("set-cookie")).toEqual([]);
    expect(res.headers.get("vary")).toBeUndefined();
    expect(made).toEqual([{ session: false, storage: false }]);
  });

  it("makes them when used, and the session when a cookie came in (an empty one is deleted)", async () => {
    made.length = 0;
    const lazy = app(false, {});
    await callApp(lazy, { path: "/read/" });
    await callApp(lazy, { path: "/add/" });
    const short = await callApp(lazy, { path: "/untouched/", headers: { cookie: "sessionid=short" } });
    expect(made).toEqual([
      { session: true, storage: false },
      { session: false, storage: true },
      // Not made by the view: SessionMiddleware makes it afterwards, to delete the cookie.
      { session: false, storage: false },
    ]);
    expect(short.headers.getAll("set-cookie").join("\n")).toMatch(/^sessionid=;.*Max-Age=0/);
    expect(short.headers.get("vary")).toBe("Cookie");
  });
});

describe("a response's lazy cookie map and closer list", () => {
  it("are made on first use and give the same headers", () => {
    const plain = new HttpResponse("x");
    expect(plain.hasCookies).toBe(false);
    expect(plain.hasClosers).toBe(false);
    const before = responseHeaders(plain);
    expect(plain.hasCookies).toBe(false);
    expect(plain.cookies.size).toBe(0);
    expect(responseHeaders(plain)).toEqual(before);
    plain.setCookie("a", "1", { path: "/" });
    expect(plain.hasCookies).toBe(true);
    expect(responseHeaders(plain)).toEqual([...before, ["Set-Cookie", "a=1; Path=/"]]);
    plain.cookies.delete("a");
    expect(plain.hasCookies).toBe(false);
    let closed = 0;
    plain.addCloser(() => void closed++);
    expect(plain.hasClosers).toBe(true);
    expect(plain.resourceClosers).toHaveLength(1);
    return plain.close().then(() => expect(closed).toBe(1));
  });

  it("closes a response without closers", async () => {
    const plain = new HttpResponse("x");
    await plain.close();
    expect(plain.hasClosers).toBe(false);
  });

  it("reads the charset from each content type as the regex did, cached or not", () => {
    const types = ["text/plain; charset=latin-1", "text/html; Charset=\"ISO-8859-1\"", "application/json", "text/csv;charset=utf-16", "text/plain; charset='koi8-r'"];
    for (let round = 0; round < 2; round++) {
      for (const contentType of types) {
        const expected = /;\s*charset=["']?([^"';\s]+)/i.exec(contentType)?.[1] ?? "utf-8";
        expect(new HttpResponse("", { contentType }).charset, contentType).toBe(expected);
      }
    }
    expect(new HttpResponse("é", { contentType: "text/plain; charset=latin-1" }).content).toEqual(new Uint8Array([0xe9]));
  });
});

describe("the cookie message storage's load without a cookie", () => {
  // load() skips the async read when there is no messages cookie; it must load what read() reads.
  class Exposed extends CookieMessageStorage {
    readStored(): Promise<Message[]> {
      return this.read();
    }
  }
  const settings = defineSettings({ SECRET_KEY: "lazy-messages-test", ALLOWED_HOSTS: ["*"] });

  it("loads what read() reads, with and without a cookie", async () => {
    const app = makeApp({ MIDDLEWARE: [SessionMiddleware, MessageMiddleware], SECRET_KEY: "lazy-messages-test", urlpatterns: views });
    const added = await callApp(app, { path: "/add/" });
    const cookie = added.headers.getAll("set-cookie").find((value) => value.startsWith("messages="))?.split(";")[0];
    expect(cookie).toBeDefined();
    for (const header of [undefined, "", "messages=garbage", cookie as string, `other=1; ${cookie}`]) {
      const environ = { ...buildTestEnviron({ path: "/" }), ...(header === undefined ? {} : { HTTP_COOKIE: header }) };
      const storage = new Exposed(new HttpRequest(environ, settings));
      const expected = (await new Exposed(new HttpRequest(environ, settings)).readStored()).map(String);
      expect([...(await storage.load())].map(String), String(header)).toEqual(expected);
      if (header?.includes(cookie as string)) expect(expected).toEqual(["hello"]);
    }
  });
});
