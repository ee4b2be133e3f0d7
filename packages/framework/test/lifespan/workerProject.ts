/**
 * A throwaway project served by a real `tsgi-worker` (its own process group, stopped by pid):
 * settings.ts (DATABASES from the LIFESPAN_TEST_DATABASE environment variable, HEALTH_CHECKS on,
 * LIFESPAN_REQUIRE_DATABASES from LIFESPAN_TEST_REQUIRE, a /db/ view running one query),
 * tsgi.ts, and a hooks.ts whose LIFESPAN hook and cleanup append to events.log, so a test sees
 * what ran in the worker process and in which order.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WORKER_BIN = join(packageDir, "..", "worker-server", "bin", "tsgi-worker.js");

const SETTINGS = `
import { fileURLToPath } from "node:url";
import { defineSettings, path, HttpResponse, connections, models, sql } from "@tsgi/framework";
import { opened } from "./hooks.ts";
export const settings = defineSettings({
  SECRET_KEY: "lifespan-test-secret",
  BASE_DIR: fileURLToPath(new URL(".", import.meta.url)),
  ALLOWED_HOSTS: ["127.0.0.1"],
  DATABASES: { default: JSON.parse(process.env.LIFESPAN_TEST_DATABASE) },
  HEALTH_CHECKS: { LIVENESS_PATH: "/healthz", READINESS_PATH: "/readyz", TIMEOUT_MS: 5000 },
  LIFESPAN: [opened, "hooks.ts:second"],
  LIFESPAN_REQUIRE_DATABASES: process.env.LIFESPAN_TEST_REQUIRE === "1",
  urlpatterns: [
    path("state/", (request) => new HttpResponse(String(request.META["tsgi.state"]?.greeting))),
    path("db/", async () => {
      const { kysely } = connections.get("default");
      const { rows } = await models.runCompiled(kysely, sql\`select 42 as answer\`.compile(kysely));
      return new HttpResponse(String(rows[0].answer));
    }),
  ],
});
`;

const HOOKS = `
import { appendFileSync } from "node:fs";
const log = (line) => appendFileSync(new URL("./events.log", import.meta.url), line + "\\n");
export function opened({ state }) {
  log("start opened " + process.pid);
  state.greeting = "hello from pid " + process.pid;
  return () => log("stop opened " + process.pid);
}
export async function second() {
  log("start second " + process.pid);
  return async () => log("stop second " + process.pid);
}
`;

const TSGI = `
import { getTsgiApplication } from "@tsgi/framework";
import { settings } from "./settings.ts";
export const application = getTsgiApplication(settings);
`;

/** Creates the project folder; returns it. */
export function makeWorkerProject(): string {
  const root = mkdtempSync(join(tmpdir(), "tsgi-lifespan-"));
  mkdirSync(join(root, "node_modules", "@tsgi"), { recursive: true });
  symlinkSync(packageDir, join(root, "node_modules", "@tsgi", "framework"), "dir");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "lifespan-test", type: "module", private: true }));
  writeFileSync(join(root, "settings.ts"), SETTINGS);
  writeFileSync(join(root, "hooks.ts"), HOOKS);
  writeFileSync(join(root, "tsgi.ts"), TSGI);
  return root;
}

export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
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

/** A running `tsgi-worker -w 1` on 127.0.0.1:port. */
export class Worker {
  readonly child: ChildProcess;
  log = "";
  readonly exited: Promise<number | null>;

  constructor(
    readonly root: string,
    readonly port: number,
    database: object,
    env: Readonly<Record<string, string>> = {},
  ) {
    const args = [WORKER_BIN, "-b", `127.0.0.1:${port}`, "-w", "1", "--graceful-timeout", "10", "tsgi.ts:application"];
    this.child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, LIFESPAN_TEST_DATABASE: JSON.stringify(database) }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.child.stdout?.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.child.stderr?.on("data", (chunk: Buffer) => (this.log += chunk.toString()));
    this.exited = new Promise((done) => this.child.once("exit", (code) => done(code)));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once the port accepts connections; rejects when the master exits first. */
  async listening(): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      if (this.child.exitCode !== null) throw new Error(`tsgi-worker exited (${this.child.exitCode}) before listening:\n${this.log}`);
      const open = await new Promise<boolean>((done) => {
        const socket = connect(this.port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          done(true);
        });
        socket.once("error", () => done(false));
      });
      if (open) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`tsgi-worker did not listen within 60 s:\n${this.log}`);
  }

  /** Sends `signal` to the master; resolves with its exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(this.child.pid as number, signal);
      } catch {
        // already gone
      }
    }
    return this.exited;
  }

  /** Teardown: the whole process group, by pid, whatever state it is in. */
  kill(): void {
    try {
      process.kill(-(this.child.pid as number), "SIGKILL");
    } catch {
      // already gone
    }
  }
}
