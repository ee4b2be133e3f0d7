/**
 * CPU profile of one bench-site route (no socket): `--route json|page|rows` called with tsgi's
 * `callApp` for `--seconds`, under node:inspector's profiler; prints µs per request and the
 * top functions by self time (µs per request each), GC and the profiler's "(program)" included.
 *
 * Usage: node --import tsx bench/micro/profileRoute.ts --route json [--seconds 4] [--top 25] [--middleware 0..6]
 * `--middleware k` keeps only the first k middleware of the site's stack.
 */
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { callApp } from "tsgi";
import { getTsgiApplication } from "@tsgi/framework";
import { settings } from "../apps/framework_site.js";

const { values } = parseArgs({
  options: { route: { type: "string", default: "json" }, seconds: { type: "string", default: "4" }, top: { type: "string", default: "25" }, middleware: { type: "string" } },
});
const stack = values.middleware === undefined ? settings.MIDDLEWARE : settings.MIDDLEWARE.slice(0, Number(values.middleware));
const app = getTsgiApplication({ ...settings, MIDDLEWARE: stack });
const path = `/bench/${values.route}/`;

async function once(): Promise<void> {
  const res = await callApp(app, { method: "GET", path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
}
for (let i = 0; i < 3000; i++) await once();

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: Number(process.env.PROFILE_INTERVAL ?? 250) });
await session.post("Profiler.start");
const started = performance.now();
let count = 0;
while (performance.now() < started + Number(values.seconds) * 1000) {
  for (let i = 0; i < 100; i++) await once();
  count += 100;
}
const elapsed = performance.now() - started;
const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[index] ?? 0;
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(packages|node_modules)\//, "")}:${lineNumber + 1}` : "";
  const key = `${functionName || "(anonymous)"} ${where}`;
  self.set(key, (self.get(key) ?? 0) + delta);
  total += delta;
});
console.log(`Node ${process.version}, ${path}, ${stack.length} middleware: ${((elapsed * 1000) / count).toFixed(1)} µs per request (${count} requests, profiler on)`);
const perRequest = (us: number) => ((us / total) * ((elapsed * 1000) / count)).toFixed(2).padStart(7);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${perRequest(us)} µs  ${key}`);
