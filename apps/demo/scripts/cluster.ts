/**
 * `pnpm --filter @tsgi/demo cluster`: the demo as three tsgi-worker instances behind one nginx, the
 * deployment docs/deploy.md describes, with that guide's nginx configuration. Migrations and
 * collectstatic run once, then the instances start (one worker each) and nginx balances over them,
 * serving /static/ itself. Ctrl-C stops everything (by pid) and removes nginx's temporary folder.
 *
 * On one machine the instances share the SQLite file and the session folder (DEMO_DATA_DIR). The
 * chat's groups span the instances through Redis: the script starts a redis-server of its own (on a
 * unix socket in its temporary folder) and hands it to every instance as CHAT_REDIS_URL, so a chat
 * message sent through one instance reaches the sockets of all (tsgi.ts uses RedisChannelLayer then).
 * A CHAT_REDIS_URL already set is used instead; without redis-server the chat stays per instance,
 * with a warning. Across machines the guide's PostgreSQL and Redis settings apply. Needs the nginx
 * binary (Debian: nginx); nginx's access log (with each request's instance) is in its folder.
 *
 * Environment: PORT (nginx, default 8080), INSTANCES (3), NGINX (/usr/sbin/nginx),
 * REDIS_SERVER (redis-server), CHAT_REDIS_URL (an existing Redis for the chat).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nginxConf } from "../../../test-support/deployDoc.js";

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const workerBin = join(dirname(require.resolve("@tsgi/worker-server/package.json")), "bin", "tsgi-worker.js");
const manageBin = join(dirname(require.resolve("@tsgi/framework/package.json")), "bin", "tsgi-manage.js");
const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";
const REDIS_SERVER = process.env.REDIS_SERVER ?? "redis-server";
const port = Number(process.env.PORT ?? 8080);
const count = Number(process.env.INSTANCES ?? 3);
const children: ChildProcess[] = [];
let prefix: string | undefined;

function fail(message: string): never {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(1);
}

if (!existsSync(NGINX) || spawnSync(NGINX, ["-v"]).status !== 0) {
  fail(`the nginx binary is missing (${NGINX}): install it (Debian/Ubuntu: apt-get install nginx; macOS: brew install nginx) or set NGINX=/path/to/nginx.`);
}

function manage(args: string[]): void {
  const result = spawnSync(process.execPath, [manageBin, ...args], { cwd: demoDir, stdio: "inherit" });
  if (result.status !== 0) fail(`manage ${args.join(" ")} failed (exit ${result.status}).`);
}

function start(command: string, args: string[], name: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, { cwd: demoDir, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env, INSTANCE: name } });
  children.push(child);
  child.once("exit", (code, signal) => {
    if (!stopping) process.stderr.write(`cluster: ${name} exited (${code ?? signal})\n`);
  });
  return child;
}

let stopping = false;
async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once("exit", () => done());
          child.kill("SIGTERM");
        }),
    ),
  );
  if (prefix !== undefined) rmSync(prefix, { recursive: true, force: true });
}

async function waitForPort(target: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${target}/`, { redirect: "manual" }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`nothing answers on port ${target} after 60 s`);
}

/** Starts redis-server on a unix socket in `dir` (no port, no persistence); resolves with its URL once it accepts connections. */
async function startRedis(dir: string): Promise<string> {
  const socket = join(dir, "redis.sock");
  const config = [`port 0`, `unixsocket ${socket}`, "unixsocketperm 700", "daemonize no", `dir ${dir}`, 'save ""', "appendonly no", "loglevel warning", `logfile ${join(dir, "redis.log")}`, ""];
  writeFileSync(join(dir, "redis.conf"), config.join("\n"));
  const redis = start(REDIS_SERVER, [join(dir, "redis.conf")], "redis");
  for (let i = 0; i < 600; i++) {
    if (redis.exitCode !== null) throw new Error(`redis-server exited (${redis.exitCode}); see ${join(dir, "redis.log")}`);
    const up = await new Promise<boolean>((done) => {
      const probe = connect(socket);
      probe.once("connect", () => (probe.destroy(), done(true)));
      probe.once("error", () => done(false));
    });
    if (up) return `unix://${socket}`;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`redis-server did not open ${socket} within 60 s`);
}

process.on("SIGINT", () => void stopAll().then(() => process.exit(0)));
process.on("SIGTERM", () => void stopAll().then(() => process.exit(0)));

// The SQLite file and session folder the instances share (settings.ts reads DEMO_DATA_DIR the same way).
mkdirSync(join(process.env.DEMO_DATA_DIR ?? join(demoDir, "data"), "sessions"), { recursive: true });
// Once per deploy, never by each instance.
manage(["migrate"]);
manage(["collectstatic", "--noinput"]);

const ports = Array.from({ length: count }, (_, i) => port + 1 + i);
prefix = mkdtempSync(join(tmpdir(), "tsgi-demo-nginx-"));
let chat = process.env.CHAT_REDIS_URL;
try {
  if (chat === undefined && spawnSync(REDIS_SERVER, ["--version"]).status === 0) chat = await startRedis(prefix);
} catch (error) {
  await stopAll();
  fail(error instanceof Error ? error.message : String(error));
}
if (chat === undefined) process.stderr.write(`cluster: ${REDIS_SERVER} not found (Debian: apt-get install redis-server): the chat's groups are per instance\n`);
for (const [i, instancePort] of ports.entries()) {
  const args = [workerBin, "-b", `127.0.0.1:${instancePort}`, "-w", "1", "src/tsgi.ts:application"];
  start(process.execPath, args, `instance ${i + 1}`, chat === undefined ? {} : { CHAT_REDIS_URL: chat });
}
try {
  await Promise.all(ports.map(waitForPort));
  writeFileSync(
    join(prefix, "nginx.conf"),
    nginxConf(
      prefix,
      {
        UPSTREAM_SERVERS: ports.map((p) => `server 127.0.0.1:${p} max_fails=2 fail_timeout=5s;`).join("\n    "),
        LISTEN: `127.0.0.1:${port}`,
        STATIC_ROOT: join(demoDir, "staticfiles"),
      },
      // Which instance answered each request ($upstream_addr), logged as each one ends.
      { accessLog: join(prefix, "access.log") },
    ),
  );
  start(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")], "nginx");
  await waitForPort(port);
} catch (error) {
  await stopAll();
  fail(error instanceof Error ? error.message : String(error));
}
process.stdout.write(`\ncluster: http://127.0.0.1:${port}/ (nginx) -> ${ports.map((p) => `127.0.0.1:${p}`).join(", ")}; nginx's folder: ${prefix}; chat groups: ${chat ?? "per instance"}; Ctrl-C stops all\n`);
