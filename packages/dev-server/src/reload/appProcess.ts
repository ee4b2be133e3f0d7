import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { CHILD_CONFIG_ENV } from "./messages.js";
import type { ChildConfig, ChildMessage, SerializedError, SupervisorMessage } from "./messages.js";

// The bootstrap is JavaScript in both forms (it registers tsx, so it cannot need it); the child
// module it runs is child.ts from the sources, child.js from the published dist/.
const BOOTSTRAP = fileURLToPath(new URL("./childBootstrap.mjs", import.meta.url));
const CHILD = fileURLToPath(new URL(new URL(import.meta.url).pathname.endsWith(".ts") ? "./child.ts" : "./child.js", import.meta.url));

/** What an app process reports to the supervisor. */
export interface AppProcessEvents {
  onReady(process: AppProcess): void;
  onFailed(process: AppProcess, error: SerializedError): void;
  onImported(files: string[]): void;
  /** Warmed up (tsx, esbuild's service and the server loaded), before being asked to load the app. */
  onStandby?(process: AppProcess, warmupMs: number): void;
  onExit(process: AppProcess, code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * One forked app process (see `child.ts`), seen from the supervisor. It starts
 * warming up at once; `load()` makes it import the app (as soon as it is warm);
 * then it can be given connections, stopped gracefully, or killed.
 *
 * @example
 * const app = new AppProcess(config, events);
 * app.load();
 * app.give(socket);
 * await app.stop(5_000);
 */
export class AppProcess {
  /** Files this process imported while warming up: if one changes, the warm process is stale. */
  readonly warmupFiles = new Set<string>();
  readonly exited: Promise<void>;
  /** When `load()` was called, to report how long the reload took. */
  loadRequestedAt: number | undefined;
  /** Whether the process had finished warming up when `load()` was called (a reload from a warm spare). */
  warmAtLoad: boolean | undefined;
  readonly #child: ChildProcess;
  #standby = false;
  #hasExited = false;

  constructor(config: ChildConfig, events: AppProcessEvents) {
    const forkedAt = performance.now();
    this.#child = fork(BOOTSTRAP, [CHILD], {
      cwd: config.cwd,
      // TSGI_DEV=1 tells frameworks they run under the dev server (e.g. re-read templates whatever DEBUG says).
      env: { ...process.env, TSGI_DEV: "1", [CHILD_CONFIG_ENV]: JSON.stringify(config) },
      // Source maps make stack traces (terminal and debug page) point at the .ts lines.
      execArgv: ["--enable-source-maps"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: ChildMessage) => {
      if (message.type === "standby") {
        this.#standby = true;
        events.onStandby?.(this, performance.now() - forkedAt);
        if (this.loadRequestedAt !== undefined) this.#send({ type: "load" });
      } else if (message.type === "ready") events.onReady(this);
      else if (message.type === "failed") events.onFailed(this, message.error);
      else if (message.type === "imported") {
        if (this.loadRequestedAt === undefined) for (const file of message.files) this.warmupFiles.add(file);
        events.onImported(message.files);
      }
    });
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#hasExited = true;
        events.onExit(this, code, signal);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True while warm (or warming) and not yet asked to load the app. */
  get isSpare(): boolean {
    return this.loadRequestedAt === undefined && !this.#hasExited;
  }

  /** Imports the app, now if warm, else as soon as it is. */
  load(): void {
    if (this.loadRequestedAt !== undefined) return;
    this.loadRequestedAt = performance.now();
    this.warmAtLoad = this.#standby;
    if (this.#standby) this.#send({ type: "load" });
  }

  /** Hands an accepted connection to the process; the supervisor's copy is closed once sent. */
  give(socket: Socket): void {
    if (this.#hasExited || !this.#child.connected) {
      socket.destroy();
      return;
    }
    const message: SupervisorMessage = { type: "connection" };
    this.#child.send(message, socket, {}, (error) => {
      if (error) socket.destroy();
    });
  }

  /** Asks the process to finish in-flight requests and exit; kills it after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.#hasExited) return;
    if (!this.#send({ type: "stop" })) this.kill();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.#hasExited) this.#child.kill("SIGKILL");
  }

  #send(message: SupervisorMessage): boolean {
    if (!this.#child.connected) return false;
    this.#child.send(message, (error) => error && this.kill());
    return true;
  }
}
