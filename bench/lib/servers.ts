import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { frameworkServers } from "./frameworkServers.js";
import { CORES, gunicorn, has, hasDjango, hasUwsgi, node, nodePeer, PYTHON_ENV, tsgiWorker } from "./launchers.js";
import { APPS, ROOT } from "./paths.js";
import { startProcess, type Started } from "./processes.js";
import type { ScenarioName, ServerSpec } from "./serverSpec.js";
import { websocketServers } from "./websocketServers.js";

export { CORES, has, hasDjango, hasUwsgi, ROOT };
export { frameworkServers } from "./frameworkServers.js";
export type { ScenarioName, ServerSpec } from "./serverSpec.js";
export { WS_CONNECTIONS, WS_IDLE_SOCKETS } from "./websocketServers.js";
/** The TypeScript app as the workspace's dev servers run it (through tsx). */
const TSGI_APP = join(APPS, "tsgi_bench.ts") + ":application";

const BASIC: ScenarioName[] = ["hello", "stream64k", "post1m", "hello-close", "hello-pipelined"];

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

