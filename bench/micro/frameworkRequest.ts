/**
 * In-process cost of one request through the framework (no socket): the bench site's
 * routes called with tsgi's `callApp`, next to a raw TSGI app through the same `callApp`.
 * The cases are measured in interleaved slices (a slice of each, round after round), so a
 * busy machine slows them alike; each prints the median µs per request over the rounds.
 *
 * Usage: node --import tsx bench/micro/frameworkRequest.ts [--seconds 6] [--rounds 15] [--split]
 * `--split` adds the JSON route with the middleware stack cut after each middleware in turn:
 * the differences are each middleware's cost. Under `node --cpu-prof` the profile covers the loop.
 */
import { parseArgs } from "node:util";
import { callApp, type Application } from "tsgi";
import { getTsgiApplication } from "@tsgi/framework";
import { settings } from "../apps/framework_site.js";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "6" }, rounds: { type: "string", default: "20" }, split: { type: "boolean", default: false }, only: { type: "string" } },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

interface Case {
  label: string;
  app: Application;
  path: string;
  samples: number[];
}

const raw: Application = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "13"]]);
  return [Buffer.from("Hello, World!")];
};

async function once(app: Application, path: string): Promise<void> {
  const res = await callApp(app, { method: "GET", path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${Buffer.from(res.body).toString().slice(0, 200)}`);
}

const cases: Case[] = [
  { label: "raw TSGI app", app: raw, path: "/hello", samples: [] },
  { label: "framework page, full stack", app: getTsgiApplication(settings), path: "/bench/page/", samples: [] },
  { label: "framework json, full stack", app: getTsgiApplication(settings), path: "/bench/json/", samples: [] },
];
if (values.split) {
  const stack = settings.MIDDLEWARE;
  for (let k = 0; k < stack.length; k++) {
    const label = k === 0 ? "json, no middleware" : `json, up to ${stack[k - 1]?.name}`;
    cases.push({ label, app: getTsgiApplication({ ...settings, MIDDLEWARE: stack.slice(0, k) }), path: "/bench/json/", samples: [] });
  }
}
const selected = values.only ? cases.filter((c) => c.label.includes(values.only as string)) : cases;

for (const c of selected) for (let i = 0; i < 3000; i++) await once(c.app, c.path);
const slice = (seconds * 1000) / rounds / selected.length;
for (let round = 0; round < rounds; round++) {
  // ABBA order: whatever a slice leaves behind (garbage, cold caches) falls on each case alike.
  for (const c of round % 2 === 0 ? selected : [...selected].reverse()) {
    const started = performance.now();
    const until = started + slice;
    let count = 0;
    while (performance.now() < until) {
      for (let i = 0; i < 50; i++) await once(c.app, c.path);
      count += 50;
    }
    c.samples.push(((performance.now() - started) * 1000) / count);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(`Node ${process.version}, ${rounds} interleaved rounds, median µs per request (callApp included)`);
for (const c of selected) console.log(`${c.label.padEnd(40)} ${median(c.samples).toFixed(1).padStart(7)} µs`);
