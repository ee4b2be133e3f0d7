/**
 * One framework copy per process (for what is process-wide, such as AsyncLocalStorage's
 * promise hooks on Node 20): the bench site on the framework at `--framework <dir>` (its
 * src/), page and JSON route in interleaved slices; prints the median µs per request.
 * Alternate runs of two copies to compare them.
 *
 * Usage: node --import tsx bench/micro/oneSite.ts --framework packages/framework/src [--seconds 3]
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { callApp, type Application } from "tsgi";

const { values } = parseArgs({ options: { framework: { type: "string", default: "packages/framework/src" }, seconds: { type: "string", default: "3" } } });
const here = resolve(import.meta.dirname, "..");
const f = (await import(resolve(values.framework as string, "index.ts"))) as typeof import("@tsgi/framework");
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const items = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Item ${i}`, done: i % 2 === 0 }));
const app: Application = f.getTsgiApplication({
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
const cases = [{ path: "/bench/page/", samples: [] as number[] }, { path: "/bench/json/", samples: [] as number[] }];
async function once(path: string): Promise<void> {
  const res = await callApp(app, { method: "GET", path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
}
for (const c of cases) for (let i = 0; i < 3000; i++) await once(c.path);
const rounds = 10;
const slice = (Number(values.seconds) * 1000) / rounds / cases.length;
for (let round = 0; round < rounds; round++) {
  for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
    const started = performance.now();
    let count = 0;
    while (performance.now() < started + slice) {
      for (let i = 0; i < 50; i++) await once(c.path);
      count += 50;
    }
    c.samples.push(((performance.now() - started) * 1000) / count);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`${values.framework}: page ${median(cases[0]!.samples).toFixed(1)} µs, json ${median(cases[1]!.samples).toFixed(1)} µs (Node ${process.version})`);
