/**
 * The app process under autoreload. The supervisor forks it ahead of time; it
 * warms up (tsx, the server code) and reports `standby`. On `load` it imports
 * the TARGET and reports `ready` (or `failed`); then it serves the connections
 * the supervisor hands it over IPC until told to stop, or until the supervisor
 * goes away. Warming up before the change happens is what makes reloads fast.
 */
import { Socket } from "node:net";
import { CLOSE_SERVICE_RESTART, startLifespan, type RunningLifespan } from "tsgi";
import { colorsFor } from "../log/colors.js";
import { createDevHttpServer } from "../server/devHttpServer.js";
import type { DevHttpServer } from "../server/devHttpServer.js";
import { loadApplication } from "../target/loadApplication.js";
import { CHILD_CONFIG_ENV, FLUSH_IMPORTS, serializeError } from "./messages.js";
import type { ChildConfig, ChildMessage, SupervisorMessage } from "./messages.js";

/** How long a stopping process may finish in-flight requests before it exits anyway. */
const STOP_GRACE_MS = 5_000;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function fail(error: unknown): Promise<never> {
  await send({ type: "failed", error: serializeError(error) });
  process.exit(1);
}

function readConfig(): ChildConfig {
  const text = process.env[CHILD_CONFIG_ENV];
  if (!text) throw new Error(`${CHILD_CONFIG_ENV} is not set: this module is started by tsgi-dev`);
  return JSON.parse(text) as ChildConfig;
}

/** The app's lifespan in this process: started before it serves, shut down after it drained (SPEC.md, "Lifespan"). */
let lifespan: RunningLifespan | undefined;

async function loadAndServe(config: ChildConfig): Promise<DevHttpServer> {
  const app = await loadApplication(config.target, { cwd: config.cwd });
  // A failing start-up fails the load: the supervisor shows the error and waits for the next edit.
  lifespan = await startLifespan(app);
  return createDevHttpServer(app, {
    state: lifespan.state,
    validate: config.validate,
    staticMounts: config.staticMounts,
    stdout: process.stdout,
    stdoutColors: colorsFor(process.stdout),
    stderr: process.stderr,
    stderrColors: colorsFor(process.stderr),
  });
}

/**
 * Makes sure the supervisor knows every file the app imported before it hears
 * `ready`, so an edit right after the first response is never missed. The
 * loader reports imports asynchronously; one macrotask lets them arrive.
 */
async function flushImports(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const flush = (globalThis as Record<symbol, unknown>)[FLUSH_IMPORTS];
  if (typeof flush === "function") (flush as () => void)();
}

async function stop(server: DevHttpServer | undefined): Promise<void> {
  setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
  // 1012 (service restart): open pages reconnect, to the next app process.
  if (server) await server.drain(CLOSE_SERVICE_RESTART);
  await lifespan?.shutdown().catch((error: unknown) => process.stderr.write(`tsgi-dev: lifespan shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`));
  process.exit(0);
}

function main(): void {
  // No orphans: when the supervisor dies, its IPC channel closes and this process follows
  // (the bootstrap listens for that too; this covers a channel already gone).
  if (!process.connected) process.exit(0);
  process.on("disconnect", () => process.exit(0));
  // Ctrl-C reaches the whole process group; the supervisor decides how to stop us.
  process.on("SIGINT", () => {});
  process.on("uncaughtException", (error) => void fail(error));
  process.on("unhandledRejection", (error) => void fail(error));

  const config = readConfig();
  let server: DevHttpServer | undefined;
  process.on("message", (message: SupervisorMessage, handle: unknown) => {
    if (message.type === "load") {
      loadAndServe(config).then(
        async (ready) => {
          server = ready;
          await flushImports();
          return send({ type: "ready" });
        },
        (error: unknown) => fail(error),
      );
    } else if (message.type === "connection" && handle instanceof Socket) {
      // The supervisor only hands connections to a ready process.
      if (server) server.httpServer.emit("connection", handle);
      else handle.destroy();
    } else if (message.type === "stop") {
      void stop(server);
    }
  });
  void send({ type: "standby" });
}

main();
