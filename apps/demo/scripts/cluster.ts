/**
 * `pnpm --filter @tsgi/demo cluster`: the demo as three tsgi-worker instances behind one nginx, the
 * deployment docs/deploy.md describes, with that guide's nginx configuration. Migrations and
 * collectstatic run once, then the instances start (one worker each) and nginx balances over them,
 * serving /static/ itself. Ctrl-C stops everything (by pid) and removes nginx's temporary folder.
 *
 * On one machine the instances share the SQLite file and the session folder (DEMO_DATA_DIR); the
 * chat's groups are per instance (the demo's tsgi.ts uses the in-process channel layer), so a chat
 * message reaches the sockets of the instance it was sent to only. Across machines the guide's
 * PostgreSQL, Redis and RedisChannelLayer settings apply. Needs the nginx binary (Debian: nginx).
 *
 * Environment: PORT (nginx, default 8080), INSTANCES (3), NGINX (/usr/sbin/nginx).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

function start(command: string, args: string[], name: string): ChildProcess {
  const child = spawn(command, args, { cwd: demoDir, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, INSTANCE: name } });
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

process.on("SIGINT", () => void stopAll().then(() => process.exit(0)));
process.on("SIGTERM", () => void stopAll().then(() => process.exit(0)));

// The SQLite file and session folder the instances share (settings.ts reads DEMO_DATA_DIR the same way).
mkdirSync(join(process.env.DEMO_DATA_DIR ?? join(demoDir, "data"), "sessions"), { recursive: true });
// Once per deploy, never by each instance.
manage(["migrate"]);
manage(["collectstatic", "--noinput"]);

const ports = Array.from({ length: count }, (_, i) => port + 1 + i);
for (const [i, instancePort] of ports.entries()) {
  start(process.execPath, [workerBin, "-b", `127.0.0.1:${instancePort}`, "-w", "1", "src/tsgi.ts:application"], `instance ${i + 1}`);
}
try {
  await Promise.all(ports.map(waitForPort));
  prefix = mkdtempSync(join(tmpdir(), "tsgi-demo-nginx-"));
  writeFileSync(
    join(prefix, "nginx.conf"),
    nginxConf(prefix, {
      UPSTREAM_SERVERS: ports.map((p) => `server 127.0.0.1:${p} max_fails=2 fail_timeout=5s;`).join("\n    "),
      LISTEN: `127.0.0.1:${port}`,
      STATIC_ROOT: join(demoDir, "staticfiles"),
    }),
  );
  start(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")], "nginx");
  await waitForPort(port);
} catch (error) {
  await stopAll();
  fail(error instanceof Error ? error.message : String(error));
}
process.stdout.write(`\ncluster: http://127.0.0.1:${port}/ (nginx) -> ${ports.map((p) => `127.0.0.1:${p}`).join(", ")}; nginx's folder: ${prefix}; Ctrl-C stops all\n`);
