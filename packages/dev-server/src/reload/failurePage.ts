import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Application } from "tsgi";
import { debugErrors } from "../debug/debugErrors.js";
import { formatAccessLine } from "../log/accessLog.js";
import type { Colors } from "../log/colors.js";
import type { TextSink } from "../log/errorLog.js";
import { createDevListener, RAW_URI_KEY } from "../server/dev-listener.js";

/** The server the supervisor answers with while the app cannot start. */
export interface FailurePage {
  readonly httpServer: Server;
  /** Sets the error every request is answered with. */
  show(error: Error): void;
}

/**
 * While the app fails to start (a syntax or import error), the supervisor itself
 * answers every request with the debug page for that error, so the browser shows
 * what the terminal shows. Each response closes its connection, so the first
 * request after the fix reaches the new app process.
 *
 * @example
 * const page = createFailurePage(process.stdout, colors);
 * page.show(error);
 * page.httpServer.emit("connection", socket);
 */
export function createFailurePage(stdout: TextSink, colors: Colors): FailurePage {
  let current: Error = new Error("the app has not started yet");
  const failingApp: Application = () => {
    throw current;
  };
  // The error was already printed when the process failed: do not repeat it per request.
  const app = debugErrors(failingApp, { onError: () => {}, rawTargetKey: RAW_URI_KEY });
  const listener = createDevListener(app, {
    onRequestDone: (entry) => stdout.write(formatAccessLine(entry, colors) + "\n"),
  });
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.shouldKeepAlive = false;
    void listener(req, res);
  };
  const httpServer = createServer(handle);
  httpServer.on("checkContinue", handle);
  return {
    httpServer,
    show(error) {
      current = error;
    },
  };
}
