import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { CLOSE_GOING_AWAY, WebSocketTracker, type Application, type LifespanState } from "tsgi";
import { answerRefusedHeads, attachWebSocket } from "tsgi/node";
import { formatAccessLine } from "../log/accessLog.js";
import type { Colors } from "../log/colors.js";
import { createErrorReporter } from "../log/errorLog.js";
import type { TextSink } from "../log/errorLog.js";
import type { StaticMount } from "../static/staticFiles.js";
import { trackConnections } from "./connectionDrain.js";
import { buildDevApplication } from "./devApp.js";
import { createDevListener, DEV_HEAD_LIMITS, RAW_URI_KEY } from "./devListener.js";

/** Options for {@link createDevHttpServer}. */
export interface DevHttpServerOptions {
  validate: boolean;
  staticMounts: readonly StaticMount[];
  /** Access log destination and its colors. */
  stdout: TextSink;
  stdoutColors: Colors;
  /** Error report destination and its colors. */
  stderr: TextSink;
  stderrColors: Colors;
  /** `tsgi.multiprocess` (true when the app runs in a reloadable child process). */
  multiprocess?: boolean;
  /** `tsgi.state`: the app's lifespan state in this process (see `startLifespan`). */
  state?: LifespanState;
}

/** An HTTP server running an app as `tsgi-dev` does, and a way to stop it without cutting requests. */
export interface DevHttpServer {
  readonly httpServer: Server;
  /**
   * Lets in-flight requests finish (answered with `Connection: close`), closes idle connections and
   * open WebSockets (with `closeCode`: 1012 on a reload, so pages reconnect to the new code; 1001 by default),
   * resolves when none are left.
   */
  drain(closeCode?: number): Promise<void>;
  /** Open WebSockets. */
  readonly websockets: WebSocketTracker;
}

/**
 * A `node:http` server (not yet listening) serving `app` with the validator,
 * debug page, static files, an access-log line per request and errors reported
 * to the terminal. Used by the app process under autoreload (which is handed
 * connections) and by `--no-reload` (which listens itself).
 *
 * @example
 * const { httpServer } = createDevHttpServer(app, { validate: true, staticMounts: [], stdout: process.stdout, ... });
 * httpServer.listen(8000);
 */
export function createDevHttpServer(app: Application, options: DevHttpServerOptions): DevHttpServer {
  const reportError = createErrorReporter(options.stderr, options.stderrColors);
  const devApp = buildDevApplication(app, { validate: options.validate, staticMounts: options.staticMounts, onError: reportError });
  const listener = createDevListener(devApp, {
    multiprocess: options.multiprocess ?? false,
    ...(options.state !== undefined ? { state: options.state } : {}),
    onError: reportError,
    onRequestDone: (entry) => options.stdout.write(formatAccessLine(entry, options.stdoutColors) + "\n"),
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (connections.admit(req, res)) void listener(req, res);
  };
  // A missing Host reaches the listener's head checks; heads node:http refuses itself, and CONNECT, get the same answers.
  const httpServer = answerRefusedHeads(createServer({ requireHostHeader: false }, handle), DEV_HEAD_LIMITS);
  httpServer.on("checkContinue", handle);
  const connections = trackConnections(httpServer);
  // WebSocket upgrades run the same dev app (validator, debug page); their sockets count as connections to drain.
  const websockets = new WebSocketTracker();
  attachWebSocket(httpServer, devApp, {
    headLimits: DEV_HEAD_LIMITS,
    multiprocess: options.multiprocess ?? false,
    ...(options.state !== undefined ? { state: options.state } : {}),
    onError: reportError,
    serverKeys: (req) => ({ [RAW_URI_KEY]: req.url ?? "/" }),
    tracker: websockets,
  });

  return {
    httpServer,
    websockets,
    drain(closeCode = CLOSE_GOING_AWAY) {
      if (httpServer.listening) httpServer.close();
      const drained = connections.drain();
      void websockets.closeAll(closeCode, closeCode === CLOSE_GOING_AWAY ? "server shutting down" : "server reloading");
      return drained;
    },
  };
}
