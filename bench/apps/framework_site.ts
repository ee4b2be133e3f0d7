/**
 * The framework scenarios, served by tsgi-worker through @tsgi/framework's default
 * middleware stack (security, sessions, common, CSRF, messages, X-Frame-Options):
 * - `/bench/page/`: an apps/demo-style page: a session read, a template with inheritance
 *   (`page.html` extends `base.html`), a 10-item loop and a CSRF token in a form;
 * - `/bench/json/`: a small JSON answer;
 * - `/bench/rows/`: a list page of 20 rows read from SQLite through the models layer
 *   (`Row.objects.orderBy("-votes").slice(0, 20)`), rendered with the same base template.
 *   The file (BENCH_DB, default `tsgi-bench-framework-db-v2.sqlite3` in the temp folder) is
 *   created and seeded with 200 rows by the first process that needs it; every worker reads it.
 *   `BENCH_DB=off` leaves the database out (no DATABASES, /bench/rows/ answers 500): the rows run
 *   by a Node that better-sqlite3 could not be built for (`pnpm bench --node 24`, see the README).
 */
import {
  CommonMiddleware,
  CsrfViewMiddleware,
  JsonResponse,
  MessageMiddleware,
  SecurityMiddleware,
  SessionMiddleware,
  XFrameOptionsMiddleware,
  atomic,
  connections,
  defineModel,
  defineSettings,
  getTsgiApplication,
  models,
  path,
  render,
  type HttpRequest,
} from "@tsgi/framework";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const items = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Item ${i}`, done: i % 2 === 0 }));

async function page(request: HttpRequest) {
  const visits = await request.session.get<number>("visits", 0);
  return render(request, "page.html", { entries, visits });
}

export const Row = defineModel("bench", "Row", {
  fields: {
    title: models.CharField({ maxLength: 100 }),
    body: models.TextField(),
    // Indexed: the list orders by it (without the index SQLite sorts the 200 rows on every request).
    votes: models.IntegerField({ default: 0, dbIndex: true }),
  },
});

const ROWS = 200;
let seeded: Promise<void> | undefined;

/**
 * Creates and fills the table once per file. The check runs in `atomic()` (BEGIN IMMEDIATE on
 * SQLite), so the workers starting together queue on the file lock and only the first seeds it.
 */
function ensureRows(): Promise<void> {
  seeded ??= atomic(async () => {
    let count = 0;
    try {
      count = await Row.objects.count();
    } catch {
      // No table yet (a fresh file).
      await models.createTables([Row]);
    }
    if (count === ROWS) return;
    await Row.objects.all().delete();
    await Row.objects.bulkCreate(Array.from({ length: ROWS }, (_, i) => ({ title: `Row ${i}`, body: `Body of row ${i} <escaped>`, votes: (i * 37) % 101 })));
  }).catch((error: unknown) => {
    seeded = undefined;
    throw error;
  });
  return seeded;
}

async function rows(request: HttpRequest) {
  await ensureRows();
  const list = await Row.objects.orderBy("-votes", "pk").slice(0, 20).toArray();
  return render(request, "rows.html", { rows: list });
}

function json() {
  return new JsonResponse({ items, count: items.length });
}

const withDatabase = process.env.BENCH_DB !== "off";

export const settings = defineSettings({
  DEBUG: false,
  SECRET_KEY: "bench-only-secret-key",
  ALLOWED_HOSTS: ["127.0.0.1", "localhost"],
  MIDDLEWARE: [SecurityMiddleware, SessionMiddleware, CommonMiddleware, CsrfViewMiddleware, MessageMiddleware, XFrameOptionsMiddleware],
  urlpatterns: [path("bench/page/", page, { name: "page" }), path("bench/json/", json, { name: "json" }), path("bench/rows/", rows, { name: "rows" })],
  ...(withDatabase ? { DATABASES: { default: { ENGINE: "sqlite", NAME: process.env.BENCH_DB ?? join(tmpdir(), "tsgi-bench-framework-db-v2.sqlite3") } } } : {}),
  TEMPLATES: { DIRS: [join(here, "templates")] },
});

// Seeding runs outside a request, so the connections are told the settings now.
if (withDatabase) await connections.configure(settings);
export const application = getTsgiApplication(settings);
