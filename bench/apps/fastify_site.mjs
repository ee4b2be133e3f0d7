// The framework scenarios as a Fastify app, the peer issue 18 names: the same templates
// (apps/templates, nunjucks through @fastify/view) and the same routes as framework_site.ts:
// - /bench/page/: a session read (@fastify/session, in-memory store, nothing saved for a
//   session that was not written, as the tsgi and Django sessions), a CSRF token in the form
//   (@fastify/csrf-protection with its secret in a cookie, as Django's CSRF cookie), page.html
//   extending base.html with the 10-item loop;
// - /bench/json/: the same 397-byte JSON answer;
// - /bench/rows/: 20 rows of the same SQLite file, read with one prepared better-sqlite3 statement
//   (raw SQL: Fastify has no models layer), rendered with rows.html.
// An onSend hook adds the headers Django's SecurityMiddleware and XFrameOptionsMiddleware add.
// What differs: the CSRF token's format (@fastify/csrf-protection's salt-hash, not 64 letters and
// digits: the probe compares pages around it), no messages middleware, no ALLOWED_HOSTS check.
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const items = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Item ${i}`, done: i % 2 === 0 }));
const SECRET = "bench-only-secret-key-of-32-characters-at-least";
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "x-frame-options": "DENY",
};

/** Starts the Fastify framework site on 127.0.0.1:`port`. */
export async function startFastifySite(port) {
  const [{ default: Fastify }, { default: fastifyView }, { default: fastifyCookie }, { default: fastifySession }, { default: fastifyCsrf }, { default: nunjucks }, { default: Database }] =
    await Promise.all([
      import("fastify"),
      import("@fastify/view"),
      import("@fastify/cookie"),
      import("@fastify/session"),
      import("@fastify/csrf-protection"),
      import("nunjucks"),
      // Run by another Node (`pnpm bench --node 24`), better-sqlite3 comes from the install built for its ABI.
      process.env.BENCH_NODE_MODULES ? import(pathToFileURL(join(process.env.BENCH_NODE_MODULES, "better-sqlite3/lib/index.js")).href) : import("better-sqlite3"),
    ]);
  // BENCH_DB=off: no database (a Node better-sqlite3 could not be built for), as framework_site.ts.
  const withDatabase = process.env.BENCH_DB !== "off";
  const db = withDatabase ? new Database(process.env.BENCH_DB ?? join(tmpdir(), "tsgi-bench-framework-db-v2.sqlite3"), { readonly: true }) : undefined;
  const topRows = db?.prepare("SELECT id, title, body, votes FROM bench_row ORDER BY votes DESC, id ASC LIMIT 20");
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, { secret: SECRET, saveUninitialized: false, cookie: { secure: false } });
  await app.register(fastifyCsrf, { cookieOpts: { path: "/", sameSite: "lax", httpOnly: false } });
  await app.register(fastifyView, { engine: { nunjucks }, templates: join(here, "templates"), production: true });
  app.addHook("onSend", async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.get("/bench/page/", (request, reply) => {
    const visits = request.session.get("visits") ?? 0;
    return reply.view("page.html", { entries, visits, csrf_token: reply.generateCsrf() });
  });
  app.get("/bench/json/", () => ({ items, count: items.length }));
  if (topRows) app.get("/bench/rows/", (request, reply) => reply.view("rows.html", { rows: topRows.all() }));
  await app.listen({ port, host: "127.0.0.1" });
}
