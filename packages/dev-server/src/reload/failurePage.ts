import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Application } from "tsgi";
import { renderHtmlReport, renderTextReport, wantsHtml } from "tsgi/debug";
import { formatAccessLine } from "../log/accessLog.js";
import type { Colors } from "../log/colors.js";
import type { TextSink } from "../log/errorLog.js";
import { createDevListener, RAW_URI_KEY } from "../server/devListener.js";
import { describeFailure, failureReport } from "./failureReport.js";
import type { Failure } from "./failureReport.js";

/** The server the supervisor answers with while the app cannot start. */
export interface FailurePage {
  readonly httpServer: Server;
  /** Sets the failure every request is answered with. */
  show(failure: Failure): void;
}

const encoder = new TextEncoder();

/**
 * While the app fails to start (a syntax or import error), the supervisor itself
 * answers every request with the debug page for that error, so the browser shows
 * what the terminal shows: the error and where it is first, the code around it,
 * then the frames, the loader's and esbuild's folded away (collapsed in HTML, one
 * line per run in text; the HTML's copy-and-paste view has them all). The error
 * was already printed when the process failed, so requests do not repeat it. Each
 * response closes its connection, so the first request after the fix reaches the
 * new app process.
 *
 * @example
 * const page = createFailurePage(process.stdout, colors);
 * page.show(describeFailure("failed-to-start", error));
 * page.httpServer.emit("connection", socket);
 */
export function createFailurePage(stdout: TextSink, colors: Colors): FailurePage {
  let current: Failure = describeFailure("exited", undefined, "the app has not started yet");
  const app: Application = (environ, startResponse) => {
    const raw = environ[RAW_URI_KEY];
    const report = failureReport(current, environ, typeof raw === "string" ? raw : undefined);
    const html = wantsHtml(environ.HTTP_ACCEPT);
    const body = encoder.encode(html ? renderHtmlReport(report) : renderTextReport(report, { collapseLibraryFrames: true }));
    startResponse("500 Internal Server Error", [
      ["Content-Type", html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"],
      ["Cache-Control", "no-store"],
      ["X-Content-Type-Options", "nosniff"],
      ["Content-Length", String(body.length)],
    ]);
    return [body];
  };
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
    show(failure) {
      current = failure;
    },
  };
}
