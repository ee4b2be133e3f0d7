import { createServer } from "node:net";
import { dirname } from "node:path";
import type { AddressInfo, Server, Socket } from "node:net";
import { DevServerError } from "../errors.js";
import type { Colors } from "../log/colors.js";
import type { TextSink } from "../log/errorLog.js";
import { listenOn, portFallback, urlFor } from "../server/listen.js";
import type { StaticMount } from "../static/staticFiles.js";
import { resolveTargetModule } from "../target/loadApplication.js";
import type { TargetSpec } from "../target/parseTarget.js";
import { AppProcess } from "./appProcess.js";
import { createFailurePage } from "./failurePage.js";
import { describeFailure, printFailure, timestamp } from "./failureReport.js";
import type { Failure } from "./failureReport.js";
import type { FailurePage } from "./failurePage.js";
import { deserializeError } from "./messages.js";
import type { ChildConfig, SerializedError } from "./messages.js";
import { watchSources } from "./watcher.js";
import type { SourceWatcher } from "./watcher.js";

/** Options for {@link Supervisor.start}. */
export interface SupervisorOptions {
  host: string;
  port: number;
  /** False when the port is only the default: a taken one then moves on to the next (see portFallback). */
  portExplicit?: boolean;
  cwd: string;
  target: TargetSpec;
  validate: boolean;
  staticMounts: StaticMount[];
  watchGlobs: string[];
  stdout: TextSink;
  stdoutColors: Colors;
  stderr: TextSink;
  stderrColors: Colors;
}

/** How long an old app process may finish its in-flight requests after a reload. */
const STOP_GRACE_MS = 5_000;
/** Editors write a file in several steps; one restart per burst of events. */
const CHANGE_DEBOUNCE_MS = 25;
const traceReload = process.env.TSGI_DEV_TRACE_RELOAD === "1";

/**
 * The autoreloading parent process. It binds the listening socket once and
 * keeps it for its whole life, accepts connections (paused, unread) and hands
 * each to the current app process. On a source change it starts a fresh app
 * process; connections accepted meanwhile wait and go to it once it is ready,
 * and the old process finishes its in-flight requests and exits. If the app
 * cannot start, the error is printed and every request gets the debug page,
 * until an edit fixes it.
 *
 * @example
 * const supervisor = await Supervisor.start({ host: "127.0.0.1", port: 8000, cwd, target, ... });
 * console.log(supervisor.url);
 * process.once("SIGINT", () => void supervisor.stop());
 */
export class Supervisor {
  readonly url: string;
  readonly #options: SupervisorOptions;
  readonly #listener: Server;
  readonly #failurePage: FailurePage;
  readonly #config: ChildConfig;
  #watcher: SourceWatcher | undefined;
  #current: AppProcess | undefined;
  #starting: AppProcess | undefined;
  /** A process already warmed up (tsx and server loaded), waiting to load the app at the next change. */
  #spare: AppProcess | undefined;
  #waiting: Socket[] = [];
  #changed = new Set<string>();
  #debounce: NodeJS.Timeout | undefined;
  #stopping = false;
  #firstOutcome: { resolve(): void; reject(error: Error): void } | undefined;

  private constructor(options: SupervisorOptions, listener: Server) {
    this.#options = options;
    this.#listener = listener;
    this.url = urlFor(options.host, (listener.address() as AddressInfo).port);
    this.#failurePage = createFailurePage(options.stdout, options.stdoutColors);
    this.#config = { target: options.target, cwd: options.cwd, validate: options.validate, staticMounts: options.staticMounts };
    listener.on("connection", (socket: Socket) => this.#route(socket));
  }

  /**
   * Binds the socket, starts watching and starts the first app process. Resolves
   * once that process is ready or has failed with an error the page can show;
   * rejects (and cleans up) when the address cannot be bound or TARGET is wrong.
   */
  static async start(options: SupervisorOptions): Promise<Supervisor> {
    const entry = resolveTargetModule(options.target, options.cwd);
    // pauseOnConnect: the supervisor never reads a byte; the app process gets the socket untouched.
    const listener = createServer({ pauseOnConnect: true });
    await listenOn(listener, options.host, options.port, portFallback(options));
    const supervisor = new Supervisor(options, listener);
    try {
      supervisor.#watcher = await watchSources({
        cwd: options.cwd,
        files: [entry],
        roots: [dirname(entry)],
        globs: options.watchGlobs,
        onChange: (path) => supervisor.#onChange(path),
      });
      await new Promise<void>((resolve, reject) => {
        supervisor.#firstOutcome = { resolve, reject };
        supervisor.#startApp();
      });
    } catch (error) {
      await supervisor.stop();
      throw error;
    }
    return supervisor;
  }

  /** Stops watching and listening, lets app processes finish in-flight requests, and resolves when all have exited. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearTimeout(this.#debounce);
    this.#listener.close();
    for (const socket of this.#waiting.splice(0)) socket.destroy();
    this.#failurePage.httpServer.closeAllConnections();
    this.#spare?.kill();
    await Promise.all([this.#watcher?.close(), this.#current?.stop(graceMs), this.#starting?.stop(graceMs), this.#spare?.exited]);
  }

  /** Stops at once: app processes are killed. For a second Ctrl-C. */
  kill(): void {
    this.#stopping = true;
    this.#current?.kill();
    this.#starting?.kill();
    this.#spare?.kill();
  }

  #route(socket: Socket): void {
    if (this.#stopping) socket.destroy();
    else if (this.#current) this.#current.give(socket);
    else if (this.#starting) this.#waiting.push(socket);
    else this.#serveFailurePage(socket);
  }

  #serveFailurePage(socket: Socket): void {
    this.#failurePage.httpServer.emit("connection", socket);
    socket.resume();
  }

  #onChange(path: string): void {
    if (this.#stopping) return;
    this.#changed.add(path);
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.#reload(), CHANGE_DEBOUNCE_MS);
  }

  #reload(): void {
    const { stdout, stdoutColors: colors, cwd } = this.#options;
    const changed = [...this.#changed];
    this.#changed.clear();
    const files = changed.map((path) => (path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path));
    stdout.write(colors.cyan(`${timestamp()} ${files.join(", ")} changed, reloading\n`));
    // From now on new connections wait for the fresh process, so they see the change.
    const old = this.#current;
    this.#current = undefined;
    void old?.stop(STOP_GRACE_MS);
    this.#starting?.kill();
    // A spare that loaded one of the changed files (say, the tsgi runtime itself) is stale.
    if (this.#spare && changed.some((path) => this.#spare?.warmupFiles.has(path))) {
      this.#spare.kill();
      this.#spare = undefined;
    }
    this.#startApp();
  }

  /** Loads the app in the warm spare process if there is one, else in a fresh one. */
  #startApp(): void {
    const process = this.#spare ?? this.#spawn();
    this.#spare = undefined;
    process.load();
    this.#starting = process;
  }

  #spawn(): AppProcess {
    return new AppProcess(this.#config, {
      onReady: (process) => this.#onReady(process),
      onFailed: (process, error) => this.#onFailed(process, error),
      onImported: (files) => this.#watcher?.add(files),
      // TSGI_DEV_TRACE_RELOAD=1 (scripts/measureReload.ts sets it): when each spare is warm, to time reloads from one.
      onStandby: (process, warmupMs) => {
        if (traceReload && process.isSpare) this.#options.stdout.write(`${timestamp()} spare process warm in ${Math.round(warmupMs)} ms\n`);
      },
      onExit: (process, code, signal) => this.#onExit(process, code, signal),
    });
  }

  /** Warms the next process up once the current one has settled (not before: they would compete for CPU). */
  #prepareSpare(): void {
    if (!this.#spare && !this.#stopping) this.#spare = this.#spawn();
  }

  #onReady(process: AppProcess): void {
    if (process !== this.#starting || this.#stopping) return;
    this.#starting = undefined;
    this.#current = process;
    const { stdout, stdoutColors: colors } = this.#options;
    if (this.#firstOutcome) {
      this.#firstOutcome.resolve();
      this.#firstOutcome = undefined;
    } else {
      // Saying when no warm spare was there tells a slow reload (a cold start: Node, tsx and the server loaded first) from a slow app.
      const cold = process.warmAtLoad ? "" : " (cold start: the spare process was still warming up)";
      stdout.write(colors.green(`${timestamp()} reloaded in ${Math.round(performance.now() - (process.loadRequestedAt ?? 0))} ms${cold}\n`));
    }
    for (const socket of this.#waiting.splice(0)) process.give(socket);
    this.#prepareSpare();
  }

  #onFailed(process: AppProcess, serialized: SerializedError): void {
    if (process !== this.#starting && process !== this.#current) return;
    const error = deserializeError(serialized);
    if (this.#firstOutcome && serialized.exitCode !== undefined) {
      // A wrong TARGET (no such export, not an app) stops tsgi-dev, like a missing file does.
      this.#firstOutcome.reject(new DevServerError(serialized.message, serialized.exitCode));
      this.#firstOutcome = undefined;
      return;
    }
    this.#showFailure(process, describeFailure(process === this.#current ? "crashed" : "failed-to-start", error));
  }

  #onExit(process: AppProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (process === this.#spare) this.#spare = undefined;
    if ((process !== this.#starting && process !== this.#current) || this.#stopping) return;
    this.#showFailure(process, describeFailure("exited", undefined, signal ? `killed by ${signal}` : `exit code ${code}`));
  }

  #showFailure(process: AppProcess, failure: Failure): void {
    if (this.#starting === process) this.#starting = undefined;
    if (this.#current === process) this.#current = undefined;
    printFailure(this.#options.stderr, this.#options.stderrColors, failure);
    this.#failurePage.show(failure);
    this.#firstOutcome?.resolve();
    this.#firstOutcome = undefined;
    for (const socket of this.#waiting.splice(0)) this.#serveFailurePage(socket);
    this.#prepareSpare();
  }
}
