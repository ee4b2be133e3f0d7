import { fork } from "node:child_process";
import type { ChildProcess, StdioOptions } from "node:child_process";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Settings } from "../config/settings.js";
import { workerCredentials } from "../config/processSettings.js";
import type { WorkerInfo } from "../hooks/hooks.js";
import type { WorkerStatsSnapshot } from "../stats/workerStats.js";
import { FIRST_LISTEN_FD, isMessage } from "../worker/messages.js";
import { RUNNING_FROM_SOURCE } from "../worker/typescript.js";
import type { BootMessage, MasterMessage, WorkerMessage } from "../worker/messages.js";

/** Where a worker is in its life, as the master tracks it. */
export type WorkerState = "booting" | "ready" | "stopping";

// The worker entry next to this file: main.ts in the workspace, main.js in the published package.
const WORKER_ENTRY = fileURLToPath(new URL(RUNNING_FROM_SOURCE ? "../worker/main.ts" : "../worker/main.js", import.meta.url));
// tsx's loader, resolved from this package so workers find it wherever the app lives. Only the
// sources need it up front; compiled workers register it themselves for a TypeScript app.
const TSX_IMPORT = RUNNING_FROM_SOURCE ? ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href] : [];

/** Options for starting one worker. */
export interface SpawnOptions {
  id: number;
  age: number;
  settings: Settings;
  /** The master's listening descriptors, handed down as stdio 4, 5, ... */
  listenFds: number[];
  /** With --reuse-port, each worker opens these addresses itself instead. */
  reusePortAddresses?: Array<{ host: string; port: number }>;
}

/**
 * The master's handle on one worker process: its state, last heartbeat and last stats.
 * Emits `ready`, `bootError(message, report)`, `retire(reason)` and `exit(code, signal)`.
 *
 * @example
 * const worker = WorkerProcess.spawn({ id: 1, age: 1, settings, listenFds: [listener.handle.fd] });
 * worker.on("ready", () => log.info(`worker ${worker.pid} ready`));
 */
export class WorkerProcess extends EventEmitter {
  state: WorkerState = "booting";
  /** Set when the master asked it to retire (max-requests, HUP) and a replacement should start first. */
  retiring = false;
  lastHeartbeat = Date.now();
  /** False until the worker's runtime is up and has reported once (starting Node and tsx can take seconds). */
  reported = false;
  /** When the master sent SIGABRT for a timeout (SIGKILL follows if it is still alive). */
  abortedAt: number | undefined;
  /** When the master asked it to stop (SIGKILL follows after the graceful timeout). */
  stoppingSince: number | undefined;
  stats: WorkerStatsSnapshot | undefined;
  /**
   * Set by a --reload: the WebSocket close its graceful stop sends at once (1012, service restart, so
   * pages reconnect to the new code), instead of letting sockets run until --graceful-timeout.
   */
  closeWebSocketsOnStop: { code: number; reason: string } | undefined;
  exited = false;
  readonly bootedAt = Date.now();

  private constructor(
    readonly child: ChildProcess,
    readonly id: number,
    readonly age: number,
  ) {
    super();
  }

  static spawn(options: SpawnOptions): WorkerProcess {
    const stdio: StdioOptions = ["ignore", "inherit", "inherit", "ipc", ...options.listenFds];
    const child = fork(WORKER_ENTRY, [], {
      execPath: process.execPath,
      execArgv: [...process.execArgv.filter((arg) => !arg.startsWith("--inspect")), ...TSX_IMPORT],
      stdio,
      env: { ...process.env, TSGI_WORKER_ID: String(options.id) },
      ...workerCredentials(options.settings),
    });
    const worker = new WorkerProcess(child, options.id, options.age);
    const listeners: BootMessage["listeners"] = options.reusePortAddresses
      ? options.reusePortAddresses.map((address) => ({ ...address, reusePort: true as const }))
      : options.listenFds.map((_, index) => ({ fd: FIRST_LISTEN_FD + index }));
    worker.send({ type: "boot", settings: options.settings, id: options.id, age: options.age, listeners });
    child.on("message", (message: unknown) => worker.onMessage(message));
    child.on("exit", (code, signal) => {
      worker.exited = true;
      worker.emit("exit", code, signal);
    });
    // IPC errors (the worker died mid-send) are reported through "exit"; do not crash the master.
    child.on("error", () => {});
    return worker;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  info(): WorkerInfo {
    return { id: this.id, pid: this.pid, age: this.age };
  }

  send(message: MasterMessage): void {
    if (this.child.connected) this.child.send(message, (error) => void error);
  }

  /** Sends a signal, ignoring a process that already went away. */
  kill(signal: NodeJS.Signals): void {
    if (this.exited) return;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Graceful stop (TERM: finish in-flight requests) or quick stop (QUIT). */
  stop(graceful: boolean): void {
    if (graceful && this.closeWebSocketsOnStop !== undefined && this.state !== "stopping") this.send({ type: "closeWebSockets", ...this.closeWebSocketsOnStop });
    if (this.state !== "stopping") {
      this.state = "stopping";
      this.stoppingSince = Date.now();
    }
    this.kill(graceful ? "SIGTERM" : "SIGQUIT");
  }

  private onMessage(message: unknown): void {
    if (!isMessage<WorkerMessage>(message)) return;
    this.lastHeartbeat = Date.now();
    this.reported = true;
    switch (message.type) {
      case "heartbeat":
        this.stats = message.stats;
        break;
      case "ready":
        this.stats = message.stats;
        if (this.state === "booting") this.state = "ready";
        this.emit("ready");
        break;
      case "bootError":
        this.emit("bootError", message.message, message.report);
        break;
      case "stats":
        this.stats = message.stats;
        this.emit("stats", message.requestId);
        break;
      case "retire":
        this.emit("retire", message.reason);
        break;
    }
  }
}
