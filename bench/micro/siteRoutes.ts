/**
 * The bench site's three routes (JSON, page, 20-row SQLite list) and the JSON route's
 * middleware split, on the framework copy at `--framework <dir>` (its src/), one copy per
 * process (AsyncLocalStorage's promise hooks on Node 20 are process-wide). Cases run in
 * interleaved slices; prints the median CPU µs per request of each. Run two copies alternately
 * (a few times each) to compare them. The figure is the process's CPU time (user + system) per
 * request, not wall time, so other processes on a busy machine disturb it less.
 *
 * Usage: node --import tsx bench/micro/siteRoutes.ts [--framework packages/framework/src] [--seconds 6] [--split]
 * `--split`: the JSON route with the stack cut after each middleware; the differences are each one's cost.
 */
import { join, resolve } from "node:path";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { callApp, type Application } from "tsgi";

const { values } = parseArgs({
  options: { framework: { type: "string", default: "packages/framework/src" }, seconds: { type: "string", default: "6" }, rounds: { type: "string", default: "12" }, split: { type: "boolean", default: false } },
});
const here = resolve(import.meta.dirname, "..");
const f = (await import(resolve(values.framework as string, "index.ts"))) as typeof import("@tsgi/framework");
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const items = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Item ${i}`, done: i % 2 === 0 }));
const Row = f.defineModel("bench", "Row", {
  fields: { title: f.models.CharField({ maxLength: 100 }), body: f.models.TextField(), votes: f.models.IntegerField({ default: 0 }) },
});
const middleware = [f.SecurityMiddleware, f.SessionMiddleware, f.CommonMiddleware, f.CsrfViewMiddleware, f.MessageMiddleware, f.XFrameOptionsMiddleware];
const dbFile = join(tmpdir(), `tsgi-micro-rows-${process.pid}.sqlite3`);
const base = {
  DEBUG: false,
  SECRET_KEY: "bench-only-secret-key",
  ALLOWED_HOSTS: ["127.0.0.1", "localhost"],
  MIDDLEWARE: middleware,
  urlpatterns: [
    f.path("bench/page/", async (request) => f.render(request, "page.html", { entries, visits: await request.session.get<number>("visits", 0) })),
    f.path("bench/json/", () => new f.JsonResponse({ items, count: items.length })),
    f.path("bench/rows/", async (request) => f.render(request, "rows.html", { rows: await Row.objects.orderBy("-votes", "pk").slice(0, 20).toArray() })),
  ],
  DATABASES: { default: { ENGINE: "sqlite" as const, NAME: dbFile } },
  TEMPLATES: { DIRS: [join(here, "apps/templates")] },
};
const settings = f.defineSettings(base);
await f.connections.configure(settings);
await f.models.createTables([Row]);
await Row.objects.bulkCreate(Array.from({ length: 200 }, (_, i) => ({ title: `Row ${i}`, body: `Body of row ${i} <escaped>`, votes: (i * 37) % 101 })));

const app = f.getTsgiApplication(settings);
const cases: Array<{ label: string; app: Application; path: string; samples: number[] }> = [
  { label: "json", app, path: "/bench/json/", samples: [] },
  { label: "page", app, path: "/bench/page/", samples: [] },
  { label: "rows", app, path: "/bench/rows/", samples: [] },
];
if (values.split) {
  for (let k = 0; k < middleware.length; k++) {
    const label = k === 0 ? "json, no middleware" : `json, up to ${middleware[k - 1]?.name}`;
    cases.push({ label, app: f.getTsgiApplication({ ...base, MIDDLEWARE: middleware.slice(0, k) }), path: "/bench/json/", samples: [] });
  }
}
async function once(c: (typeof cases)[number]): Promise<void> {
  const res = await callApp(c.app, { method: "GET", path: c.path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${c.path} answered ${res.status}: ${res.text().slice(0, 300)}`);
}
for (const c of cases) for (let i = 0; i < 2000; i++) await once(c);
const rounds = Number(values.rounds);
const slice = (Number(values.seconds) * 1000) / rounds / cases.length;
for (let round = 0; round < rounds; round++) {
  // ABBA order: whatever a slice leaves behind (garbage, cold caches) falls on each case alike.
  for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let count = 0;
    while (performance.now() < started + slice) {
      for (let i = 0; i < 25; i++) await once(c);
      count += 25;
    }
    const used = process.cpuUsage(cpu);
    c.samples.push((used.user + used.system) / count);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`${values.framework} (Node ${process.version}): ${cases.map((c) => `${c.label} ${median(c.samples).toFixed(1)}`).join(", ")} µs`);
await f.connections.closeAll();
rmSync(dbFile, { force: true });
