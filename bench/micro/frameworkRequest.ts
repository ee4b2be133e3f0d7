/**
 * In-process cost of one request through the framework (no socket): the bench site's
 * routes called with tsgi's `callApp`, against a raw TSGI app through the same `callApp`.
 * Prints the median µs per request of several rounds, and a per-middleware split: the page
 * served with the stack cut after each middleware in turn.
 *
 * Usage: node --import tsx bench/micro/frameworkRequest.ts [--seconds 4] [--only page|json|raw|split]
 * With `node --cpu-prof --cpu-prof-dir=/tmp/prof` the profile covers the measured loop.
 */
import { parseArgs } from "node:util";
import { callApp, type Application } from "tsgi";
import { getTsgiApplication, type MiddlewareFactory } from "@tsgi/framework";
import { settings } from "../apps/framework_site.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "4" }, only: { type: "string" } } });
const seconds = Number(values.seconds);
const ROUNDS = 5;

const raw: Application = (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "13"]]);
  return [Buffer.from("Hello, World!")];
};

async function once(app: Application, path: string): Promise<number> {
  const res = await callApp(app, { method: "GET", path, headers: { Host: "127.0.0.1" } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${Buffer.from(res.body).toString().slice(0, 200)}`);
  return res.body.length;
}

/** Median µs per request over ROUNDS rounds sharing `seconds`. */
async function measure(app: Application, path: string): Promise<number> {
  for (let i = 0; i < 2000; i++) await once(app, path);
  const perRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const until = performance.now() + (seconds * 1000) / ROUNDS;
    let count = 0;
    const started = performance.now();
    while (performance.now() < until) {
      for (let i = 0; i < 100; i++) await once(app, path);
      count += 100;
    }
    perRound.push(((performance.now() - started) * 1000) / count);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(ROUNDS / 2)] as number;
}

function appWith(middleware: readonly MiddlewareFactory[]): Application {
  return getTsgiApplication({ ...settings, MIDDLEWARE: [...middleware] });
}

const only = values.only;
const full = getTsgiApplication(settings);
const lines: string[] = [];
if (!only || only === "raw") lines.push(`raw TSGI app via callApp      ${(await measure(raw, "/hello")).toFixed(1)} µs`);
if (!only || only === "page") lines.push(`framework page (full stack)   ${(await measure(full, "/bench/page/")).toFixed(1)} µs`);
if (!only || only === "json") lines.push(`framework json (full stack)   ${(await measure(full, "/bench/json/")).toFixed(1)} µs`);
if (only === "split") {
  // Each middleware's cost: the page with the first k middleware, minus with the first k-1.
  // SessionMiddleware is needed by the view (request.session); without it, the view reads no session.
  const stack = settings.MIDDLEWARE;
  let previous: number | undefined;
  for (let k = 0; k <= stack.length; k++) {
    const usable = stack.slice(0, k);
    const path = usable.some((m) => m.name === "SessionMiddleware") ? "/bench/page/" : "/bench/json/";
    const us = await measure(appWith(usable), path);
    lines.push(`${k === 0 ? "(no middleware)" : `+ ${stack[k - 1]?.name}`}`.padEnd(30) + `${us.toFixed(1)} µs (${path})${previous === undefined ? "" : ` delta ${(us - previous).toFixed(1)}`}`);
    previous = us;
  }
}
console.log(`Node ${process.version}\n${lines.join("\n")}`);
