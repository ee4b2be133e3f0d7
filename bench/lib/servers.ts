import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { OtherNode } from "./otherNode.js";
import { APPS, INSTALLED, PROD_DIR, ROOT, type InstalledPaths } from "./paths.js";
import { startProcess, type Started } from "./processes.js";

export { ROOT };
/** The TypeScript app as the workspace's dev servers run it (through tsx). */
const TSGI_APP = join(APPS, "tsgi_bench.ts") + ":application";
export const CORES = cpus().length;

/** The scenarios a server can take part in. */
export type ScenarioName = "hello" | "stream64k" | "post1m" | "hello-close" | "hello-pipelined" | "framework" | "framework-json" | "framework-db" | "websocket";

/** A server the suite can start on a port. */
export interface ServerSpec {
  name: string;
  /** Processes serving requests, for the RSS-per-worker figure. */
  workers: number;
  /** True for the baseline that ratios are computed against. */
  baseline?: boolean;
  scenarios: ScenarioName[];
  /** Path of each scenario on this server, when it differs from the default. */
  paths?: Partial<Record<ScenarioName, string>>;
  /** Scenarios whose route answers like another scenario's (the framework-free page is the hello route). */
  answersLike?: Partial<Record<ScenarioName, ScenarioName>>;
  /** True when it runs the packed-and-installed packages in bench/.prod (run.ts prepares them first). */
  installed?: boolean;
  /** Set on the rows run by another Node (`--node 24`): their ratios are to that Node's node:http cluster. */
  runtime?: string;
  available(): boolean;
  start(port: number): Started;
}

const BASIC: ScenarioName[] = ["hello", "stream64k", "post1m", "hello-close", "hello-pipelined"];
const node = process.execPath;

function nodePeer(server: string, workers: number, bin = node, env?: NodeJS.ProcessEnv): (port: number) => Started {
  return (port) => startProcess(bin, [join(APPS, "node-peers.mjs"), "--server", server, "--port", String(port), "--workers", String(workers)], { cwd: ROOT, env });
}

/** True when a peer program is installed (from Debian's packages). */
export function has(command: string): boolean {
  return ["/usr/bin", "/usr/sbin", "/usr/local/bin"].some((dir) => existsSync(join(dir, command)));
}

let djangoFound: boolean | undefined;
/** True when Debian's Python (the one Debian's gunicorn runs) can import Django (python3-django). */
export function hasDjango(): boolean {
  djangoFound ??= spawnSync("/usr/bin/python3", ["-c", "import django"], { stdio: "ignore" }).status === 0;
  return djangoFound;
}

/** True when uWSGI and the plugins its peer loads (python3, transformation_chunked) are installed. */
export function hasUwsgi(): boolean {
  return has("uwsgi") && ["python3", "transformation_chunked"].every((plugin) => existsSync(`/usr/lib/uwsgi/plugins/${plugin}_plugin.so`));
}

// Python peers must not write __pycache__ into bench/apps.
const PYTHON_ENV = { env: { PYTHONDONTWRITEBYTECODE: "1" } };

function gunicorn(workers: number, target: string, extra: string[] = []) {
  return (port: number) => startProcess("gunicorn", ["-w", String(workers), ...extra, "-b", `127.0.0.1:${port}`, "--chdir", APPS, target], PYTHON_ENV);
}

/** wrk's connection count in the keep-alive scenarios: uWSGI gets a thread for each (see uwsgi() below). */
export const CONNECTIONS = 64;
const UWSGI_THREADS = Math.ceil(CONNECTIONS / CORES);

/**
 * uWSGI speaking HTTP/1.1 itself (--http11-socket, keep-alive). Its sync threads each hold
 * one keep-alive connection until the client leaves, so the processes get CONNECTIONS threads
 * in all; it ignores a request's "Connection: close", so a route adds the header to the
 * answer and the client closes; responses of unknown length (/stream, /upload) go through
 * the chunked transformation, as uWSGI does not frame them itself.
 */
function uwsgi(port: number): Started {
  return startProcess("uwsgi", [
    "--plugin", "python3,transformation_chunked", "--http11-socket", `127.0.0.1:${port}`, "--master",
    "--processes", String(CORES), "--threads", String(UWSGI_THREADS), "--tcp-nodelay",
    "--route", "^/(stream|upload)$ chunked:", "--route-if", "equal:${HTTP_CONNECTION};close addheader:Connection: close",
    "--chdir", APPS, "--wsgi-file", join(APPS, "wsgi_app.py"), "--disable-logging", "--die-on-term", "--need-app",
  ], PYTHON_ENV);
}

/**
 * tsgi-worker as users run it: the bin of the installed @tsgi/worker-server (its compiled
 * dist/, no tsx) serving a compiled .mjs app, from the install folder as its project.
 */
function tsgiWorker(workers: number, target: string = INSTALLED.helloApp, installed: InstalledPaths = INSTALLED, bin = node) {
  return (port: number) => startProcess(bin, [installed.workerBin, "-w", String(workers), "-b", `127.0.0.1:${port}`, target], { cwd: installed.dir });
}

/** tsgi-worker from the workspace: its bin runs src/ through tsx, and tsx loads the .ts app. */
function tsgiWorkerFromSource(workers: number) {
  return (port: number) =>
    startProcess(node, [join(ROOT, "packages/worker-server/bin/tsgi-worker.js"), "-w", String(workers), "-b", `127.0.0.1:${port}`, TSGI_APP], { cwd: ROOT });
}

function nginxCeiling(port: number): Started {
  const prefix = mkdtempSync(join(tmpdir(), "bench-nginx-"));
  const conf = join(prefix, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes ${CORES};
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "Hello, World!"; }
  }
}
`,
  );
  return startProcess("/usr/sbin/nginx", ["-p", prefix, "-c", conf]);
}

/** Every server of the suite, in the order the tables list them. */
export function allServers(): ServerSpec[] {
  return [
    { name: `tsgi-worker (1 worker)`, workers: 1, scenarios: BASIC, installed: true, available: () => true, start: tsgiWorker(1) },
    { name: `tsgi-worker (${CORES} workers)`, workers: CORES, scenarios: BASIC, installed: true, available: () => true, start: tsgiWorker(CORES) },
    // The cost of running from source (tsx's loader thread and esbuild service in every process), hello only.
    { name: `tsgi-worker (${CORES} workers, sources via tsx)`, workers: CORES, scenarios: ["hello"], available: () => true, start: tsgiWorkerFromSource(CORES) },
    ...frameworkServers(),
    {
      name: "tsgi-dev",
      workers: 1,
      scenarios: BASIC,
      available: () => true,
      start: (port) =>
        startProcess(node, [join(ROOT, "packages/dev-server/bin/tsgi-dev.js"), "--no-reload", "--host", "127.0.0.1", "--port", String(port), TSGI_APP], { cwd: ROOT }),
    },
    { name: "node:http (1 process)", workers: 1, scenarios: BASIC, available: () => true, start: nodePeer("node", 1) },
    { name: `node:http cluster (${CORES})`, workers: CORES, baseline: true, scenarios: BASIC, available: () => true, start: nodePeer("node", CORES) },
    { name: `Fastify cluster (${CORES})`, workers: CORES, scenarios: BASIC, available: () => true, start: nodePeer("fastify", CORES) },
    { name: `Express cluster (${CORES})`, workers: CORES, scenarios: BASIC, available: () => true, start: nodePeer("express", CORES) },
    { name: `Hono cluster (${CORES})`, workers: CORES, scenarios: BASIC, available: () => true, start: nodePeer("hono", CORES) },
    { name: `Gunicorn sync (${CORES})`, workers: CORES, scenarios: BASIC, available: () => has("gunicorn"), start: gunicorn(CORES, "wsgi_app:application") },
    {
      name: `Gunicorn gthread (${CORES}x4)`,
      workers: CORES,
      scenarios: BASIC,
      available: () => has("gunicorn"),
      start: gunicorn(CORES, "wsgi_app:application", ["-k", "gthread", "--threads", "4"]),
    },
    {
      name: `Django under Gunicorn sync (${CORES})`,
      workers: CORES,
      scenarios: ["framework", "framework-json"],
      paths: { framework: "/bench/page/", "framework-json": "/bench/json/" },
      available: () => has("gunicorn") && hasDjango(),
      start: gunicorn(CORES, "django_site.wsgi:application"),
    },
    { name: `uWSGI (${CORES} processes x ${UWSGI_THREADS} threads)`, workers: CORES, scenarios: BASIC, available: hasUwsgi, start: uwsgi },
    ...websocketServers(),
    { name: `nginx return 200 (ceiling)`, workers: CORES, scenarios: ["hello", "hello-close"], available: () => has("nginx"), start: nginxCeiling },
  ];
}

const FRAMEWORK: ScenarioName[] = ["framework", "framework-json", "framework-db"];
const FRAMEWORK_PATHS = { framework: "/bench/page/", "framework-json": "/bench/json/", "framework-db": "/bench/rows/" } as const;

/**
 * The framework scenarios' rows: tsgi-worker serving the @tsgi/framework site, the node:http
 * cluster's hello route as the framework-free reference, and Fastify with @fastify/view on the
 * same templates. With `other`, the same rows run by that Node, named after it.
 */
export function frameworkServers(other?: OtherNode): ServerSpec[] {
  const suffix = other ? ` (${other.label})` : "";
  const bin = other?.bin ?? node;
  // The Fastify site loads better-sqlite3 from the install made for this Node (a native module built for its ABI).
  const fastifyEnv = other ? { BENCH_NODE_MODULES: join(other.installed.dir, "node_modules") } : undefined;
  return [
    {
      name: `tsgi-worker, framework route${suffix}`,
      workers: CORES,
      scenarios: FRAMEWORK,
      paths: FRAMEWORK_PATHS,
      installed: true,
      runtime: other?.label,
      available: () => existsSync(join(APPS, "framework_site.ts")),
      start: tsgiWorker(CORES, (other?.installed ?? INSTALLED).frameworkApp, other?.installed, bin),
    },
    {
      name: `node:http cluster (${CORES}), framework-free page${suffix}`,
      workers: CORES,
      scenarios: FRAMEWORK,
      paths: { framework: "/hello", "framework-json": "/hello", "framework-db": "/hello" },
      answersLike: { framework: "hello", "framework-json": "hello", "framework-db": "hello" },
      runtime: other?.label,
      available: () => true,
      start: nodePeer("node", CORES, bin),
    },
    {
      name: `Fastify + @fastify/view (nunjucks) cluster (${CORES})${suffix}`,
      workers: CORES,
      scenarios: FRAMEWORK,
      paths: FRAMEWORK_PATHS,
      runtime: other?.label,
      available: () => true,
      start: nodePeer("fastify-site", CORES, bin, fastifyEnv),
    },
  ];
}

/** Sockets held open idle in the WebSocket scenario, and the connections sending echoes. */
export const WS_IDLE_SOCKETS = 1000;
export const WS_CONNECTIONS = 64;

/**
 * uWSGI's own WebSocket API (apps/ws_echo_uwsgi.py): a sync thread holds each socket, so the
 * processes get a thread for every socket the scenario opens (idle and busy), plus a margin.
 */
function uwsgiWebSocket(port: number): Started {
  const threads = Math.ceil((WS_IDLE_SOCKETS + WS_CONNECTIONS + 32) / CORES);
  return startProcess("uwsgi", [
    "--plugin", "python3", "--http-socket", `127.0.0.1:${port}`, "--master", "--processes", String(CORES), "--threads", String(threads),
    "--listen", "1024", "--tcp-nodelay", "--chdir", APPS, "--wsgi-file", join(APPS, "ws_echo_uwsgi.py"), "--disable-logging", "--die-on-term", "--need-app",
  ], PYTHON_ENV);
}

/** The WebSocket echo scenario's servers: tsgi-worker against `ws` on node:http, process for process, and uWSGI. */
export function websocketServers(): ServerSpec[] {
  const websocket: ScenarioName[] = ["websocket"];
  return [
    { name: "tsgi-worker (1 worker), WebSocket echo", workers: 1, scenarios: websocket, installed: true, available: () => true, start: tsgiWorker(1, INSTALLED.echoApp) },
    { name: "ws on node:http (1 process)", workers: 1, scenarios: websocket, available: () => true, start: nodePeer("ws", 1) },
    { name: `tsgi-worker (${CORES} workers), WebSocket echo`, workers: CORES, scenarios: websocket, installed: true, available: () => true, start: tsgiWorker(CORES, INSTALLED.echoApp) },
    { name: `ws on node:http cluster (${CORES})`, workers: CORES, baseline: true, scenarios: websocket, available: () => true, start: nodePeer("ws", CORES) },
    {
      name: `uWSGI WebSocket (${CORES} processes x ${Math.ceil((WS_IDLE_SOCKETS + WS_CONNECTIONS + 32) / CORES)} threads)`,
      workers: CORES,
      scenarios: websocket,
      available: () => has("uwsgi") && existsSync("/usr/lib/uwsgi/plugins/python3_plugin.so"),
      start: uwsgiWebSocket,
    },
  ];
}
