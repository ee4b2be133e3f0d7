import { describe, expect, it } from "vitest";
import { callApp, type TestResponse } from "tsgi";
import { CsrfViewMiddleware, HttpResponse, csrfProtect, getToken, path, rotateToken, type HttpRequest } from "../src/index.js";
import { makeApp } from "./helpers/core.js";

// The middleware's cookie path loads and commits the secret synchronously; `csrfProtect`
// runs the public async steps (loadSecret, processView, commitCsrfCookie). Both must answer alike.
const form = (request: HttpRequest) => new HttpResponse(`<input name="csrfmiddlewaretoken" value="${getToken(request)}">`);
const plain = () => new HttpResponse("plain");
const rotate = (request: HttpRequest) => {
  rotateToken(request);
  return new HttpResponse("rotated");
};

const viaMiddleware = makeApp({ MIDDLEWARE: [CsrfViewMiddleware], urlpatterns: [path("form/", form), path("plain/", plain), path("rotate/", rotate)] });
const viaDecorator = makeApp({ MIDDLEWARE: [], urlpatterns: [path("form/", csrfProtect(form)), path("plain/", csrfProtect(plain)), path("rotate/", csrfProtect(rotate))] });

/** Status, headers and body with the random secret and tokens replaced by their lengths, and cookie dates (a second may tick between the two calls) by a mark. */
function shape(res: TestResponse): string {
  const headers = [...res.headers].map(([name, value]) => `${name}: ${value}`);
  return [String(res.status), ...headers, res.text()].join("\n").replace(/[A-Za-z0-9]{32,64}/g, (token) => `<${token.length} chars>`).replace(/Expires=[^;\n]+/g, "Expires=<date>");
}

const SECRET = "a".repeat(32);
const REQUESTS: Array<{ label: string; method?: string; path: string; headers?: Record<string, string>; body?: string }> = [
  { label: "first visit to a form", path: "/form/" },
  { label: "form with a valid cookie", path: "/form/", headers: { cookie: `csrftoken=${SECRET}` } },
  { label: "form with a malformed cookie", path: "/form/", headers: { cookie: "csrftoken=bad" } },
  { label: "page without a token", path: "/plain/", headers: { cookie: `csrftoken=${SECRET}` } },
  { label: "rotation", path: "/rotate/", headers: { cookie: `csrftoken=${SECRET}` } },
  { label: "POST with the right token", method: "POST", path: "/plain/", headers: { cookie: `csrftoken=${SECRET}`, "content-type": "application/x-www-form-urlencoded" }, body: `csrfmiddlewaretoken=${SECRET}` },
  { label: "POST without a cookie", method: "POST", path: "/plain/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrfmiddlewaretoken=${SECRET}` },
  { label: "POST with a wrong token", method: "POST", path: "/plain/", headers: { cookie: `csrftoken=${SECRET}`, "content-type": "application/x-www-form-urlencoded" }, body: `csrfmiddlewaretoken=${"b".repeat(32)}` },
];

describe("CsrfViewMiddleware's synchronous cookie path", () => {
  for (const request of REQUESTS) {
    it(`answers like the async steps: ${request.label}`, async () => {
      const send = { method: request.method ?? "GET", path: request.path, headers: request.headers ?? {}, ...(request.body !== undefined && { body: Buffer.from(request.body) }) };
      const [fast, slow] = [await callApp(viaMiddleware, send), await callApp(viaDecorator, send)];
      expect(shape(fast)).toBe(shape(slow));
    });
  }
});
