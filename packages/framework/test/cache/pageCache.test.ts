import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parseHttpDate } from "tsgi/helpers";
import {
  Client,
  FetchFromCacheMiddleware,
  HttpResponse,
  TemplateResponse,
  UpdateCacheMiddleware,
  cacheControl,
  cachePage,
  caches,
  neverCache,
  path,
  type HttpRequest,
  type HttpResponseBase,
  type SettingsInput,
} from "../../src/index.js";
import { makeApp } from "../helpers/core.js";

let serial = 0;
beforeEach(async () => {
  serial++;
  await caches.configure({ default: { BACKEND: "locmem", LOCATION: `page-${serial}` }, pages: { BACKEND: "locmem", LOCATION: `pages-${serial}` }, none: { BACKEND: "dummy" } });
});
const templates = mkdtempSync(join(tmpdir(), "page-cache-"));
writeFileSync(join(templates, "count.html"), "<p>count {{ calls }}</p>");
afterAll(async () => {
  await caches.configure(undefined);
  rmSync(templates, { recursive: true, force: true });
});

/** A view counting its calls and answering with the count. */
type View = (request: HttpRequest) => HttpResponseBase;

function counter(answer: (request: HttpRequest, calls: number) => HttpResponse = (_request, calls) => new HttpResponse(`call ${calls}`)) {
  const state = { calls: 0 };
  const view: View = (request) => answer(request, ++state.calls);
  return { state, view };
}

const client = (settings: Partial<SettingsInput>) => new Client(makeApp(settings), { raiseRequestException: false });

describe("cachePage", () => {
  it("serves a GET 200 from the cache on the next request, with max-age, Expires and Age", async () => {
    const { state, view } = counter();
    const c = client({ urlpatterns: [path("news/", cachePage(60)(view))] });
    const first = await c.get("/news/");
    expect(first.text()).toBe("call 1");
    expect(first.headers.get("cache-control")).toBe("max-age=60");
    const expires = parseHttpDate(first.headers.get("expires") ?? undefined);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 55);
    const second = await c.get("/news/");
    expect(second.text()).toBe("call 1");
    expect(second.headers.get("cache-control")).toBe("max-age=60");
    expect(Number(second.headers.get("age"))).toBeGreaterThanOrEqual(0);
    expect(state.calls).toBe(1);
    // The key is the full URL: another query string is another page.
    expect((await c.get("/news/?page=2")).text()).toBe("call 2");
    // HEAD is answered from the cached GET.
    const head = await c.head("/news/");
    expect(head.status).toBe(200);
    expect(state.calls).toBe(2);
  });

  it("does not cache POST, non-200 responses, responses setting cookies, private or no-store ones", async () => {
    const post = counter();
    const missing = counter((_request, calls) => new HttpResponse(`gone ${calls}`, { status: 404 }));
    const cookie = counter((_request, calls) => {
      const response = new HttpResponse(`cookie ${calls}`);
      response.setCookie("sessionid", `secret-${calls}`);
      return response;
    });
    const privateView = counter((_request, calls) => new HttpResponse(`private ${calls}`, { headers: { "Cache-Control": "private" } }));
    const noStore = counter((_request, calls) => new HttpResponse(`no-store ${calls}`, { headers: { "Cache-Control": "no-store" } }));
    const c = client({
      urlpatterns: [
        path("post/", cachePage(60)(post.view)),
        path("missing/", cachePage(60)(missing.view)),
        path("cookie/", cachePage(60)(cookie.view)),
        path("private/", cachePage(60)(privateView.view)),
        path("nostore/", cachePage(60)(noStore.view)),
      ],
    });
    for (let i = 0; i < 2; i++) {
      await c.post("/post/", { a: "1" });
      await c.get("/missing/");
      await c.get("/cookie/");
      await c.get("/private/");
      await c.get("/nostore/");
    }
    expect([post.state.calls, missing.state.calls, cookie.state.calls, privateView.state.calls, noStore.state.calls]).toEqual([2, 2, 2, 2, 2]);
    expect(c.cookies.get("sessionid")).toBe("secret-2");
  });

  it("keeps one copy per value of the request headers named in Vary", async () => {
    const { state, view } = counter((request, calls) => {
      const response = new HttpResponse(`${String(request.META.HTTP_ACCEPT_LANGUAGE)} ${calls}`);
      response.headers.set("Vary", "Accept-Language");
      return response;
    });
    const c = client({ urlpatterns: [path("", cachePage(60)(view))] });
    expect((await c.get("/", { headers: { "Accept-Language": "fr" } })).text()).toBe("fr 1");
    expect((await c.get("/", { headers: { "Accept-Language": "de" } })).text()).toBe("de 2");
    expect((await c.get("/", { headers: { "Accept-Language": "fr" } })).text()).toBe("fr 1");
    expect((await c.get("/", { headers: { "Accept-Language": "de" } })).text()).toBe("de 2");
    expect(state.calls).toBe(2);
  });

  it("uses the cache and key prefix given, and the page expires after its timeout", async () => {
    const { state, view } = counter();
    const c = client({ urlpatterns: [path("", cachePage(1, { cache: "pages", keyPrefix: "site1" })(view))] });
    await c.get("/");
    expect((await c.get("/")).text()).toBe("call 1");
    // The page lives in "pages": clearing "default" keeps it, clearing "pages" drops it.
    await caches.get("default").clear();
    expect((await c.get("/")).text()).toBe("call 1");
    await caches.get("pages").clear();
    expect((await c.get("/")).text()).toBe("call 2");
    // Expiry: poll (bounded) until the cached page is gone.
    let text = "call 2";
    for (let i = 0; i < 60 && text === "call 2"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = (await c.get("/")).text();
    }
    expect(text).toBe("call 3");
    expect(state.calls).toBe(3);
  });

  it("a TemplateResponse is rendered, then cached", async () => {
    let calls = 0;
    const c = client({ TEMPLATES: { DIRS: [templates] }, urlpatterns: [path("", cachePage(60)((request) => new TemplateResponse(request, "count.html", { calls: ++calls })))] });
    expect((await c.get("/")).text()).toBe("<p>count 1</p>");
    expect((await c.get("/")).text()).toBe("<p>count 1</p>");
    expect(calls).toBe(1);
  });

  it("with a dummy cache nothing is kept", async () => {
    const { state, view } = counter();
    const c = client({ urlpatterns: [path("", cachePage(60, { cache: "none" })(view))] });
    await c.get("/");
    await c.get("/");
    expect(state.calls).toBe(2);
  });
});

describe("cacheControl and neverCache", () => {
  it("cacheControl adds directives; public replaces private; the smaller max-age wins", async () => {
    const c = client({
      urlpatterns: [
        path("a/", cacheControl({ maxAge: 3600, public: true, mustRevalidate: true })(() => new HttpResponse("a"))),
        path("b/", cacheControl({ public: true, maxAge: 600 })(() => new HttpResponse("b", { headers: { "Cache-Control": "private, max-age=60" } }))),
        path("c/", cacheControl({ private: true, noCache: "Set-Cookie", sMaxage: 0 })(() => new HttpResponse("c", { headers: { "Cache-Control": "public" } }))),
      ],
    });
    expect((await c.get("/a/")).headers.get("cache-control")).toBe("max-age=3600, public, must-revalidate");
    expect((await c.get("/b/")).headers.get("cache-control")).toBe("max-age=60, public");
    expect((await c.get("/c/")).headers.get("cache-control")).toBe("private, no-cache=Set-Cookie, s-maxage=0");
  });

  it("neverCache: Expires now and max-age=0, no-cache, no-store, must-revalidate, private", async () => {
    const c = client({ urlpatterns: [path("", neverCache(() => new HttpResponse("fresh")))] });
    const response = await c.get("/");
    expect(response.headers.get("cache-control")).toBe("max-age=0, no-cache, no-store, must-revalidate, private");
    const expires = parseHttpDate(response.headers.get("expires") ?? undefined) ?? 0;
    expect(Math.abs(expires - Date.now() / 1000)).toBeLessThan(5);
  });

  it("a neverCache view under cachePage is not stored", async () => {
    const { state, view } = counter();
    const c = client({ urlpatterns: [path("", cachePage(60)(neverCache(view)))] });
    await c.get("/");
    await c.get("/");
    expect(state.calls).toBe(2);
  });
});

describe("per-site cache middleware", () => {
  const site = (extra: Partial<SettingsInput>, views: Record<string, View>) =>
    client({
      MIDDLEWARE: [UpdateCacheMiddleware, FetchFromCacheMiddleware],
      CACHE_MIDDLEWARE_SECONDS: 30,
      ...extra,
      urlpatterns: Object.entries(views).map(([route, view]) => path(route, view)),
    });

  it("caches every GET page for CACHE_MIDDLEWARE_SECONDS, honours the response's max-age, skips max-age=0", async () => {
    const plain = counter();
    const short = counter((_request, calls) => new HttpResponse(`short ${calls}`, { headers: { "Cache-Control": "max-age=5" } }));
    const zero = counter((_request, calls) => new HttpResponse(`zero ${calls}`, { headers: { "Cache-Control": "max-age=0" } }));
    const c = site({}, { "plain/": plain.view, "short/": short.view, "zero/": zero.view });
    const first = await c.get("/plain/");
    expect(first.headers.get("cache-control")).toBe("max-age=30");
    expect((await c.get("/plain/")).text()).toBe("call 1");
    expect((await c.get("/short/")).headers.get("cache-control")).toBe("max-age=5");
    expect((await c.get("/short/")).text()).toBe("short 1");
    await c.get("/zero/");
    expect((await c.get("/zero/")).text()).toBe("zero 2");
    await c.post("/plain/", {});
    expect([plain.state.calls, short.state.calls, zero.state.calls]).toEqual([2, 1, 2]);
  });

  it("CACHE_MIDDLEWARE_KEY_PREFIX separates sites sharing a cache; CACHE_MIDDLEWARE_ALIAS picks the cache", async () => {
    const one = counter((_request, calls) => new HttpResponse(`one ${calls}`));
    const two = counter((_request, calls) => new HttpResponse(`two ${calls}`));
    const siteOne = site({ CACHE_MIDDLEWARE_KEY_PREFIX: "one", CACHE_MIDDLEWARE_ALIAS: "pages" }, { "": one.view });
    const siteTwo = site({ CACHE_MIDDLEWARE_KEY_PREFIX: "two", CACHE_MIDDLEWARE_ALIAS: "pages" }, { "": two.view });
    expect((await siteOne.get("/")).text()).toBe("one 1");
    expect((await siteTwo.get("/")).text()).toBe("two 1");
    expect((await siteOne.get("/")).text()).toBe("one 1");
    expect((await siteTwo.get("/")).text()).toBe("two 1");
    // The pages went to the "pages" cache, not "default".
    await caches.get("pages").clear();
    expect((await siteOne.get("/")).text()).toBe("one 2");
    const dummy = counter();
    const noCache = site({ CACHE_MIDDLEWARE_ALIAS: "none" }, { "": dummy.view });
    await noCache.get("/");
    await noCache.get("/");
    expect(dummy.state.calls).toBe(2);
  });

  it("a 500 from the view is not cached, and the site keeps answering", async () => {
    let fail = true;
    const c = site({}, { "": () => {
      if (fail) throw new Error("boom");
      return new HttpResponse("ok");
    } });
    expect((await c.get("/")).status).toBe(500);
    fail = false;
    expect((await c.get("/")).text()).toBe("ok");
  });
});
