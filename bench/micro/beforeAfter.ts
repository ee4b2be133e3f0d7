/**
 * Before/after, in one process and interleaved: the bench site built on two copies of the
 * framework's sources (`--before <dir>` holding an older `src/`, e.g. from `git archive`, placed
 * under packages/framework/node_modules/ so its imports resolve), each route measured in
 * alternating slices; prints the median µs per request of each.
 *
 * Usage: node --import tsx bench/micro/beforeAfter.ts --before packages/framework/node_modules/.before/src [--seconds 8]
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { callApp, type Application } from "tsgi";

const { values } = parseArgs({ options: { before: { type: "string" }, seconds: { type: "string", default: "8" }, rounds: { type: "string", default: "20" } } });
if (!values.before) throw new Error("--before <dir> (an older framework src/ folder) is required");
const here = resolve(import.meta.dirname, "..");

type Framework = typeof import("@tsgi/framework");

function site(framework: Framework): Application {
  const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
  const items = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Item ${i}`, done: i % 2 === 0 }));
  const f = framework;
  return f.getTsgiApplication({
    DEBUG: false,
    SECRET_KEY: "bench-only-secret-key",
    ALLOWED_HOSTS: ["127.0.0.1", "localhost"],
    MIDDLEWARE: [f.SecurityMiddleware, f.SessionMiddleware, f.CommonMiddleware, f.CsrfViewMiddleware, f.MessageMiddleware, f.XFrameOptionsMiddleware],
    urlpatterns: [
      f.path("bench/page/", async (request) => f.render(request, "page.html", { entries, visits: await request.session.get<number>("visits", 0) })),
      f.path("bench/json/", () => new f.JsonResponse({ items, count: items.length })),
    ],
    TEMPLATES: { DIRS: [join(here, "apps/templates")] },
  });
}

const before = site((await import(resolve(values.before, "index.ts"))) as Framework);
const after = site(await import("@tsgi/framework"));
const cases = [
  { label: "before page", app: before, path: "/bench/page/", samples: [] as number[] },
  { label: "after page", app: after, path: "/bench/page/", samples: [] as number[] },
  { label: "before json", app: before, path: "/bench/json/", samples: [] as number[] },
  { label: "after json", app: after, path: "/bench/json/", samples: [] as number[] },
];

async function once(app: Application, path: string): Promise<void> {
  const res = await callApp(app, { method: "GET", path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
}

for (const c of cases) for (let i = 0; i < 3000; i++) await once(c.app, c.path);
const rounds = Number(values.rounds);
const slice = (Number(values.seconds) * 1000) / rounds / cases.length;
for (let round = 0; round < rounds; round++) {
  // ABBA order: whatever a slice leaves behind (garbage, cold caches) falls on each case alike.
  for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
    const started = performance.now();
    let count = 0;
    while (performance.now() < started + slice) {
      for (let i = 0; i < 50; i++) await once(c.app, c.path);
      count += 50;
    }
    c.samples.push(((performance.now() - started) * 1000) / count);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`Node ${process.version}, ${rounds} interleaved rounds, median µs per request (callApp included)`);
for (const c of cases) console.log(`${c.label.padEnd(14)} ${median(c.samples).toFixed(1).padStart(7)} µs`);
