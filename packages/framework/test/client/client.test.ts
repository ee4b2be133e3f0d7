import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  Client, CsrfViewMiddleware, FileField, Form, HttpResponse, HttpResponseRedirect, JsonResponse, RedirectCycleError, RequestFactory, SessionMiddleware, TemplateResponse,
  assertContains, assertFormError, assertNotContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed, CharField, defineSettings, getTsgiApplication,
  overrideSettings, path, render,
} from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "client-"));
writeFileSync(join(dir, "page.html"), "<h1>{{ title }}</h1>{% include 'part.html' %}");
writeFileSync(join(dir, "part.html"), "<p>{{ body }}</p>");

const UploadForm = Form.define({ title: new CharField(), doc: new FileField({ maxSize: 100 }) });

const settings = defineSettings({
  SECRET_KEY: "c".repeat(50),
  ALLOWED_HOSTS: ["testserver", "other.example"],
  MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware],
  SESSION_ENGINE: "signed_cookies",
  TEMPLATES: { DIRS: [dir] },
  urlpatterns: [
    path("page/", (request) => render(request, "page.html", { title: "Title", body: request.GET.get("b") ?? "" })),
    path("late/", (request) => new TemplateResponse(request, "page.html", { title: "Late", body: "" })),
    path("count/", async (request) => {
      const visits = ((await request.session.get<number>("visits")) ?? 0) + 1;
      await request.session.set("visits", visits);
      return new HttpResponse(String(visits));
    }),
    path("echo/", async (request) => {
      if (request.contentType === "application/json") return new JsonResponse({ method: request.method, json: await request.json() });
      const { POST, FILES } = await request.load();
      return new JsonResponse({ method: request.method, post: POST.toJSON(), files: [...FILES].map(([name, file]) => [name, file.name, file.size]), query: request.GET.toJSON() });
    }),
    path("upload/", async (request) => {
      const form = await UploadForm.fromRequest(request);
      const ok = await form.isValid();
      return new JsonResponse({ ok, errors: form.errors.toJSON(), size: ok ? form.cleanedData.doc.size : null });
    }),
    path("r1/", () => new HttpResponseRedirect("/r2/")),
    path("r2/", () => new HttpResponseRedirect("/page/?b=end")),
    path("keep/", () => new HttpResponseRedirect("/echo/", { preserveRequest: true })),
    path("loop/", () => new HttpResponseRedirect("/loop/")),
    path("away/", () => new HttpResponseRedirect("https://elsewhere.example/")),
    path("boom/", () => {
      throw new Error("kaboom");
    }),
    path("other-host/", (request) => new HttpResponse(request.getHost())),
  ],
});
const app = getTsgiApplication(settings);

describe("Client", () => {
  it("records templates and merged context; assertion helpers pass and fail", async () => {
    const client = new Client(app);
    const response = await client.get("/page/", { query: { b: "<b>" } });
    expect(response.statusCode).toBe(200);
    expect(response.templates).toEqual(["page.html"]);
    expect(response.context.title).toBe("Title");
    assertContains(response, "&lt;b&gt;", { count: 1 });
    assertNotContains(response, "<b>");
    assertTemplateUsed(response, "page.html");
    assertTemplateNotUsed(response, "other.html");
    expect(() => assertContains(response, "missing")).toThrow(/Couldn't find "missing"/);
    expect(() => assertContains(response, "Title", { count: 2 })).toThrow(/Found 1 instances/);
    expect(() => assertContains(response, "Title", { status: 404 })).toThrow(/response code was 200/);
    expect(() => assertNotContains(response, "Title")).toThrow(/should not contain/);
    expect(() => assertTemplateUsed(response, "nope.html")).toThrow(/Actual template\(s\) used: page.html/);
    expect(() => assertTemplateNotUsed(response, "page.html")).toThrow(/used unexpectedly/);
    expect(() => assertRedirects(response, "/x/")).toThrow(/response code was 200/);
    const late = await client.get("/late/");
    expect(late.context.title).toBe("Late");
  });

  it("keeps cookies and the session across requests; logout forgets them", async () => {
    const client = new Client(app);
    expect((await client.get("/count/")).text()).toBe("1");
    expect((await client.get("/count/")).text()).toBe("2");
    const session = await client.session();
    expect(await session.get("visits")).toBe(2);
    await session.set("visits", 10);
    await client.saveSession(session);
    expect((await client.get("/count/")).text()).toBe("11");
    await client.logout();
    expect((await client.get("/count/")).text()).toBe("1");
  });

  it("encodes multipart (default), urlencoded, JSON, and query strings", async () => {
    const client = new Client(app);
    const multipart = await client.post("/echo/", { a: "1", many: ["x", "y"], doc: { name: "a.txt", content: "hello" } });
    expect(multipart.json()).toEqual({ method: "POST", post: { a: ["1"], many: ["x", "y"] }, files: [["doc", "a.txt", 5]], query: {} });
    const urlencoded = await client.post("/echo/?q=1", { a: "é" }, { contentType: "application/x-www-form-urlencoded" });
    expect(urlencoded.json()).toEqual({ method: "POST", post: { a: ["é"] }, files: [], query: { q: ["1"] } });
    const json = await client.put("/echo/", { nested: [1, 2] }, { contentType: "application/json" });
    expect(json.json()).toEqual({ method: "PUT", json: { nested: [1, 2] } });
    const patch = await client.patch("/echo/", '{"raw":true}', { contentType: "application/json" });
    expect(patch.json()).toEqual({ method: "PATCH", json: { raw: true } });
    expect((await client.delete("/echo/")).json()).toMatchObject({ method: "DELETE" });
    expect((await client.head("/page/")).text()).toBe("");
    expect((await client.options("/page/")).status).toBe(200);
    await expect(client.post("/echo/", { doc: { name: "a", content: "b" } }, { contentType: "application/x-www-form-urlencoded" })).rejects.toThrow(/post it as multipart/);
    await expect(client.post("/echo/", { a: 1 }, { contentType: "text/plain" })).rejects.toThrow(/cannot encode an object/);
  });

  it("uploads files into a form with size checks", async () => {
    const client = new Client(app);
    const ok = await client.post("/upload/", { title: "t", doc: { name: "a.txt", content: "x".repeat(50) } });
    expect(ok.json()).toEqual({ ok: true, errors: {}, size: 50 });
    const big = await client.post("/upload/", { title: "t", doc: { name: "a.txt", content: "x".repeat(500) } });
    expect(big.json()).toMatchObject({ ok: false, errors: { doc: [{ code: "max_size" }] } });
  });

  it("follows redirects, recording the chain; 307 keeps the method and body; loops and other sites stop", async () => {
    const client = new Client(app);
    const followed = await client.get("/r1/", { follow: true });
    expect(followed.redirectChain).toEqual([["/r2/", 302], ["/page/?b=end", 302]]);
    assertRedirects(followed, "/page/?b=end");
    assertContains(followed, "end");
    const notFollowed = await client.get("/r1/");
    assertRedirects(notFollowed, "/r2/");
    expect(() => assertRedirects(notFollowed, "/r3/")).toThrow(/redirected to "\/r2\/"/);
    const kept = await client.post("/keep/", { a: "1" }, { follow: true, contentType: "application/x-www-form-urlencoded" });
    expect(kept.json()).toMatchObject({ method: "POST", post: { a: ["1"] } });
    await expect(client.get("/loop/", { follow: true })).rejects.toBeInstanceOf(RedirectCycleError);
    const away = await client.get("/away/", { follow: true });
    expect(away.status).toBe(302);
    expect(away.url).toBe("https://elsewhere.example/");
  });

  it("raises the view's error by default, or returns the 500 page", async () => {
    await expect(new Client(app).get("/boom/")).rejects.toThrow("kaboom");
    const quiet = new Client(app, { raiseRequestException: false });
    expect((await quiet.get("/boom/")).status).toBe(500);
  });

  it("host, secure and headers options", async () => {
    expect((await new Client(app).get("/other-host/")).text()).toBe("testserver");
    expect((await new Client(app, { host: "other.example" }).get("/other-host/")).text()).toBe("other.example");
    expect((await new Client(app, { host: "bad.example" }).get("/other-host/")).status).toBe(400);
    const secure = await new Client(app, { secure: true }).get("/r1/", { follow: true });
    expect(secure.status).toBe(200);
  });

  it("session tools need a framework application", async () => {
    const plain = new Client((_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return [new TextEncoder().encode("plain")];
    });
    expect((await plain.get("/")).text()).toBe("plain");
    await expect(plain.session()).rejects.toThrow(/needs a framework application/);
  });
});

describe("RequestFactory, overrideSettings, assertFormError", () => {
  it("builds requests for views directly", async () => {
    const factory = new RequestFactory(settings);
    const get = factory.get("/x/", { query: { a: "1" } });
    expect(get.GET.get("a")).toBe("1");
    expect(get.getHost()).toBe("testserver");
    const post = factory.post("/x/", { name: "n" });
    expect((await post.POST()).get("name")).toBe("n");
    const json = factory.put("/x/", { a: 1 }, { contentType: "application/json" });
    expect(await json.json()).toEqual({ a: 1 });
    expect(() => (factory.get("/") as { session?: unknown }).session).toThrow(/SessionMiddleware/);
  });

  it("overrideSettings validates the copy", () => {
    const debug = overrideSettings(settings, { DEBUG: true });
    expect(debug.DEBUG).toBe(true);
    expect(settings.DEBUG).toBe(false);
    expect(() => overrideSettings(settings, { DEBUG: "yes" as never })).toThrow(/DEBUG/);
  });

  it("assertFormError", async () => {
    const form = new UploadForm({ title: "" });
    await form.isValid();
    assertFormError(form, "title", "This field is required.");
    expect(() => assertFormError(form, "title", [])).toThrow(/don't match/);
    expect(() => assertFormError(form, "nope", [])).toThrow(/does not contain the field/);
    assertFormError(form, null, []);
  });
});
