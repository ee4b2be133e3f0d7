/**
 * `pnpm bench`: starts every server side by side on 127.0.0.1, loads each with
 * wrk, and writes Markdown tables (ratios to the node:http cluster), SVG bar
 * charts and the README's benchmark section. `--quick` for a one-minute run that touches no tracked
 * file: its tables go to bench/results/quick/ (ignored by git) and the README is left alone.
 * System packages are installed only with `--install-peers`; without it, the servers whose
 * peers are missing are skipped and named. `--scenario a,b` keeps those scenarios (and `streaming`
 * for the 1 GiB check); `--node 24` (or BENCH_NODE=24, or a path to a node binary) adds the
 * framework rows run by that Node.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { prepareInstalledTsgi, PrepareError } from "./lib/install.js";
import { otherNode, OtherNodeError, sqliteLoads, type OtherNode } from "./lib/otherNode.js";
import { OTHER_NODE_PROD_DIR } from "./lib/paths.js";
import { probeRequest, probeServer, referenceAnswers, type Expected } from "./lib/probe.js";
import { freePort, rssPerWorker, sampleRss, stopProcess, treeMemory, waitForPort } from "./lib/processes.js";
import { barChartSvg, barsSvg, scenarioTable, type Row } from "./lib/report.js";
import { allServers, CONNECTIONS, CORES, frameworkServers, has, hasDjango, hasUwsgi, ROOT, WS_CONNECTIONS, WS_IDLE_SOCKETS, type ScenarioName, type ServerSpec } from "./lib/servers.js";
import { echoTable, measureEcho, type EchoLoad, type EchoRow } from "./lib/websocket.js";
import { runStreamingCheck } from "./lib/streaming.js";
import { runWrk, type LoadOptions } from "./lib/wrk.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "no-readme": { type: "boolean", default: false },
    "skip-streaming": { type: "boolean", default: false },
    "install-peers": { type: "boolean", default: false },
    scenario: { type: "string" },
    node: { type: "string" },
    "reuse-install": { type: "boolean", default: false },
  },
});
const quick = values.quick ?? false;
const measureSeconds = quick ? 1 : 8;
const warmupSeconds = quick ? 1 : 2;

interface Scenario {
  name: ScenarioName;
  title: string;
  path: string;
  load: Partial<LoadOptions>;
}

const SCENARIOS: Scenario[] = [
  { name: "hello", title: "Hello world (13-byte text, keep-alive)", path: "/hello", load: {} },
  { name: "stream64k", title: "64 KiB body streamed in 4 chunks", path: "/stream", load: {} },
  { name: "post1m", title: "1 MiB POST read fully, answered with its length", path: "/upload", load: { connections: 16, script: join(ROOT, "bench/apps/post.lua") } },
  { name: "hello-close", title: "Hello world, keep-alive off", path: "/hello", load: { headers: { Connection: "close" } } },
  { name: "hello-pipelined", title: "Hello world, 16 requests pipelined per write", path: "/hello", load: { script: join(ROOT, "bench/apps/pipeline.lua") } },
  { name: "framework", title: "Framework page (default middleware, session read, CSRF form, template with inheritance and a 10-item loop) vs node:http", path: "/", load: {} },
  { name: "framework-json", title: "Framework JSON route (default middleware stack) vs node:http", path: "/", load: {} },
  { name: "framework-db", title: "Framework list page of 20 rows from SQLite through the models layer (default middleware, template with inheritance) vs node:http", path: "/", load: {} },
];
const WEBSOCKET_TITLE = "WebSocket echo (tsgi-worker vs ws on node:http)";
const ECHO_LOAD: EchoLoad = { connections: WS_CONNECTIONS, seconds: measureSeconds, warmupSeconds, idleSockets: WS_IDLE_SOCKETS, size: 32 };

/** The scenarios `--scenario` keeps (all when absent): the wrk scenarios, `websocket` and `streaming`. */
const ALL_SCENARIOS = [...SCENARIOS.map((s) => s.name), "websocket", "streaming"];
const selected = new Set(values.scenario ? values.scenario.split(",").map((name) => name.trim()) : ALL_SCENARIOS);
const unknown = [...selected].filter((name) => !ALL_SCENARIOS.includes(name));
if (unknown.length) {
  console.error(`unknown --scenario ${unknown.join(", ")}; the scenarios are ${ALL_SCENARIOS.join(", ")}`);
  process.exit(2);
}
const runStreaming = !values["skip-streaming"] && selected.has("streaming");

/** The Debian peers the suite needs that are not installed yet. */
function missingPeers(): string[] {
  const checks: [string, () => boolean][] = [
    ["wrk", () => has("wrk")],
    ["nginx", () => has("nginx")],
    ["gunicorn", () => has("gunicorn")],
    ["uwsgi (with its python3 and transformation_chunked plugins)", hasUwsgi],
    ["django (python3-django)", hasDjango],
  ];
  return checks.filter(([, present]) => !present()).map(([name]) => name);
}

/** Installs missing peers only when asked (`--install-peers`): a benchmark must not change the system by surprise. */
function ensurePeers(): void {
  const missing = missingPeers();
  if (!missing.length) return;
  if (!values["install-peers"]) {
    console.log(`skipping what needs ${missing.join(", ")} (not installed); pnpm bench --install-peers installs them from Debian's packages`);
    return;
  }
  console.log(`missing ${missing.join(", ")}: installing the peers (bench/install-peers.sh)`);
  const result = spawnSync("bash", [join(ROOT, "bench/install-peers.sh")], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("could not install the benchmark peers; run bench/install-peers.sh as root");
}

function version(command: string, args: string[]): string {
  // wrk -v exits 1 and nginx -v prints to stderr: take the first line of either stream.
  const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.error) return `${command} not installed`;
  return `${result.stdout}\n${result.stderr}`.trim().split("\n")[0] || "?";
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function machineSummary(other: OtherNode | undefined): string {
  const date = new Date().toISOString().slice(0, 10);
  return [
    `Run on ${date}, ${quick ? "--quick (1 s per server and scenario)" : `${measureSeconds} s per server and scenario after ${warmupSeconds} s of warm-up`}, wrk with 2 threads on the same machine.`,
    `Machine: ${CORES} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}${other ? `; the rows marked (${other.label}) ran on ${other.version}, their ratios to its own node:http cluster` : ""}.`,
    `Peers: Fastify ${packageVersion("fastify")} (@fastify/view ${packageVersion("@fastify/view")}, nunjucks ${packageVersion("nunjucks")}), ws ${packageVersion("ws")}, Express ${packageVersion("express")}, Hono ${packageVersion("hono")} (@hono/node-server ${packageVersion("@hono/node-server")}), ${version("gunicorn", ["--version"])}, uWSGI ${version("uwsgi", ["--version"])}, ${version("nginx", ["-v"])}, ${version("wrk", ["-v"])}.`,
  ].join("\n");
}

/** Asks every route once and returns why the server's answers differ from the tsgi app's, if they do. */
async function checkAnswers(server: ServerSpec, port: number, scenarios: Scenario[], references: Map<ScenarioName, Expected>): Promise<string | undefined> {
  for (const scenario of scenarios) {
    const expected = references.get(server.answersLike?.[scenario.name] ?? scenario.name);
    if (!expected) continue;
    const problem = await probeServer(port, probeRequest(scenario.name, server.paths?.[scenario.name] ?? scenario.path), expected);
    if (problem) return `wrong answer, not measured: ${problem}`;
  }
  return undefined;
}

async function measureServer(server: ServerSpec, scenarios: Scenario[], references: Map<ScenarioName, Expected>): Promise<Map<ScenarioName, Row>> {
  const rows = new Map<ScenarioName, Row>();
  const port = await freePort();
  const started = server.start(port);
  const pid = started.child.pid as number;
  try {
    await waitForPort(port, started.child);
    // Let every worker of a pre-fork server finish booting before measuring idle memory.
    await new Promise((r) => setTimeout(r, quick ? 500 : 1500));
    const idle = treeMemory(pid);
    const wrong = await checkAnswers(server, port, scenarios, references);
    if (wrong) throw new Error(wrong);
    let warmed = false;
    for (const scenario of scenarios) {
      const path = server.paths?.[scenario.name] ?? scenario.path;
      const load: LoadOptions = { url: `http://127.0.0.1:${port}${path}`, seconds: measureSeconds, connections: CONNECTIONS, threads: 2, ...scenario.load };
      const row: Row = { server: server.name, baseline: server.baseline ?? false, runtime: server.runtime, idleRssBytes: idle.bytes, processes: idle.processes, workerRssBytes: rssPerWorker(idle), workers: server.workers };
      try {
        if (!quick || !warmed) await runWrk({ ...load, seconds: warmupSeconds });
        warmed = true;
        const sampler = sampleRss(pid);
        row.result = await runWrk(load);
        row.loadRssBytes = sampler.stop();
      } catch (error) {
        row.failure = (error as Error).message.split("\n")[0];
      }
      rows.set(scenario.name, row);
      console.log(`  ${scenario.name.padEnd(12)} ${row.result ? `${Math.round(row.result.requestsPerSecond)} req/s, ${row.result.errors} errors` : `failed: ${row.failure}`}`);
    }
  } catch (error) {
    for (const scenario of scenarios) rows.set(scenario.name, { server: server.name, baseline: false, runtime: server.runtime, workers: server.workers, failure: (error as Error).message });
    const message = (error as Error).message;
    console.log(message.startsWith("wrong answer") ? `  ${message}` : `  failed to start: ${message}\n${started.output()}`);
  } finally {
    await stopProcess(started);
  }
  return rows;
}

async function main(): Promise<void> {
  ensurePeers();
  const references = await referenceAnswers();
  const nodeSpec = values.node ?? process.env.BENCH_NODE;
  let other: OtherNode | undefined;
  try {
    other = nodeSpec ? otherNode(nodeSpec, OTHER_NODE_PROD_DIR) : undefined;
  } catch (error) {
    if (!(error instanceof OtherNodeError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const keep = (s: ServerSpec) => s.available() && (!values.only || s.name.includes(values.only)) && s.scenarios.some((name) => selected.has(name));
  let servers = [...allServers(), ...(other ? frameworkServers(other) : [])].filter(keep);
  // The installed rows and the streaming check run the packed packages: build and install them once, up front.
  try {
    const reuse = values["reuse-install"];
    if (servers.some((s) => s.installed) || runStreaming) prepareInstalledTsgi({ reuse });
    if (other && servers.some((s) => s.installed && s.runtime)) prepareInstalledTsgi({ node: other.bin, dir: other.installed.dir, reuse });
    if (other && !sqliteLoads(other)) {
      console.log(`${other.label} cannot load the better-sqlite3 built for it (npm's nodedir holds another Node's headers, see the README): its framework rows run without the database, framework-db left out`);
      servers = [...allServers(), ...frameworkServers(other, false)].filter(keep);
    }
  } catch (error) {
    if (!(error instanceof PrepareError)) throw error;
    console.error(`cannot measure tsgi as installed: ${error.message}`);
    process.exit(1);
  }
  const results = new Map<ScenarioName, Row[]>();
  const echoRows: EchoRow[] = [];
  for (const server of servers) {
    console.log(`${server.name}`);
    if (server.scenarios.includes("websocket")) {
      echoRows.push(await measureEcho(server, ECHO_LOAD));
      continue;
    }
    const scenarios = SCENARIOS.filter((s) => server.scenarios.includes(s.name) && selected.has(s.name));
    const rows = await measureServer(server, scenarios, references);
    for (const [name, row] of rows) results.set(name, [...(results.get(name) ?? []), row]);
  }

  const sections: string[] = [machineSummary(other)];
  // A quick run's one-second figures never replace the published ones: they go to an ignored folder.
  const resultsDir = join(ROOT, quick ? "bench/results/quick" : "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  for (const scenario of SCENARIOS) {
    const rows = results.get(scenario.name);
    if (!rows?.length) continue;
    const baseline = rows.find((r) => r.baseline)?.result?.requestsPerSecond ?? rows.find((r) => r.server.startsWith("node:http cluster"))?.result?.requestsPerSecond;
    sections.push(scenarioTable(scenario.title, rows, baseline));
    writeFileSync(join(resultsDir, `${scenario.name}.svg`), barChartSvg(scenario.title, rows));
  }
  if (echoRows.length) {
    sections.push(echoTable(WEBSOCKET_TITLE, echoRows, ECHO_LOAD));
    const bars = echoRows.flatMap((r) => (r.messagesPerSecond === undefined ? [] : [{ label: r.server, value: r.messagesPerSecond, baseline: r.baseline }]));
    writeFileSync(join(resultsDir, "websocket.svg"), barsSvg(WEBSOCKET_TITLE, bars, "messages/s"));
  }
  if (runStreaming) sections.push(await runStreamingCheck(quick ? 128 : 1024));

  const markdown = sections.join("\n\n") + "\n";
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(join(resultsDir, `${date}${quick ? "-quick" : ""}.md`), `# Benchmark results\n\n${markdown}`);
  writeFileSync(join(resultsDir, "latest.md"), `# Benchmark results\n\n${markdown}`);
  if (!values["no-readme"] && !quick) updateReadme(markdown);
  console.log(`\n${markdown}`);
}

function updateReadme(markdown: string): void {
  const readme = join(ROOT, "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const block = `${start}\n![requests/s, hello world](bench/results/hello.svg)\n\n${markdown}${end}`;
  const next = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*${end}`), block) : `${text}\n## Benchmarks\n\n${block}\n`;
  writeFileSync(readme, next);
}

await main();
