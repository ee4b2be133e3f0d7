import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application, Environ } from "tsgi";
import { MASK } from "tsgi/debug";
import { serve } from "../src/index.js";
import type { ServingHandle } from "../src/index.js";
import { breaksTheSpec, throwsAfterHeaders, throwsWhileIterating, throwsWithCause } from "./fixtures/failing-apps.js";
import { rawRequest } from "./helpers/raw-request.js";

const routes: Record<string, Application> = {
  "/cause": throwsWithCause,
  "/iterating": throwsWhileIterating,
  "/after-headers": throwsAfterHeaders,
  "/spec": breaksTheSpec,
};
const router: Application = (environ, startResponse) => {
  const app = routes[environ.PATH_INFO];
  if (!app) throw new Error(`no route ${environ.PATH_INFO}`);
  return typeof app === "function" ? app(environ, startResponse) : app.call(environ, startResponse);
};

const reported: unknown[] = [];
let server: ServingHandle;
beforeAll(async () => {
  server = await serve(router, { port: 0, validate: true, debug: true, onError: (error: unknown, _environ: Environ) => reported.push(error) });
});
afterAll(() => server.close());

const SECRETS = {
  Cookie: "sessionid=cookie-secret-1",
  Authorization: "Bearer auth-secret-2",
  "X-Api-Key": "key-secret-3",
  "X-Csrf-Token": "token-secret-4",
};

describe("debug page", () => {
  it("is plain text for curl (Accept: */*) with the error, its cause, and the source lines of each frame", async () => {
    const response = await rawRequest(server.url, "/cause?lang=en", { headers: { Accept: "*/*", "User-Agent": "curl/8.0" } });
    const text = response.body.toString();
    expect(response.status).toBe(500);
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(text.startsWith("Error: could not start the <guestbook> & friends\n")).toBe(true);
    expect(text).toContain("Caused by: TypeError: config file is missing");
    // Frames point at the .ts source, with the failing line marked.
    expect(text).toMatch(/at loadConfig \(.*fixtures\/failing-apps\.ts:5:\d+\)/);
    expect(text).toContain('> 5 |   throw new TypeError("config file is missing");');
    expect(text).toMatch(/> 12 \|     throw new Error\("could not start the <guestbook> & friends", \{ cause: error \}\);/);
    expect(text).toContain("GET /cause?lang=en HTTP/1.1");
    expect(text).toContain("User-Agent: curl/8.0");
    expect(text).toContain('QUERY_STRING = "lang=en"');
  });

  it("is plain text when the client asks for text/plain, HTML when it asks for HTML", async () => {
    const plain = await rawRequest(server.url, "/cause", { headers: { Accept: "text/plain" } });
    expect(plain.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const html = await rawRequest(server.url, "/cause", { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(html.status).toBe(500);
    expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(html.body.toString()).toMatch(/^<!doctype html>/);
    const preferPlain = await rawRequest(server.url, "/cause", { headers: { Accept: "text/html;q=0.5, text/plain" } });
    expect(preferPlain.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("HTML-escapes the message, source lines, headers and environ", async () => {
    const html = (await rawRequest(server.url, "/cause?q=<i>", { headers: { Accept: "text/html", "X-Evil": "<script>alert(1)</script>" } })).body.toString();
    expect(html).toContain("could not start the &lt;guestbook&gt; &amp; friends");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<guestbook>");
    expect(html).not.toContain("<i>");
  });

  it.each(["text/plain", "text/html"])("masks cookies, authorization, keys and tokens (%s)", async (accept) => {
    const page = (await rawRequest(server.url, "/cause", { headers: { Accept: accept, ...SECRETS } })).body.toString();
    for (const secret of Object.values(SECRETS)) expect(page).not.toContain(secret);
    expect(page).toContain(MASK);
    if (accept === "text/plain") {
      expect(page).toContain(`Cookie: ${MASK}`);
      expect(page).toContain(`Authorization: ${MASK}`);
      expect(page).toContain(`HTTP_X_API_KEY = "${MASK}"`);
      expect(page).toContain(`HTTP_X_CSRF_TOKEN = "${MASK}"`);
    }
  });

  it("shows an error raised while iterating the body before any byte, and still closes the body", async () => {
    const before = throwsWhileIterating.closed;
    const response = await rawRequest(server.url, "/iterating");
    expect(response.status).toBe(500);
    expect(response.body.toString()).toContain("RangeError: failed before the first chunk");
    expect(throwsWhileIterating.closed).toBe(before + 1);
  });

  it("names the broken TSGI rule when the validator catches the app", async () => {
    const text = (await rawRequest(server.url, "/spec")).body.toString();
    expect(text).toMatch(/^TsgiValidationError: /);
    expect(text).toMatch(/TSGI rule broken: [a-z-]+/);
  });

  it("cannot replace a response whose headers are out: the connection is cut, no page is appended", async () => {
    const outcome = await rawRequest(server.url, "/after-headers").then(
      (response) => ({ completed: true, body: response.body.toString() }),
      (error: unknown) => ({ completed: false, body: String(error) }),
    );
    expect(outcome.completed).toBe(false);
    expect(outcome.body).not.toContain("failed after the headers went out");
  });

  it("reports each error it renders to the server's error hook", async () => {
    const before = reported.length;
    await rawRequest(server.url, "/cause");
    expect(reported.length).toBe(before + 1);
    expect((reported.at(-1) as Error).message).toBe("could not start the <guestbook> & friends");
  });
});
