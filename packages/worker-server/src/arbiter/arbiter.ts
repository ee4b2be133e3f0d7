import { checkSettingFiles } from "../config/checkFiles.js";
import { formatConfig } from "../config/printConfig.js";
import { resolveConfig } from "../config/resolve.js";
import type { ConfigSources } from "../config/resolve.js";
import type { Hooks, ArbiterInfo, WorkerInfo } from "../hooks/hooks.js";
import { runHook } from "../hooks/hooks.js";
import type { ErrorLog } from "../log/errorLog.js";
import type { ResolvedConfig } from "../config/resolvedConfig.js";
import type { Settings } from "../config/settings.js";
import { startStatsServer } from "../stats/statsServer.js";
import type { StatsServer } from "../stats/statsServer.js";
import type { ArbiterStats } from "../stats/format.js";
import { AppLoadError, parseAppTarget, resolveAppModule } from "../worker/loadApp.js";
import { WORKER_BOOT_ERROR } from "../worker/messages.js";
import { BindError, bindListeners, closeListeners, listenerUrl, startListening } from "./listeners.js";
import type { Listener } from "./listeners.js";
import { Pidfile } from "./pidfile.js";
import { setProcessTitle } from "./processTitle.js";
import { inheritedListeners, Reexec } from "./reexec.js";
import { startReloader, watchRootFor } from "./reloader.js";
import { planSockets } from "./systemdSockets.js";
import { installSignalHandlers, type MasterSignal } from "./signals.js";
import { WorkerProcess } from "./workerProcess.js";
import { errorMessage } from "tsgi/helpers";
import { limitWarnings } from "../connection/limits.js";

/** Gunicorn's exit status when workers cannot boot. */
export const WORKER_BOOT_ERROR_EXIT = 3;
/** Gunicorn's exit status when the app cannot be loaded (here: TARGET names no module). */
export const APP_LOAD_ERROR_EXIT = 4;
/** Boot failures in a row (with no worker serving) after which the master gives up. */
const MAX_BOOT_FAILURES = 3;
/** After SIGABRT for a timeout, how long a worker has before SIGKILL. */
const ABORT_GRACE_MS = 1000;
const TICK_MS = 250;
/** Time a new worker process gets to start Node and tsx and send its first heartbeat (app loading is then under --timeout). */
const STARTUP_ALLOWANCE_MS = 60_000;

/**
 * The master process (Gunicorn's Arbiter): binds the sockets, keeps `workers` worker processes
 * alive, replaces dead, stuck and retiring ones, and turns signals into reloads, resizes,
 * upgrades and stops. It never runs app code on the request path.
 *
 * @example
 * const arbiter = new Arbiter(await resolveConfig(sources), sources, log);
 * process.exitCode = await arbiter.run();
 */
export class Arbiter {
  settings: Settings;
  hooks: Hooks;
  listeners: Listener[] = [];
  readonly workers = new Map<number, WorkerProcess>();
  numWorkers: number;
  readonly startedAt = Date.now();

  private state: "starting" | "running" | "stopping" = "starting";
  private age = 0;
  private readonly slotSpawns = new Map<number, number>();
  private bootFailuresInRow = 0;
  /** Boot errors already logged with their stack since a worker was last ready. */
  private readonly bootErrorsLogged = new Set<string>();
  private nextSpawnAt = 0;
  private whenReadyCalled = false;
  private pidfile: Pidfile | undefined;
  private tick: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private exitCode = 0;
  private finish!: (code: number) => void;
  private readonly done = new Promise<number>((resolve) => (this.finish = resolve));
  private signalChain = Promise.resolve();
  private uninstallSignals: (() => void) | undefined;
  private statsServer: StatsServer | undefined;
  private reloader: { close(): Promise<void> } | undefined;
  private readonly reexec: Reexec;
  /** Serving systemd's sockets (socket activation) rather than the `-b` binds. */
  private socketActivated = false;

  constructor(
    config: ResolvedConfig,
    private readonly sources: ConfigSources,
    readonly log: ErrorLog,
  ) {
    this.settings = config.settings;
    this.hooks = config.hooks;
    this.numWorkers = config.settings.workers;
    this.reexec = new Reexec(this.log);
  }

  /** What hooks see as `arbiter`. */
  info(): ArbiterInfo {
    return { pid: process.pid, settings: this.settings, log: this.log, workers: () => this.liveWorkers().map((worker) => worker.info()) };
  }

  /** Starts everything; resolves with the exit status once the master has stopped. */
  async run(): Promise<number> {
    // TARGET is checked before anything starts (file system only: the master never imports the app
    // unless --preload), so a typo is one line, not one stack per worker and "failed to boot".
    const targetError = this.checkTarget(this.settings);
    if (targetError !== undefined) {
      this.log.critical(`Failed to load application: ${targetError}`);
      return APP_LOAD_ERROR_EXIT;
    }
    setProcessTitle("master", this.settings.name ?? this.settings.app);
    this.log.info(`Starting tsgi-worker (pid: ${process.pid}, node ${process.version})`);
    for (const warning of limitWarnings(this.settings)) this.log.warning(warning);
    // As Gunicorn at --log-level debug: the settings in force, in --print-config's form.
    this.log.debug(`Current configuration:\n${formatConfig({ settings: this.settings, hooks: this.hooks }).trimEnd().replace(/^/gm, "  ")}`);
    await runHook(this.hooks, "onStarting", this.log, this.info());
    // The pidfile first, as Gunicorn: a second master with the same --pid stops before touching sockets.
    if (this.settings.pidfile) {
      this.pidfile = Pidfile.create(this.reexec.isChildMaster ? `${this.settings.pidfile}.2` : this.settings.pidfile, process.pid);
    }
    const reusePort = this.settings.reusePort;
    try {
      const inherited = inheritedListeners();
      const plan = planSockets(this.settings.bind, inherited, { reusePort });
      if (plan.note) this.log.info(plan.note);
      this.socketActivated = plan.activated;
      this.listeners = await bindListeners(plan.binds, inherited, { reusePort });
      // With --reuse-port the workers listen on their own sockets; the master's must never join the group.
      if (!reusePort) startListening(this.listeners, this.settings.backlog);
      if (this.settings.stats) {
        this.statsServer = await startStatsServer(this.settings.stats, () => this.collectStats()).catch((error: unknown) => {
          throw new BindError(errorMessage(error));
        });
      }
    } catch (error) {
      closeListeners(this.listeners, true);
      this.pidfile?.unlink();
      throw error;
    }
    const scheme = this.settings.protocol === "uwsgi" ? "uwsgi" : this.settings.certfile ? "https" : "http";
    for (const listener of this.listeners) this.log.info(`Listening at: ${listenerUrl(listener, scheme)} (${process.pid})`);
    if (this.statsServer) this.log.info(`Stats at: ${this.statsServer.url}`);
    this.uninstallSignals = installSignalHandlers((signal) => this.queueSignal(signal));
    if (this.settings.reload) await this.startReloader();
    this.state = "running";
    this.manageWorkers();
    this.tick = setInterval(() => this.onTick(), TICK_MS);
    return this.done;
  }

  // ---- workers -------------------------------------------------------------------------

  private liveWorkers(): WorkerProcess[] {
    return [...this.workers.values()].filter((worker) => !worker.exited);
  }

  /** Workers counted toward `numWorkers`: not stopping and not waiting for a replacement. */
  private activeWorkers(): WorkerProcess[] {
    return this.liveWorkers().filter((worker) => worker.state !== "stopping" && !worker.retiring);
  }

  /** Starts or stops workers until `numWorkers` are active (Gunicorn's manage_workers). */
  manageWorkers(): void {
    if (this.state !== "running") return;
    const active = this.activeWorkers().sort((a, b) => a.age - b.age);
    if (active.length > this.numWorkers) {
      for (const worker of active.slice(0, active.length - this.numWorkers)) worker.stop(true);
    }
    this.releaseRetiring();
    if (active.length >= this.numWorkers || Date.now() < this.nextSpawnAt) return;
    const usedSlots = new Set(active.map((worker) => worker.id));
    for (let missing = this.numWorkers - active.length, slot = 1; missing > 0; slot++) {
      if (usedSlots.has(slot)) continue;
      this.spawnWorker(slot);
      missing--;
    }
  }

  /**
   * Retiring workers (HUP, --reload, max-requests) serve until enough replacements are ready: those
   * beyond `numWorkers` minus the ready ones drain now, oldest first. So capacity never dips during a
   * reload, and none lingers when the target shrank meanwhile (a TTOU while the new set boots).
   */
  private releaseRetiring(): void {
    const ready = this.activeWorkers().filter((worker) => worker.state === "ready").length;
    const retiring = this.liveWorkers()
      .filter((worker) => worker.retiring && worker.state !== "stopping")
      .sort((a, b) => a.age - b.age);
    const excess = retiring.length - Math.max(0, this.numWorkers - ready);
    for (const worker of retiring.slice(0, Math.max(0, excess))) worker.stop(true);
  }

  private spawnWorker(slot: number): void {
    const age = ++this.age;
    void runHook(this.hooks, "preFork", this.log, this.info(), { id: slot, age });
    const worker = WorkerProcess.spawn({
      id: slot,
      age,
      settings: this.settings,
      listenFds: this.settings.reusePort ? [] : this.listeners.map((listener) => listener.handle.fd),
      ...(this.settings.reusePort ? { reusePortAddresses: this.listeners.flatMap((listener) => (listener.address.kind === "tcp" ? [listener.address] : [])) } : {}),
    });
    this.slotSpawns.set(slot, (this.slotSpawns.get(slot) ?? 0) + 1);
    this.workers.set(worker.pid, worker);
    this.log.info(`Booting worker with pid: ${worker.pid}`);
    void runHook(this.hooks, "postFork", this.log, this.info(), worker.info());
    worker.on("ready", () => this.onWorkerReady(worker));
    worker.on("bootError", (message: string, report: string) => this.onBootError(worker, message, report));
    worker.on("retire", (reason: string) => this.retire(worker, reason));
    worker.on("exit", (code: number | null, signal: NodeJS.Signals | null) => this.onWorkerExit(worker, code, signal));
  }

  /** Logs a worker's boot error: with its stack the first time, in one line when other workers fail alike. */
  private onBootError(worker: WorkerProcess, message: string, report: string): void {
    if (this.bootErrorsLogged.has(message)) {
      this.log.error(`Worker (pid:${worker.pid}) failed to boot: ${message.split("\n")[0]} (same error as above)`);
      return;
    }
    this.bootErrorsLogged.add(message);
    // The report is "Name: message" then the frames: the message once, then the frames.
    const at = report.indexOf(message);
    const frames = at >= 0 ? report.slice(at + message.length) : `\n${report}`;
    this.log.error(`Worker (pid:${worker.pid}) failed to boot: ${message}${frames}`);
  }

  private onWorkerReady(worker: WorkerProcess): void {
    this.bootFailuresInRow = 0;
    this.bootErrorsLogged.clear();
    if (worker.state === "stopping") return;
    this.log.info(`Worker ready (pid: ${worker.pid})`);
    // One new worker ready lets one retiring worker go: capacity never drops below numWorkers.
    this.manageWorkers();
    const readyCount = this.activeWorkers().filter((candidate) => candidate.state === "ready").length;
    if (!this.whenReadyCalled && readyCount >= this.numWorkers) {
      this.whenReadyCalled = true;
      void runHook(this.hooks, "whenReady", this.log, this.info());
    }
  }

  /** Replaces `worker` without dropping a request: its successor starts, then it stops gracefully. */
  retire(worker: WorkerProcess, reason: string): void {
    if (worker.retiring || worker.state === "stopping") return;
    this.log.info(`Retiring worker (pid: ${worker.pid}): ${reason}`);
    worker.retiring = true;
    this.manageWorkers();
  }

  private onWorkerExit(worker: WorkerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.workers.delete(worker.pid);
    void runHook(this.hooks, "childExit", this.log, this.info(), { ...worker.info(), exitCode: code, signal });
    if (this.state === "stopping") {
      if (this.workers.size === 0) void this.exit(this.exitCode);
      return;
    }
    if (worker.state === "booting") {
      // Exit 3 is a reported boot error; any other exit before "ready" (a crash while loading) counts the same.
      if (code !== WORKER_BOOT_ERROR) this.log.error(`Worker (pid:${worker.pid}) died while booting (${signal ?? `exit code ${code}`})`);
      this.onBootFailure(worker);
    } else if (worker.state !== "stopping") {
      if (signal) this.log.error(`Worker (pid:${worker.pid}) was sent ${signal}!${signal === "SIGKILL" && worker.abortedAt === undefined ? " Perhaps out of memory?" : ""}`);
      else this.log.error(`Worker (pid:${worker.pid}) exited with code ${code}`);
    } else {
      this.log.info(`Worker exiting (pid: ${worker.pid})`);
    }
    this.manageWorkers();
  }

  private onBootFailure(worker: WorkerProcess): void {
    this.bootFailuresInRow++;
    // Spawning again at once would spin on a broken app: wait a tick.
    this.nextSpawnAt = Date.now() + 1000;
    const serving = this.liveWorkers().filter((candidate) => candidate.state === "ready");
    const retiring = serving.filter((candidate) => candidate.retiring);
    if (retiring.length > 0) {
      // A reload (HUP, --reload, max-requests) whose new code does not boot: keep the old workers serving.
      this.log.error(`Reload failed: a new worker (pid:${worker.pid}) could not boot; keeping the ${retiring.length} current worker(s)`);
      for (const old of retiring) old.retiring = false;
      for (const booting of this.liveWorkers().filter((candidate) => candidate.state === "booting")) booting.stop(false);
      return;
    }
    if (serving.length === 0 && this.bootFailuresInRow >= MAX_BOOT_FAILURES) {
      this.log.critical(`Worker failed to boot. (${this.bootFailuresInRow} attempts in a row; see the error above)`);
      void this.stop(true, WORKER_BOOT_ERROR_EXIT);
    }
  }

  private onTick(): void {
    const now = Date.now();
    const timeoutMs = this.settings.timeout * 1000;
    for (const worker of this.liveWorkers()) {
      if (worker.abortedAt !== undefined) {
        if (now - worker.abortedAt >= ABORT_GRACE_MS) worker.kill("SIGKILL");
      } else if (timeoutMs > 0 && now - worker.lastHeartbeat > (worker.reported ? timeoutMs : Math.max(timeoutMs, STARTUP_ALLOWANCE_MS))) {
        this.log.critical(`WORKER TIMEOUT (pid: ${worker.pid})`);
        worker.abortedAt = now;
        worker.kill("SIGABRT");
      } else if (worker.stoppingSince !== undefined && now - worker.stoppingSince > this.settings.gracefulTimeout * 1000 + ABORT_GRACE_MS) {
        worker.kill("SIGKILL");
      }
    }
    this.reexec.checkPromotion(this.pidfile, this.settings);
    this.manageWorkers();
  }

  // ---- signals -------------------------------------------------------------------------

  private queueSignal(signal: MasterSignal): void {
    // One at a time, in arrival order, as Gunicorn's signal queue: a HUP never overlaps a HUP.
    this.signalChain = this.signalChain.then(() => this.handleSignal(signal)).catch((error: unknown) => this.log.exception(`Error handling ${signal}`, error));
  }

  private async handleSignal(signal: MasterSignal): Promise<void> {
    this.log.info(`Handling signal: ${signal.slice(3).toLowerCase()}`);
    if (this.state === "stopping" && signal !== "SIGINT" && signal !== "SIGQUIT") return;
    switch (signal) {
      case "SIGHUP":
        return this.reload();
      case "SIGTERM":
        return this.stop(true, 0);
      case "SIGINT":
      case "SIGQUIT":
        return this.stop(false, 0);
      case "SIGTTIN":
        this.numWorkers++;
        this.manageWorkers();
        return;
      case "SIGTTOU":
        if (this.numWorkers > 1) this.numWorkers--;
        this.manageWorkers();
        return;
      case "SIGUSR1":
        this.log.reopen();
        this.log.info("Reopened log files");
        for (const worker of this.liveWorkers()) worker.send({ type: "reopenLogs" });
        return;
      case "SIGUSR2":
        this.reexec.start({ listeners: this.listeners, pidfile: this.pidfile, argv: this.sources.argv, cwd: this.sources.cwd, socketActivated: this.socketActivated });
        return;
      case "SIGWINCH":
        if (!this.reexec.hasChild && process.stdin.isTTY) {
          this.log.debug("SIGWINCH ignored. Not daemonized");
          return;
        }
        this.log.info("graceful stop of workers");
        this.numWorkers = 0;
        for (const worker of this.liveWorkers()) worker.stop(true);
        return;
    }
  }

  /** Why TARGET cannot be loaded, if the file system already says so (missing module file, empty TARGET). */
  private checkTarget(settings: Settings): string | undefined {
    try {
      resolveAppModule(parseAppTarget(settings.app ?? ""), this.sources.cwd);
      return undefined;
    } catch (error) {
      if (error instanceof AppLoadError) return error.message;
      throw error;
    }
  }

  /** HUP: re-read the configuration, start a new set of workers, retire the old set as they come up. */
  async reload(): Promise<void> {
    let config: ResolvedConfig;
    try {
      config = await resolveConfig({ ...this.sources, env: process.env });
      checkSettingFiles(config.settings);
      const targetError = this.checkTarget(config.settings);
      if (targetError !== undefined) throw new AppLoadError(targetError);
    } catch (error) {
      this.log.error(`Reload aborted, keeping the current configuration: ${errorMessage(error)}`);
      return;
    }
    if (config.settings.bind.join() !== this.settings.bind.join()) {
      this.log.warning("bind changed in the configuration: a HUP keeps the current sockets; use USR2 to rebind");
      config.settings.bind = this.settings.bind;
    }
    this.settings = config.settings;
    for (const warning of limitWarnings(this.settings)) this.log.warning(warning);
    this.hooks = config.hooks;
    this.numWorkers = config.settings.workers;
    this.log.configure({ file: this.settings.errorLogfile, level: this.settings.logLevel });
    setProcessTitle("master", this.settings.name ?? this.settings.app);
    await runHook(this.hooks, "onReload", this.log, this.info());
    this.reloadWorkers();
  }

  /** Replaces every worker, new ones first (HUP, --reload); `closeWebSockets` closes their sockets as each stops. */
  reloadWorkers(closeWebSockets?: { code: number; reason: string }): void {
    for (const worker of this.activeWorkers()) {
      worker.retiring = true;
      worker.closeWebSocketsOnStop = closeWebSockets;
    }
    this.manageWorkers();
  }

  /** Stops the master: gracefully (TERM: in-flight requests finish) or quickly (INT/QUIT). */
  async stop(graceful: boolean, exitCode: number): Promise<void> {
    const escalate = this.state === "stopping";
    if (!escalate) {
      this.state = "stopping";
      this.exitCode = exitCode;
      // Sockets stay in place for a USR2 successor (ours, or our parent's when we are the successor).
      closeListeners(this.listeners, !this.reexec.hasChild && !this.reexec.isChildMaster);
      // A worker cuts what is left itself at --graceful-timeout (and runs its workerExit hook);
      // SIGKILL only one grace later, for a worker that cannot, as for a HUP or TTOU's draining worker.
      this.killTimer = setTimeout(() => {
        for (const worker of this.liveWorkers()) worker.kill("SIGKILL");
      }, this.settings.gracefulTimeout * 1000 + ABORT_GRACE_MS);
    } else if (graceful) {
      return;
    }
    this.log.info(graceful ? "Shutting down gracefully" : "Shutting down: Master");
    for (const worker of this.liveWorkers()) worker.stop(graceful);
    if (this.liveWorkers().length === 0) await this.exit(this.exitCode);
  }

  private exiting = false;

  private async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    clearInterval(this.tick);
    clearTimeout(this.killTimer);
    this.uninstallSignals?.();
    await this.reloader?.close();
    await this.statsServer?.close();
    await runHook(this.hooks, "onExit", this.log, this.info());
    this.pidfile?.unlink();
    this.log.info(`Shutting down: Master (exit status ${code})`);
    this.finish(code);
  }

  private async startReloader(): Promise<void> {
    const paths = [...this.settings.reloadExtraFiles];
    if (this.settings.app) paths.push(watchRootFor(resolveAppModule(parseAppTarget(this.settings.app), this.sources.cwd)));
    const reloader = startReloader({
      paths,
      onChange: (path) => {
        this.log.info(`Worker reloading: ${path} modified`);
        // Development: open WebSockets get 1012 (service restart) as soon as the new workers serve, so pages reconnect to the new code.
        this.reloadWorkers({ code: 1012, reason: "reloading" });
      },
    });
    await reloader.ready;
    this.reloader = reloader;
  }

  // ---- stats ---------------------------------------------------------------------------

  private statsRequestId = 0;

  /** Fresh counters from every worker (a stuck worker's last heartbeat is used after 1 s). */
  async collectStats(): Promise<ArbiterStats> {
    const requestId = ++this.statsRequestId;
    const workers = this.liveWorkers();
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(done, 1000);
            function done() {
              clearTimeout(timer);
              worker.off("stats", onStats);
              worker.off("exit", done);
              resolve();
            }
            function onStats(id: number) {
              if (id === requestId) done();
            }
            worker.on("stats", onStats);
            worker.once("exit", done);
            worker.send({ type: "statsRequest", requestId });
          }),
      ),
    );
    return {
      master: { pid: process.pid, startedAt: this.startedAt, targetWorkers: this.numWorkers, restarts: this.totalRestarts() },
      workers: workers
        .sort((a, b) => a.id - b.id || a.age - b.age)
        .map((worker) => ({ ...workerSummary(worker.info()), state: worker.state, restarts: (this.slotSpawns.get(worker.id) ?? 1) - 1, stats: worker.stats })),
    };
  }

  private totalRestarts(): number {
    let total = 0;
    for (const spawns of this.slotSpawns.values()) total += spawns - 1;
    return total;
  }
}

function workerSummary(info: WorkerInfo): WorkerInfo {
  return { id: info.id, pid: info.pid, age: info.age };
}
