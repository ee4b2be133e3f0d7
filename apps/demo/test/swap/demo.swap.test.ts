/**
 * Swapping servers: the demo's `application`, unchanged, served by tsgi-dev,
 * tsgi-worker with several workers, node:http through tsgi/node, a fetch-style
 * host through toFetchHandler, and CGI through runWithCgi. Every server must
 * pass the same checks and give the same answers.
 */
import { join } from "node:path";
import { expect } from "vitest";
import { runSwapSuite, type SwapCheck } from "./runSwapSuite.js";
import { DEMO_DIR, cgiRunner, fetchHandler, freshDataDir, nodeHttp, tsgiDev, tsgiWorker, type CheckResponse } from "./servers.js";

const h1 = (res: CheckResponse) => /<h1>([^<]*)<\/h1>/.exec(res.text())?.[1];
const page = (res: CheckResponse) => ({ status: res.status, contentType: res.headers.get("content-type"), h1: h1(res) });
const json = (res: CheckResponse) => ({ status: res.status, contentType: res.headers.get("content-type") });

const checks: SwapCheck[] = [
  {
    name: "GET / renders the guestbook with a CSRF-protected form",
    request: { path: "/" },
    expect: (res) => {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.text()).toContain("<h1>Sign the guestbook</h1>");
      expect(res.text()).toMatch(/name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"/);
      expect(res.headers.getSetCookie().some((c) => c.startsWith("csrftoken="))).toBe(true);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    },
    fingerprint: (res) => ({ ...page(res), frame: res.headers.get("x-frame-options"), nosniff: res.headers.get("x-content-type-options") }),
  },
  {
    name: "HEAD / sends the headers and no body",
    request: { method: "HEAD", path: "/" },
    expect: (res) => {
      expect(res.status).toBe(200);
      expect(res.body.length).toBe(0);
    },
    fingerprint: (res) => ({ status: res.status, contentType: res.headers.get("content-type"), body: res.body.length }),
  },
  {
    name: "POST /sign/ without a CSRF token is refused with 403",
    request: { method: "POST", path: "/sign/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=Eve&message=forged" },
    expect: (res) => {
      expect(res.status).toBe(403);
      expect(res.text()).toContain("CSRF");
    },
    fingerprint: (res) => ({ status: res.status, contentType: res.headers.get("content-type") }),
  },
  {
    name: "POST /api/entries/ adds an entry (201) and GET lists it",
    request: { method: "POST", path: "/api/entries/", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Swap", message: "same app, any server" }) },
    expect: (res) => {
      expect(res.status).toBe(201);
      expect(JSON.parse(res.text()).entry).toMatchObject({ name: "Swap", message: "same app, any server" });
    },
    fingerprint: json,
  },
  {
    name: "GET /api/entries/ answers JSON with the entry",
    request: { path: "/api/entries/" },
    expect: (res) => {
      expect(res.headers.get("content-type")).toBe("application/json");
      const { entries } = JSON.parse(res.text()) as { entries: Array<{ name: string }> };
      expect(entries.some((e) => e.name === "Swap")).toBe(true);
    },
    fingerprint: json,
  },
  {
    name: "POST /api/entries/ with invalid fields answers 400 with the field errors",
    request: { method: "POST", path: "/api/entries/", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "", message: "x" }) },
    expect: (res) => {
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text())).toEqual({ errors: { name: "Tell us your name." } });
    },
  },
  {
    name: "GET /export.csv streams CSV",
    request: { path: "/export.csv?repeat=3" },
    expect: (res) => {
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="guestbook.csv"');
      const lines = res.text().trim().split("\r\n");
      expect(lines[0]).toBe("id,name,message,created_at,attachment");
      expect(lines.filter((l) => l.includes(",Swap,")).length).toBe(3);
    },
    fingerprint: (res) => ({ status: res.status, lines: res.text().trim().split("\r\n").length }),
  },
  {
    name: "GET /events/ sends server-sent events",
    request: { path: "/events/?ticks=3&interval=10" },
    expect: (res) => {
      expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(res.text().match(/^event: tick$/gm)).toHaveLength(3);
    },
    fingerprint: (res) => ({ status: res.status, events: res.text().match(/^event: tick$/gm)?.length }),
  },
  {
    name: "GET /static/css/site.css serves the stylesheet",
    request: { path: "/static/css/site.css" },
    expect: (res) => {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/css/);
      expect(res.text()).toContain("--accent");
    },
  },
  {
    name: "GET /environ/ shows the environ the server built",
    request: { path: "/environ/?q=1", headers: { cookie: "sessionid=secret-value" } },
    expect: (res) => {
      expect(res.status).toBe(200);
      expect(res.text()).toContain("<code>PATH_INFO</code></td><td><code>/environ/</code>");
      expect(res.text()).toContain("<code>QUERY_STRING</code></td><td><code>q=1</code>");
      expect(res.text()).not.toContain("secret-value");
    },
    fingerprint: page,
  },
  {
    name: "an unknown path gets the site's own 404 page",
    request: { path: "/no/such/page" },
    expect: (res) => {
      expect(res.status).toBe(404);
      expect(res.text()).toContain("<h1>Page not found</h1>");
    },
    fingerprint: page,
  },
  {
    name: "a failing view gets the site's own 500 page, with nothing internal",
    request: { path: "/boom/" },
    expect: (res) => {
      expect(res.status).toBe(500);
      expect(res.text()).toContain("<h1>Something went wrong</h1>");
      expect(res.text()).not.toContain("Boom!");
    },
    fingerprint: page,
  },
];

runSwapSuite(
  "the demo's application, unchanged, on every server",
  { module: join(DEMO_DIR, "src/tsgi.ts"), exportName: "application", env: () => ({ DEMO_DATA_DIR: freshDataDir() }) },
  [tsgiDev, tsgiWorker, nodeHttp, fetchHandler, cgiRunner],
  checks,
);
