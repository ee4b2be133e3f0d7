/**
 * How long an edit takes to show under tsgi-dev: starts the real CLI on a small
 * temporary project, saves a module the app imports, and times until a request
 * answers with the new code (polling every 5 ms, as a browser refresh right after
 * saving would). Each edit is split into: the watcher noticing the save (the
 * "changed, reloading" line), the new process loading the app ("reloaded in N ms"),
 * and the whole save-to-answer time.
 *
 *   pnpm --filter @tsgi/dev-server exec tsx scripts/measureReload.ts [--edits 10] [--pause 1500] [--bin path/to/tsgi-dev.js]
 *
 * Each save waits until the spare process is warm (tsgi-dev prints it under
 * TSGI_DEV_TRACE_RELOAD=1), then `--pause` more: a reload from a warm spare is what
 * a developer who reads the page between edits gets. How long a spare takes to warm
 * up is reported too: a save sooner than that after the previous reload is a cold start.
 * `--bin` runs another copy of tsgi-dev (to compare
 * before and after a change, alternating runs on a busy machine).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    edits: { type: "string", default: "10" },
    pause: { type: "string", default: "200" },
    bin: { type: "string", default: fileURLToPath(new URL("../bin/tsgi-dev.js", import.meta.url)) },
  },
});
const edits = Number(values.edits);
const pauseMs = Number(values.pause);

const dir = mkdtempSync(join(tmpdir(), "tsgi-reload-"));
writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "reload-timing", type: "module" }));
writeFileSync(join(dir, "message.ts"), 'export const message: string = "version 0";\n');
writeFileSync(
  join(dir, "app.ts"),
  `import { message } from "./message.ts";
export const app = (environ: Record<string, unknown>, startResponse: (status: string, headers: [string, string][]) => unknown) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode(message)];
};
`,
);

const child = spawn(process.execPath, [values.bin, "--port", "0", "app.ts:app"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", TSGI_DEV_TRACE_RELOAD: "1" } });
let output = "";
const waiters: Array<() => void> = [];
const onData = (chunk: Buffer): void => {
  output += chunk.toString();
  for (const waiter of waiters.splice(0)) waiter();
};
child.stdout.on("data", onData);
child.stderr.on("data", onData);

/** Resolves with the match and the time it arrived, once `pattern` appears after `from` characters of output. */
function waitFor(pattern: RegExp, from: number): Promise<{ match: RegExpExecArray; at: number }> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(output.slice(from));
      if (match) return resolve({ match, at: performance.now() });
      if (child.exitCode !== null) return reject(new Error(`tsgi-dev exited:\n${output}`));
      waiters.push(check);
    };
    check();
  });
}

async function body(url: string): Promise<string> {
  const response = await fetch(url, { headers: { Connection: "close" } });
  return response.text();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

try {
  const { match } = await waitFor(/Listening on (http:\/\/\S+)/, 0);
  const url = match[1] ?? "";
  await body(url);
  const detect: number[] = [];
  const load: number[] = [];
  const total: number[] = [];
  let cold = 0;
  const warmup: number[] = [];
  let warmFrom = 0;
  for (let edit = 1; edit <= edits; edit += 1) {
    const warm = await waitFor(/spare process warm in (\d+) ms/, warmFrom);
    warmup.push(Number(warm.match[1]));
    await sleep(pauseMs);
    const from = output.length;
    const expected = `version ${edit}`;
    const savedAt = performance.now();
    writeFileSync(join(dir, "message.ts"), `export const message: string = "${expected}";\n`);
    const noticed = waitFor(/changed, reloading/, from);
    const reloaded = waitFor(/reloaded in (\d+) ms( \(cold start)?/, from);
    warmFrom = from;
    while ((await body(url)) !== expected) await sleep(5);
    const answered = performance.now() - savedAt;
    const { match: done } = await reloaded;
    // A reload that found no warm spare (the previous one still warming up) is a cold start: counted apart.
    if (done[2]) {
      cold += 1;
      continue;
    }
    total.push(answered);
    detect.push((await noticed).at - savedAt);
    load.push(Number(done[1]));
  }
  const line = (name: string, values: number[]): string => `${name.padEnd(28)} median ${median(values).toFixed(0).padStart(5)} ms   min ${Math.min(...values).toFixed(0).padStart(5)}   max ${Math.max(...values).toFixed(0).padStart(5)}`;
  console.log(`${edits} edits, each ${pauseMs} ms after the spare was warm, ${values.bin}: ${total.length} from a warm spare, ${cold} cold starts left out`);
  if (total.length === 0) process.exit(0);
  console.log(line("save -> watcher notices", detect));
  console.log(line("new process loads the app", load));
  console.log(line("save -> new code answers", total));
  console.log(line("spare process warm-up", warmup));
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(dir, { recursive: true, force: true });
}
