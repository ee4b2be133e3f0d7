import { startLifespan, type Application, type RunningLifespan } from "tsgi";
import { loadConfigFile } from "../config/configFile.js";
import type { Settings } from "../config/settings.js";
import { runHook, runRequestHook } from "../hooks/hooks.js";
import type { Hooks, WorkerContext } from "../hooks/hooks.js";
import type { HttpServerOptions, WorkerHttpServer } from "../connection/index.js";
import { ErrorLog } from "../log/errorLog.js";
import { WorkerStats } from "../stats/workerStats.js";
import { setProcessTitle } from "../arbiter/processTitle.js";
import { AppLoadError, loadApp } from "./loadApp.js";
import { maxRequestsFor } from "./maxRequests.js";
import { websocketOptionsFrom } from "./websocketOptions.js";
import { heartbeatIntervalMs, WORKER_BOOT_ERROR } from "./messages.js";
import type { BootMessage, MasterMessage, WorkerMessage } from "./messages.js";
import { errorMessage } from "tsgi/helpers";

/**
 * While draining, how long a connection must have been idle before the worker closes it. Far above
 * a busy client's gap between a response and its next request (a starved load generator on a loaded
 * 2-core machine included), so a client that is sending never races the FIN; capped at a quarter
 * of --graceful-timeout. An old worker lingering 2 s costs nothing: its successor already serves.
 */
export const DRAIN_IDLE_GRACE_MS = 2000;

/** The HTTP layer's options from the worker's settings. */
export function httpOptionsFrom(settings: Settings, log: ErrorLog): HttpServerOptions {
  return {
    protocol: settings.protocol,
    limitRequestLine: settings.limitRequestLine,
    limitRequestFields: settings.limitRequestFields,
    limitRequestFieldSize: settings.limitRequestFieldSize,
    keepAlive: settings.keepAlive,
    forwardedAllowIps: settings.forwardedAllowIps,
    proxyProtocol: settings.proxyProtocol,
    proxyAllowIps: settings.proxyAllowFrom,
    ...(settings.certfile && settings.keyfile ? { tls: { cert: settings.certfile, key: settings.keyfile } } : {}),
    ...(settings.accessLogfile ? { accessLog: { file: settings.accessLogfile, format: settings.accessLogFormat } } : {}),
    ...(process.env.SCRIPT_NAME ? { scriptName: process.env.SCRIPT_NAME } : {}),
    errors: log.asErrorStream(),
    websocket: websocketOptionsFrom(settings),
  };
}

/**
 * One worker process's life (Gunicorn's Worker.init_process + run): load the app, serve
 * the inherited sockets, heartbeat to the master, count requests, and stop on TERM
 * (graceful) or INT/QUIT (quick). Never returns: it ends the process.
 *
 * @example
 * process.once("message", (boot) => runWorker(boot));
 */
export async function runWorker(boot: BootMessage): Promise<void> {
  const { settings } = boot;
  const log = new ErrorLog({ file: settings.errorLogfile, level: settings.logLevel });
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  const stats = new WorkerStats();
  setProcessTitle("worker", settings.name ?? settings.app);

  // Heartbeats start before the app loads, so an import stuck in a loop also times out.
  const beat = () => send({ type: "heartbeat", stats: stats.snapshot() });
  const heartbeat = setInterval(beat, heartbeatIntervalMs(settings.timeout));
  beat();

  let hooks: Hooks = {};
  let server: WorkerHttpServer | undefined;
  /** The app's lifespan (SPEC.md, "Lifespan"): started before this worker accepts, shut down after it drained. */
  let lifespan: RunningLifespan | undefined;
  let stopping = false;
  const context: WorkerContext = { id: boot.id, pid: process.pid, age: boot.age, settings, log };

  const exit = async (code: number) => {
    clearInterval(heartbeat);
    await runHook(hooks, "workerExit", log, context);
    log.close();
    process.exit(code);
  };
  const stop = async (graceful: boolean) => {
    if (stopping && graceful) return;
    stopping = true;
    if (!graceful) await runHook(hooks, "workerInt", log, context);
    if (server) {
      if (graceful) {
        // Stop accepting first (on HUP, TTOU and max-requests the replacement already accepts on the
        // shared socket), then drain: each connection finishes its request, answers its next one with
        // `Connection: close`, and is closed only once idle past the grace. drain() resolves when every
        // connection is closed, or destroys what is left after --graceful-timeout.
        const gracefulMs = settings.gracefulTimeout * 1000;
        server.stopAccepting();
        server.startDraining(Math.min(DRAIN_IDLE_GRACE_MS, gracefulMs / 4));
        log.info(`Worker draining (pid: ${process.pid}): ${server.inFlight} request(s) in flight (${server.websockets} WebSocket(s)), ${server.connections} connection(s)`);
        await server.drain(gracefulMs);
        await lifespan?.shutdown().catch((error: unknown) => log.error(`Worker lifespan shutdown (pid: ${process.pid}): ${errorMessage(error)}`));
      } else {
        await server.close();
      }
    }
    await exit(0);
  };
  process.on("SIGTERM", () => void stop(true));
  process.on("SIGINT", () => void stop(false));
  process.on("SIGQUIT", () => void stop(false));
  process.on("SIGABRT", () => {
    // Only reached when the event loop came back after the master's timeout; it SIGKILLs us next anyway.
    void runHook(hooks, "workerAbort", log, context).then(() => exit(1));
  });
  // The master died (even by SIGKILL): finish what we have and go, as Gunicorn workers do when their parent changes.
  process.on("disconnect", () => void stop(true));
  process.on("message", (message: MasterMessage) => {
    if (message.type === "reopenLogs") {
      log.reopen();
      server?.reopenLogs();
    } else if (message.type === "closeWebSockets") {
      // Sent just before TERM: stop accepting first, so a page reconnecting at once reaches a new worker.
      server?.stopAccepting();
      void server?.closeWebSockets(message.code, message.reason);
    } else if (message.type === "statsRequest") {
      send({ type: "stats", requestId: message.requestId, stats: stats.snapshot() });
    }
  });

  const bootFailed = (error: unknown) => {
    const message = errorMessage(error);
    // An AppLoadError's message already holds its cause's stack; its own frames are the loader's.
    const report = error instanceof Error && !(error instanceof AppLoadError) ? (error.stack ?? message) : message;
    clearInterval(heartbeat);
    // The master logs the report, once for all workers that fail alike (-w 4 gives one stack, not four).
    // Exit once the IPC message is out, so the master gets the reason with the exit status.
    if (process.connected && process.send) {
      log.close();
      process.send({ type: "bootError", message, report } satisfies WorkerMessage, () => process.exit(WORKER_BOOT_ERROR));
    } else {
      log.error(`Exception in worker process:\n${report}`);
      log.close();
      process.exit(WORKER_BOOT_ERROR);
    }
  };

  let app: Application;
  let createWorkerServer: typeof import("../connection/index.js").createWorkerServer;
  try {
    // Loaded here, not at the top, so a failure anywhere in the server's own code is a reported boot error too.
    ({ createWorkerServer } = await import("../connection/index.js"));
    if (settings.config && !settings.config.endsWith(".json")) hooks = (await loadConfigFile(settings.config, process.cwd())).hooks;
    app = await loadApp(settings.app ?? "", process.cwd());
    // Before accepting: a start-up that fails or overruns is this worker's boot failure.
    lifespan = await startLifespan(app);
  } catch (error) {
    bootFailed(error);
    return;
  }
  await runHook(hooks, "postWorkerInit", log, context);

  const maxRequests = maxRequestsFor(settings);
  let retireSent = false;
  const events: Parameters<typeof createWorkerServer>[2] = {
    onRequest(environ) {
      stats.requestStarted();
      if (hooks.preRequest) runRequestHook(hooks, "preRequest", log, context, environ);
    },
    onResponse(environ, outcome, durationMs) {
      stats.requestFinished(outcome.status, durationMs);
      if (hooks.postRequest) runRequestHook(hooks, "postRequest", log, context, environ, outcome, durationMs);
      if (maxRequests > 0 && !retireSent && stats.requestCount >= maxRequests) {
        retireSent = true;
        log.info(`Autorestarting worker after current request (max requests ${maxRequests} reached).`);
        send({ type: "retire", reason: "max-requests" });
      }
    },
  };
  try {
    // The access log and TLS files are checked by the master, but may have changed since: still a reported boot error.
    server = createWorkerServer(app, { ...httpOptionsFrom(settings, log), state: lifespan?.state }, events);
    stats.countWebSockets(server);
    for (const listener of boot.listeners) {
      await server.serve("fd" in listener ? { fd: listener.fd } : ({ host: listener.host, port: listener.port, reusePort: true, backlog: settings.backlog } as never));
    }
  } catch (error) {
    bootFailed(error);
    return;
  }
  if (stopping) return;
  send({ type: "ready", stats: stats.snapshot() });
}
