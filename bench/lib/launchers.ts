import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { APPS, INSTALLED, ROOT, type InstalledPaths } from "./paths.js";
import { startProcess, type Started } from "./processes.js";

/** How the suite starts each kind of server: the Node peers, tsgi-worker as installed, Gunicorn, and the peer checks. */
export const CORES = cpus().length;
/** The Node running the suite, and by default every Node server. */
export const node = process.execPath;

/** Starts apps/node-peers.mjs as `server` (node, fastify, ws, fastify-site...) with `workers` processes, run by `bin`. */
export function nodePeer(server: string, workers: number, bin = node, env?: NodeJS.ProcessEnv): (port: number) => Started {
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
export const PYTHON_ENV = { env: { PYTHONDONTWRITEBYTECODE: "1" } };

/** Gunicorn serving `target` (module:callable in bench/apps) with `workers` workers. */
export function gunicorn(workers: number, target: string, extra: string[] = []) {
  return (port: number) => startProcess("gunicorn", ["-w", String(workers), ...extra, "-b", `127.0.0.1:${port}`, "--chdir", APPS, target], PYTHON_ENV);
}

/**
 * tsgi-worker as users run it: the bin of the installed @tsgi/worker-server (its compiled
 * dist/, no tsx) serving a compiled .mjs app, from the install folder as its project.
 */
export function tsgiWorker(workers: number, target: string = INSTALLED.helloApp, installed: InstalledPaths = INSTALLED, bin = node, env?: NodeJS.ProcessEnv) {
  return (port: number) => startProcess(bin, [installed.workerBin, "-w", String(workers), "-b", `127.0.0.1:${port}`, target], { cwd: installed.dir, env });
}
