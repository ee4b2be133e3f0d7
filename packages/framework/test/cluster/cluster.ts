/**
 * The multi-instance test bed of issue 17: a project in a temp folder (models on PostgreSQL, cache and
 * sessions on Redis), N `tsgi-worker` instances each in its own process group on its own port, one nginx
 * in front whose configuration is the `nginx-http` block of docs/deploy.md, and wrk as the client.
 * Everything is started by the test and stopped by pid (process group) in teardown.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseSettings } from "../../src/db/settings.js";
import { nginxConf } from "../../../../test-support/deployDoc.js";
import type { TestHost } from "./testHost.js";

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORKER_BIN = join(packageDir, "..", "worker-server", "bin", "tsgi-worker.js");
const MANAGE_BIN = join(packageDir, "bin", "tsgi-manage.js");
const NGINX = "/usr/sbin/nginx";

/** Why the cluster tests cannot run here, or undefined. */
export function clusterUnavailable(): string | undefined {
  if (spawnSync(NGINX, ["-v"]).status !== 0) return "nginx is not installed (Debian package nginx)";
  if (spawnSync("wrk", ["--version"]).error !== undefined) return "wrk is not installed (Debian package wrk)";
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string, host = "127.0.0.1"): Promise<void> {
  await waitForListening({ port, host }, child, what);
}

/** Resolves once `target` (a TCP port or a unix socket) accepts connections; rejects when `child` exits first. */
async function waitForListening(target: { port: number; host: string } | { path: string }, child: ChildProcess, what: string): Promise<void> {
  const where = "path" in target ? target.path : `${target.host}:${target.port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(target);
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${what} did not listen on ${where} within 30 s`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", group = true): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((done) => child.once("exit", done));
  try {
    process.kill(group ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
  await exited;
}

const SETTINGS = `
import { fileURLToPath } from "node:url";
import { defineSettings, path, HttpResponse, JsonResponse, SessionMiddleware, SESSIONS_APP, caches, models } from "@tsgi/framework";

const me = () => \`instance \${process.env.INSTANCE} v\${process.env.CODE_VERSION} pid \${process.pid}\`;
export const settings = defineSettings({
  SECRET_KEY: "cluster-test-secret",
  BASE_DIR: fileURLToPath(new URL(".", import.meta.url)),
  // nginx passes the client's Host; the test also asks each instance directly, by its address.
  ALLOWED_HOSTS: ["127.0.0.1", "localhost", process.env.INSTANCE_ADDRESS ?? "localhost"],
  INSTALLED_APPS: [SESSIONS_APP],
  DATABASES: { default: JSON.parse(process.env.CLUSTER_DATABASE) },
  CACHES: { default: { BACKEND: "redis", LOCATION: process.env.CLUSTER_REDIS, KEY_PREFIX: "cluster", OPTIONS: { COMMAND_TIMEOUT_MS: 500 } } },
  SESSION_ENGINE: "cached_db",
  MIDDLEWARE: [SessionMiddleware],
  HEALTH_CHECKS: { LIVENESS_PATH: "/healthz", READINESS_PATH: "/readyz" },
  STATIC_URL: "/static/",
  STATIC_ROOT: "staticroot",
  STATICFILES_DIRS: ["assets"],
  urlpatterns: [
    path("", () => new HttpResponse(me())),
    path("login/", async (request) => {
      await request.session.cycleKey();
      await request.session.set("user", request.GET.get("user") ?? "ada");
      return new HttpResponse(me());
    }),
    path("whoami/", async (request) => new JsonResponse({ user: (await request.session.get("user")) ?? null, by: me() })),
    path("cache/", async () => {
      const cache = caches.get("default");
      await cache.add("hits", 0, null);
      return new JsonResponse({ hits: await cache.incr("hits"), by: me() });
    }),
    path("db/", async () => new JsonResponse({ sessions: await models.apps.getModel("sessions.Session").objects.count(), by: me() })),
    path("client/", (request) => new JsonResponse({ remote: request.META.REMOTE_ADDR, scheme: request.scheme, host: request.getHost() })),
  ],
});
`;

const TSGI = `
import { getTsgiApplication, withWebSockets, wsPath, JsonWebsocketConsumer, RedisChannelLayer, type GroupMessage } from "@tsgi/framework";
import { settings } from "./settings.ts";

/** ws/chat/: says which instance took the socket, then relays each message to the room on every instance. */
class Chat extends JsonWebsocketConsumer {
  override async connect(): Promise<void> {
    await this.groupAdd("room");
    await this.accept();
    await this.sendJson({ instance: process.env.INSTANCE });
  }
  override async receiveJson(content: unknown): Promise<void> {
    const text = (content as { text?: unknown }).text;
    await this.channelLayer.groupSend("room", { type: "chat.message", text: String(text), from: process.env.INSTANCE });
  }
  async chat_message(message: GroupMessage): Promise<void> {
    await this.sendJson({ text: message.text, from: message.from, to: process.env.INSTANCE });
  }
}

const http = getTsgiApplication(settings);
export const application = withWebSockets(http, [wsPath("ws/chat/", Chat)], {
  allowedHosts: settings.ALLOWED_HOSTS,
  layer: new RedisChannelLayer({ location: process.env.CLUSTER_REDIS as string, prefix: "cluster", commandTimeoutMs: 500 }),
});
`;

/** The project folder the instances run: settings, tsgi.ts, a static file, the framework linked in. */
export function makeProject(): string {
  const root = mkdtempSync(join(tmpdir(), "tsgi-cluster-"));
  mkdirSync(join(root, "node_modules", "@tsgi"), { recursive: true });
  symlinkSync(packageDir, join(root, "node_modules", "@tsgi", "framework"), "dir");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "cluster", type: "module", private: true }));
  writeFileSync(join(root, "settings.ts"), SETTINGS);
  writeFileSync(join(root, "tsgi.ts"), TSGI);
  mkdirSync(join(root, "assets", "css"), { recursive: true });
  writeFileSync(join(root, "assets", "css", "site.css"), "body { color: #123456 }\n");
  return root;
}

/** Runs `tsgi-manage ARGS` in the project; resolves with its exit code and output. */
export async function manage(root: string, env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MANAGE_BIN, ...args], { cwd: root, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once("close", done));
  return { code, output };
}

/** One tsgi-worker instance (master + workers, its own process group), on 127.0.0.1 or on its own test host. */
export class Instance {
  child: ChildProcess | undefined;
  log = "";
  version = 1;

  constructor(
    readonly index: number,
    readonly port: number,
    readonly root: string,
    readonly env: Record<string, string>,
    readonly host?: TestHost,
    /** `uwsgi`: speaks uwsgi (nginx's uwsgi_pass), on `socketPath` when given, else on its port. */
    readonly protocol: "http" | "uwsgi" = "http",
    readonly socketPath?: string,
  ) {}

  /** What `-b` gets, and what nginx's `server` line names. */
  get bind(): string {
    return this.socketPath === undefined ? `${this.address}:${this.port}` : `unix:${this.socketPath}`;
  }

  /** The address it listens on (its namespace's, or 127.0.0.1). */
  get address(): string {
    return this.host?.address ?? "127.0.0.1";
  }

  get url(): string {
    return `http://${this.address}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    // Forwarded headers are trusted from nginx only: the host side of the link, or loopback.
    const nginxAddress = this.host?.hostAddress ?? "127.0.0.1";
    const args = [WORKER_BIN, "-b", this.bind, "-w", "1", "--protocol", this.protocol, "--graceful-timeout", "5", "--forwarded-allow-ips", nginxAddress, "--pid", join(this.root, `instance${this.index}.pid`), "tsgi.ts:application"];
    const [command, commandArgs] = this.host === undefined ? [process.execPath, args] : this.host.exec(process.execPath, args);
    const child = spawn(
      command,
      commandArgs,
      { cwd: this.root, env: { ...process.env, ...this.env, INSTANCE: String(this.index), INSTANCE_ADDRESS: this.address, CODE_VERSION: String(this.version) }, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    this.child = child;
    child.stdout?.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    if (this.protocol === "uwsgi") {
      // No HTTP to ask: listening is as far as the test can see without nginx (it asks through nginx).
      await waitForListening(this.socketPath === undefined ? { port: this.port, host: this.address } : { path: this.socketPath }, child, `instance ${this.index}`);
      return;
    }
    await waitForPort(this.port, child, `instance ${this.index}`, this.address);
    await this.waitAnswering();
  }

  /** Resolves once a worker answers; returns what it said. */
  async waitAnswering(check: (body: string) => boolean = () => true): Promise<string> {
    for (let i = 0; i < 600; i++) {
      const body = await fetch(`${this.url}/`).then(
        async (res) => (res.ok ? res.text() : ""),
        () => "",
      );
      if (body !== "" && check(body)) return body;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`instance ${this.index} did not answer within 30 s:\n${this.log}`);
  }

  /** HUP to the master: new workers on the (re-read) code, old ones drained; resolves when a new worker answers. */
  async reload(): Promise<void> {
    const before = await this.waitAnswering();
    process.kill(this.pid as number, "SIGHUP");
    await this.waitAnswering((body) => body !== before);
  }

  /** Graceful stop (TERM to the master) and wait for the whole group to exit. */
  async stop(): Promise<void> {
    if (this.child !== undefined) await stopChild(this.child, "SIGTERM");
  }

  /** SIGKILL to the whole process group: master and workers die at once, connections reset. */
  async kill(): Promise<void> {
    if (this.child !== undefined) await stopChild(this.child, "SIGKILL");
  }
}

/** A running nginx. */
export interface Nginx {
  port: number;
  prefix: string;
  child: ChildProcess;
  /** Its access log so far: one line per request (see test-support/deployDoc.ts' `accessLog`). */
  accessLog(): string[];
  stop(): Promise<void>;
}

/**
 * nginx on a free port with docs/deploy.md's `nginx-http` block in front of the HTTP `upstreams`
 * (passive health checks as the guide shows them), or its `nginx-uwsgi` block in front of uwsgi ones;
 * `blocks` adds others (`nginx-tls`) with their placeholders' `values`.
 */
export async function startNginx(
  upstreams: ReadonlyArray<{ bind: string }>,
  staticRoot: string,
  blocks: ReadonlyArray<"nginx-http" | "nginx-uwsgi" | "nginx-tls"> = ["nginx-http"],
  values: Readonly<Record<string, string>> = {},
): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), "tsgi-cluster-nginx-"));
  const port = await freePort();
  const servers = upstreams.map((u) => `server ${u.bind} max_fails=2 fail_timeout=5s;`).join("\n    ");
  const accessLog = join(prefix, "access.log");
  const conf = nginxConf(prefix, { UPSTREAM_SERVERS: servers, UWSGI_SERVERS: servers, LISTEN: `127.0.0.1:${port}`, STATIC_ROOT: staticRoot, ...values }, { blocks, accessLog });
  writeFileSync(join(prefix, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")], { stdio: "ignore", detached: true });
  try {
    await waitForPort(port, child, "nginx");
  } catch (error) {
    let log = "";
    try {
      log = readFileSync(join(prefix, "error.log"), "utf8");
    } catch {
      // no log yet
    }
    await stopChild(child, "SIGTERM");
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`${String(error)}\n${log}`);
  }
  return {
    port,
    prefix,
    child,
    accessLog() {
      try {
        return readFileSync(accessLog, "utf8").split("\n").filter((line) => line !== "");
      } catch {
        return [];
      }
    },
    async stop() {
      await stopChild(child, "SIGTERM");
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** One access-log line of {@link Nginx.accessLog}. */
export interface AccessEntry {
  /** Seconds since the epoch, with milliseconds. */
  time: number;
  status: number;
  uri: string;
  /** The upstreams nginx tried, in order, and what each gave ("502", "200", or "-" when no answer). */
  upstreams: string[];
  upstreamStatuses: string[];
  seconds: number;
}

/** Parses the lines nginx wrote since `from` (an index into {@link Nginx.accessLog}). */
export function accessEntries(lines: readonly string[], from = 0): AccessEntry[] {
  return lines.slice(from).flatMap((line) => {
    const match = /^(\S+) (\d+) \S+ (\S+) "([^"]*)" "([^"]*)" (\S+)$/.exec(line);
    if (match === null) return [];
    const list = (text: string) => text.split(/[,:] (?=\S)/).map((part) => part.trim()).filter((part) => part !== "");
    return [{ time: Number(match[1]), status: Number(match[2]), uri: match[3] as string, upstreams: (match[4] as string).split(", "), upstreamStatuses: list(match[5] as string), seconds: Number(match[6]) }];
  });
}

/**
 * Failed requests of `entries` (status >= 400) counted per status, when the first and the last were
 * answered, and the span between. 499 (the client closed first) is left out: that is wrk being
 * stopped with requests in flight at the end of a run, not a failure the fault caused.
 */
export function failureWindow(entries: readonly AccessEntry[]): { byStatus: Record<string, number>; first: number; last: number; spanSeconds: number } {
  const failed = entries.filter((entry) => entry.status >= 400 && entry.status !== 499);
  const byStatus: Record<string, number> = {};
  for (const entry of failed) byStatus[entry.status] = (byStatus[entry.status] ?? 0) + 1;
  const first = failed[0]?.time ?? 0;
  const last = failed.at(-1)?.time ?? 0;
  return { byStatus, first, last, spanSeconds: Math.round((last - first) * 1000) / 1000 };
}

/** What wrk counted. */
export interface LoadResult {
  requests: number;
  /** Non-2xx/3xx responses. */
  non2xx: number;
  /** connect + read + write + timeout socket errors. */
  socketErrors: number;
  /** wrk's slowest response, as it prints it (reported, never asserted). */
  maxLatency: string;
  output: string;
}

/**
 * wrk against `url` while `during` runs: the load starts first, the fault or deploy runs under it,
 * and wrk is stopped (SIGINT: it prints its counts) `settleSeconds` after `during` finished, bounded
 * by wrk's own 120 s. Counts failures, never timings.
 *
 * @example
 * const result = await underLoad(`${base}/`, 1, () => instance.kill());
 */
export async function underLoad(url: string, settleSeconds: number, during: () => Promise<void>): Promise<LoadResult> {
  // A request that reaches an instance whose master listens but whose worker is still booting waits
  // for it (nginx's proxy_read_timeout is 30 s): slow, not failed, so wrk waits as long as nginx would.
  const child = spawn("wrk", ["-t", "1", "-c", "8", "-d", "120s", "--timeout", "31s", url], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((done) => child.once("close", () => done()));
  await new Promise((done) => setTimeout(done, 700));
  try {
    await during();
    await new Promise((done) => setTimeout(done, settleSeconds * 1000));
  } finally {
    child.kill("SIGINT");
    await closed;
  }
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0);
  if (Number.isNaN(requests)) throw new Error(`wrk output not understood:\n${output}`);
  const maxLatency = /Latency\s+\S+\s+\S+\s+(\S+)/.exec(output)?.[1] ?? "?";
  return { requests, non2xx, socketErrors, maxLatency, output };
}

export type { DatabaseSettings };

/**
 * `pg_ctl ACTION` on the test server started by test/helpers/postgres.ts (its data folder is
 * `<socketDir>/data`), as the postgres user when run as root. `restart` keeps the server's options.
 *
 * @example
 * await pgCtl(pg.socketDir, ["restart", "-m", "fast"]);
 */
export async function pgCtl(socketDir: string, args: string[]): Promise<void> {
  const { postgresBinDir } = await import("../helpers/postgres.js");
  const bin = join(postgresBinDir() as string, "pg_ctl");
  const full = [...args, "-w", "-t", "60", "-D", join(socketDir, "data"), "-l", join(socketDir, "server.log")];
  const [command, commandArgs] = process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", bin, ...full]] : [bin, full];
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once("close", done));
  if (code !== 0) throw new Error(`pg_ctl ${args.join(" ")} failed (${code}): ${output}`);
}
