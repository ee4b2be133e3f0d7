/**
 * Promises created per request (async_hooks' PROMISE inits) for the bench site's routes,
 * on the framework copy at `--framework <dir>`: a count, not a timing, so it is exact on a busy machine.
 *
 * Usage: node --import tsx bench/micro/promisesPerRequest.ts [--framework packages/framework/src]
 */
import { createHook } from "node:async_hooks";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { callApp } from "tsgi";

const { values } = parseArgs({ options: { framework: { type: "string", default: "packages/framework/src" } } });
const here = resolve(import.meta.dirname, "..");
const f = (await import(resolve(values.framework as string, "index.ts"))) as typeof import("@tsgi/framework");
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const app = f.getTsgiApplication({
  DEBUG: false,
  SECRET_KEY: "bench-only-secret-key",
  ALLOWED_HOSTS: ["127.0.0.1"],
  MIDDLEWARE: [f.SecurityMiddleware, f.SessionMiddleware, f.CommonMiddleware, f.CsrfViewMiddleware, f.MessageMiddleware, f.XFrameOptionsMiddleware],
  urlpatterns: [
    f.path("bench/page/", async (request) => f.render(request, "page.html", { entries, visits: await request.session.get<number>("visits", 0) })),
    f.path("bench/json/", () => new f.JsonResponse({ count: 1 })),
    f.path("bench/bare/", () => new f.HttpResponse("ok")),
  ],
  TEMPLATES: { DIRS: [join(here, "apps/templates")] },
});
const bare = f.getTsgiApplication({ DEBUG: false, SECRET_KEY: "x", ALLOWED_HOSTS: ["127.0.0.1"], MIDDLEWARE: [], urlpatterns: [f.path("bench/bare/", () => new f.HttpResponse("ok"))] });
let promises = 0;
createHook({ init: (_id, type) => void (type === "PROMISE" && promises++) }).enable();
const call = (a: typeof app, path: string) => callApp(a, { method: "GET", path, headers: { Host: "127.0.0.1" } });
await call(bare, "/bench/bare/");
const base = promises;
await call(bare, "/bench/bare/");
const callAppOnly = promises - base;
for (const [label, a, path] of [["no middleware, HttpResponse", bare, "/bench/bare/"], ["full stack, json", app, "/bench/json/"], ["full stack, page", app, "/bench/page/"]] as const) {
  await call(a, path);
  const before = promises;
  await call(a, path);
  console.log(`${label.padEnd(30)} ${promises - before} promises (callApp and the server side included; a bare framework call is ${callAppOnly})`);
}
