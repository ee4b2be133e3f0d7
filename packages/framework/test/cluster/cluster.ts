/**
 * The multi-instance test bed of issue 17: a project in a temp folder (models on PostgreSQL, cache and
 * sessions on Redis, a WebSocket chat on the Redis channel layer), N `tsgi-worker` instances each in its
 * own process group (HTTP or uwsgi), started and stopped by pid. nginx in front is nginx.ts, the load
 * generator load.ts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseSettings } from "../../src/db/settings.js";
import { NGINX } from "./nginx.js";
import { stopChild, waitForListening, waitForPort } from "./processes.js";
import type { TestHost } from "./testHost.js";

export { freePort } from "./processes.js";
export { startNginx, accessEntries, failureWindow, type Nginx, type AccessEntry } from "./nginx.js";
export { underLoad, type LoadResult } from "./load.js";

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORKER_BIN = join(packageDir, "..", "worker-server", "bin", "tsgi-worker.js");
const MANAGE_BIN = join(packageDir, "bin", "tsgi-manage.js");

/** Why the cluster tests cannot run here, or undefined. */
export function clusterUnavailable(): string | undefined {
  if (spawnSync(NGINX, ["-v"]).status !== 0) return "nginx is not installed (Debian package nginx)";
  if (spawnSync("wrk", ["--version"]).error !== undefined) return "wrk is not installed (Debian package wrk)";
  return undefined;
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
