/**
 * In-process cost of rendering the bench site's templates through the framework's engine, with
 * no request around it: `page.html` (extends `base.html`, a 10-item loop, a lazy CSRF token, as
 * `/bench/page/` renders it) and `rows.html` (the 20-row list of `/bench/rows/`, rows as plain
 * objects shaped like the model's), each through `renderTemplate()`. Cases run in interleaved
 * slices; each prints the median µs per render over the rounds, wall time and this process's
 * CPU time (the steadier of the two on a shared machine). Under `node --cpu-prof` the
 * profile covers the loop.
 *
 * One framework copy per process (nunjucks' runtime is shared process-wide, so two copies in one
 * process would share each other's patches): compare an older copy by alternating runs with
 * `--framework <its src/>` (e.g. from `git archive`, placed under packages/framework/node_modules/
 * so its imports resolve).
 *
 * Usage: node --import tsx bench/micro/templateRender.ts [--framework packages/framework/src] [--seconds 4] [--routes] [--check]
 * `--only <text>` keeps the cases whose label contains it (e.g. for a profile of one). `--routes` adds the two pages rendered by views through `render(request, ...)` (no middleware, tsgi's
 * `callApp`) and a JSON view beside them (`--stack`: behind the default middleware stack, the page reading the
 * session); `--check` prints each page's length and a hash instead (to
 * compare two copies' output).
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { callApp } from "tsgi";

const { values } = parseArgs({
  options: {
    framework: { type: "string", default: "packages/framework/src" },
    seconds: { type: "string", default: "4" },
    rounds: { type: "string", default: "20" },
    check: { type: "boolean", default: false },
    routes: { type: "boolean", default: false },
    only: { type: "string" },
    stack: { type: "boolean", default: false },
  },
});
const here = resolve(import.meta.dirname, "..");
type Framework = typeof import("@tsgi/framework");
const f = (await import(resolve(values.framework as string, "index.ts"))) as Framework;

const settings = f.defineSettings({
  DEBUG: false,
  SECRET_KEY: "bench-only-secret-key",
  ALLOWED_HOSTS: ["127.0.0.1"],
  urlpatterns: [],
  TEMPLATES: { DIRS: [join(here, "apps/templates")] },
});
const engine = f.getTemplateEngine(settings);

// What requestContext() gives a template (the CSRF token is computed when printed), plus the view's variables.
const token = "k2JYjYtLlDkPv1bYr3kYV9sDGSQ0Cq4mmcQzU7n8RGvL4jAXy6qG4HFyLrTPn0ea";
function lazyToken(): { toString(): string } {
  let value: string | undefined;
  return { toString: () => (value ??= token) };
}
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const rows = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `Row ${i}`, body: `Body of row ${i} <escaped>`, votes: (i * 37) % 101 }));

interface Case {
  label: string;
  run: () => Promise<unknown>;
  samples: number[];
  cpu: number[];
}
const render = (name: string, context: () => Record<string, unknown>) => () => f.renderTemplate(engine, name, context());
const pageContext = () => ({ csrf_token: lazyToken(), entries, visits: 3 });
const rowsContext = () => ({ csrf_token: lazyToken(), rows });

// The same templates through render(request, ...) in a view (request context, a real lazy CSRF token, the
// response), with no middleware, next to a JSON view: the difference is what a template page adds to a request.
// `--stack`: behind the default middleware stack, the page reading the session as the bench's does.
const app = f.getTsgiApplication({
  ...settings,
  MIDDLEWARE: values.stack ? [f.SecurityMiddleware, f.SessionMiddleware, f.CommonMiddleware, f.CsrfViewMiddleware, f.MessageMiddleware, f.XFrameOptionsMiddleware] : [],
  urlpatterns: [
    f.path("page/", async (request) => f.render(request, "page.html", { entries, visits: values.stack ? await request.session.get<number>("visits", 0) : 3 })),
    f.path("rows/", (request) => f.render(request, "rows.html", { rows })),
    f.path("json/", () => new f.JsonResponse({ entries, count: entries.length })),
  ],
});
const get = (path: string) => async () => {
  const res = await callApp(app, { method: "GET", path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${Buffer.from(res.body).toString().slice(0, 300)}`);
  return res;
};

const stackLabel = values.stack ? "default stack" : "no middleware";
const cases: Case[] = [
  { label: "page.html (extends, 10-item loop, csrf)", run: render("page.html", pageContext), samples: [], cpu: [] },
  { label: "rows.html (extends, 20 rows)", run: render("rows.html", rowsContext), samples: [], cpu: [] },
];
if (values.routes) {
  cases.push(
    { label: `GET page/ (render(), ${stackLabel})`, run: get("/page/"), samples: [], cpu: [] },
    { label: `GET rows/ (render(), ${stackLabel})`, run: get("/rows/"), samples: [], cpu: [] },
    { label: `GET json/ (${stackLabel})`, run: get("/json/"), samples: [], cpu: [] },
  );
}

if (values.only !== undefined) cases.splice(0, cases.length, ...cases.filter((c) => c.label.includes(values.only as string)));

if (values.check) {
  for (const [name, context] of [["page.html", pageContext], ["rows.html", rowsContext]] as const) {
    const html = await f.renderTemplate(engine, name, context());
    console.log(`${name} ${html.length} bytes sha256 ${createHash("sha256").update(html).digest("hex").slice(0, 16)}`);
  }
  process.exit(0);
}

for (const c of cases) for (let i = 0; i < 3000; i++) await c.run();
const rounds = Number(values.rounds);
const slice = (Number(values.seconds) * 1000) / rounds / cases.length;
for (let round = 0; round < rounds; round++) {
  // ABBA order: whatever a slice leaves behind (garbage, cold caches) falls on each case alike.
  for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let count = 0;
    while (performance.now() < started + slice) {
      for (let i = 0; i < 50; i++) await c.run();
      count += 50;
    }
    c.samples.push(((performance.now() - started) * 1000) / count);
    const cpu = process.cpuUsage(cpuStarted);
    c.cpu.push((cpu.user + cpu.system) / count);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
// CPU time of this process per render moves less than wall time when the machine is busy.
console.log(`Node ${process.version}, ${values.framework}, ${rounds} interleaved rounds, median per render: wall µs, process CPU µs`);
for (const c of cases) console.log(`${c.label.padEnd(42)} ${median(c.samples).toFixed(1).padStart(7)} µs ${median(c.cpu).toFixed(1).padStart(7)} µs CPU`);
