/**
 * The servers one TSGI app is moved between, unchanged: each starts the same
 * `module:export` and gives back a client for it. Child processes for the CLIs,
 * in-process servers for the libraries; every one closed in teardown.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { isApplication, type Application } from "tsgi";
import { toFetchHandler } from "tsgi/fetch";
import { createServer } from "tsgi/node";

export const DEMO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const WORKSPACE = resolve(DEMO_DIR, "../..");

/** A request of the shared checks. */
export interface CheckRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** What a client received. */
export interface CheckResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  text(): string;
}

/** An app being served somewhere, reachable through `request`. */
export interface Served {
  request(req: CheckRequest): Promise<CheckResponse>;
  close(): Promise<void>;
}

/** A place an app can be served: `start` takes the module path and export name of the app. */
export interface ServerKind {
  name: string;
  start(modulePath: string, exportName: string, env?: Record<string, string>): Promise<Served>;
}

const decoder = new TextDecoder();

async function readResponse(response: Response): Promise<CheckResponse> {
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, text: () => decoder.decode(body) };
}

function overHttp(baseUrl: string) {
  return async (req: CheckRequest): Promise<CheckResponse> =>
    readResponse(await fetch(baseUrl + req.path, { method: req.method ?? "GET", headers: req.headers, body: req.body, redirect: "manual" }));
}

async function loadApp(modulePath: string, exportName: string): Promise<Application> {
  const module = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const app = module[exportName];
  if (!isApplication(app)) throw new Error(`${modulePath}:${exportName} is not a TSGI application`);
  return app;
}

/** Spawns a CLI server and resolves once it prints the http://127.0.0.1:PORT it listens on. */
function spawnServer(command: string[], env: Record<string, string>): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, command, {
    cwd: DEMO_DIR,
    env: { ...process.env, ...env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match && match[1] !== "0") {
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolvePromise({ request: overHttp(`http://127.0.0.1:${match[1]}`), close });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${command.join(" ")} exited (${code}) before listening:\n${output}`)));
  });
}

/** A fresh data folder per server, so one server's writes never leak into another's answers. */
export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "tsgi-demo-data-"));
}

export const tsgiDev: ServerKind = {
  name: "tsgi-dev",
  start: (modulePath, exportName, env = {}) =>
    spawnServer([join(WORKSPACE, "packages/dev-server/bin/tsgi-dev.js"), "--no-reload", "--host", "127.0.0.1", "--port", "0", `${modulePath}:${exportName}`], env),
};

export const tsgiWorker: ServerKind = {
  name: "tsgi-worker (3 workers)",
  start: (modulePath, exportName, env = {}) =>
    spawnServer([join(WORKSPACE, "packages/worker-server/bin/tsgi-worker.js"), "--workers", "3", "--bind", "127.0.0.1:0", `${modulePath}:${exportName}`], env),
};

export const nodeHttp: ServerKind = {
  name: "node:http via tsgi/node",
  async start(modulePath, exportName, env = {}) {
    Object.assign(process.env, env);
    const server = createServer(await loadApp(modulePath, exportName));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    return {
      request: overHttp(`http://127.0.0.1:${port}`),
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
  },
};

export const fetchHandler: ServerKind = {
  name: "fetch handler via toFetchHandler",
  async start(modulePath, exportName, env = {}) {
    Object.assign(process.env, env);
    const handler = toFetchHandler(await loadApp(modulePath, exportName));
    return {
      async request(req) {
        const request = new Request(`http://127.0.0.1:8000${req.path}`, { method: req.method ?? "GET", headers: req.headers, body: req.body });
        return readResponse(await handler(request));
      },
      close: async () => {},
    };
  },
};

/**
 * CGI, as the README runs it: `node --import tsx src/serve-cgi.ts`, tsgi's CGI
 * runner (`serveCgi`), executes `src/cgi.ts` (`runWithCgi`) once per request.
 */
export const cgiRunner: ServerKind = {
  name: "CGI via runWithCgi + serveCgi",
  start: (_modulePath, _exportName, env = {}) => {
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    return spawnServer(["--import", tsxLoader, join(DEMO_DIR, "src/serve-cgi.ts")], { ...env, PORT: "0" });
  },
};
