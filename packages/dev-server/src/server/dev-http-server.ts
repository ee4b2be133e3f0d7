import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Application } from "tsgi";
import { answerRefusedHeads } from "tsgi/node";
import { formatAccessLine } from "../log/accessLog.js";
import type { Colors } from "../log/colors.js";
import { createErrorReporter } from "../log/errorLog.js";
import type { TextSink } from "../log/errorLog.js";
import type { StaticMount } from "../static/staticFiles.js";
import { trackConnections } from "./connection-drain.js";
import { buildDevApplication } from "./dev-app.js";
import { createDevListener, DEV_HEAD_LIMITS } from "./dev-listener.js";

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
}

/** An HTTP server running an app as `tsgi-dev` does, and a way to stop it without cutting requests. */
export interface DevHttpServer {
  readonly httpServer: Server;
  /** Lets in-flight requests finish (answered with `Connection: close`), closes idle connections, resolves when none are left. */
  drain(): Promise<void>;
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

  return {
    httpServer,
    drain() {
      if (httpServer.listening) httpServer.close();
      return connections.drain();
    },
  };
}
